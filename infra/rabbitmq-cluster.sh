# Sourced by ./cnh (after infra/native.sh): a three-node RabbitMQ cluster on this machine from Debian's package, beside
# the single broker. Node N (1-3) is cnh-N@localhost: AMQP on 5672+N, management on 15672+N, Erlang distribution on
# 25672+N, all on loopback; its data and logs under /var/lib/rabbitmq/cnh-cluster/cnh-N (the rabbitmq user's, as the
# server insists). The nodes share the package's Erlang cookie (/var/lib/rabbitmq/.erlang.cookie) and epmd, and
# node 2 and 3 join node 1 with rabbitmqctl join_cluster. Quorum queues get a replica on every node and their leaders
# spread over the three (queue_leader_locator = balanced), so one node's loss moves only the queues it led.
CLUSTER_SIZE=3
CLUSTER_BASE=/var/lib/rabbitmq/cnh-cluster

cluster_node() { echo "cnh-$1@localhost"; }

# The address list the services connect to (RabbitMq__ClusterNodes): MassTransit tries them in turn.
cluster_amqp_nodes() {
  local i nodes=()
  for i in $(seq 1 "$CLUSTER_SIZE"); do nodes+=("127.0.0.1:$((5672 + i))"); done
  (IFS=,; echo "${nodes[*]}")
}

cluster_ctl() { local i=$1; shift; $SUDO rabbitmqctl -q -n "$(cluster_node "$i")" "$@"; }

# Starts node N if it does not run (a node stopped with stop_app is started with start_app by the caller instead).
start_cluster_node() {
  local i=$1 dir="$CLUSTER_BASE/cnh-$1"
  if cluster_ctl "$i" status >/dev/null 2>&1; then return; fi
  $SUDO install -d -o rabbitmq -g rabbitmq -m 750 "$CLUSTER_BASE" "$dir" "$dir/log"
  local conf="# Written by CnhPlatform's ./cnh infra --cluster.
listeners.tcp.default = 127.0.0.1:$((5672 + i))
management.tcp.ip = 127.0.0.1
management.tcp.port = $((15672 + i))
loopback_users.guest = true
queue_leader_locator = balanced
# Three nodes on one machine: a paused minority stops serving rather than accepting writes that a partition would lose.
cluster_partition_handling = pause_minority"
  if [ "$($SUDO cat "$dir/rabbitmq.conf" 2>/dev/null)" != "$conf" ]; then
    echo "$conf" | $SUDO tee "$dir/rabbitmq.conf" >/dev/null
    $SUDO chown rabbitmq:rabbitmq "$dir/rabbitmq.conf"
  fi
  log "starting RabbitMQ node $(cluster_node "$i") (AMQP 127.0.0.1:$((5672 + i)))"
  $SUDO env RABBITMQ_NODENAME="$(cluster_node "$i")" RABBITMQ_NODE_PORT=$((5672 + i)) RABBITMQ_DIST_PORT=$((25672 + i)) \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
    RABBITMQ_PID_FILE="$dir/rabbitmq.pid" rabbitmq-server -detached >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do
    cluster_ctl "$i" await_startup --timeout 60 >/dev/null 2>&1 && return
    sleep 1
  done
  log "RabbitMQ node $(cluster_node "$i") did not start; see $dir/log/"
  return 1
}

start_rabbitmq_cluster() {
  local i
  for i in $(seq 1 "$CLUSTER_SIZE"); do start_cluster_node "$i"; done
  for i in $(seq 2 "$CLUSTER_SIZE"); do
    if ! cluster_ctl 1 cluster_status 2>/dev/null | grep -q "$(cluster_node "$i")"; then
      log "joining $(cluster_node "$i") to $(cluster_node 1)"
      # (rabbitmqctl writes the joining node's start-up warnings to standard error: they are expected here.)
      cluster_ctl "$i" stop_app >/dev/null 2>&1
      cluster_ctl "$i" reset >/dev/null 2>&1
      cluster_ctl "$i" join_cluster "$(cluster_node 1)" >/dev/null 2>&1
      cluster_ctl "$i" start_app >/dev/null 2>&1
    fi
  done
  # Users and permissions live in the cluster's shared schema: set once, through node 1.
  rabbitmq_users "$(cluster_node 1)" 15673
}

stop_rabbitmq_cluster() {
  local i
  for i in $(seq "$CLUSTER_SIZE" -1 1); do cluster_ctl "$i" stop >/dev/null 2>&1 || true; done
}
