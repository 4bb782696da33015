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

# Launches node N's Erlang VM in the background if it does not run; await_cluster_node waits for it. The two are
# apart because a node that was not the last of its cluster to stop waits at boot for its peers' schema: after a
# reboot or kill -9 of all three, starting them one by one would deadlock, so the cluster starts them all first.
launch_cluster_node() {
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
}

# Waits up to SECONDS (default 120) for node N to serve; quiet, so callers choose what a failure means.
await_cluster_node() {
  local i=$1 deadline=$((SECONDS + ${2:-120}))
  while [ $SECONDS -lt "$deadline" ]; do
    cluster_ctl "$i" await_startup --timeout 10 >/dev/null 2>&1 && return
    sleep 1
  done
  return 1
}

# Starts node N alone and waits for it (its peers run: a fault test restarting the node it killed).
start_cluster_node() {
  launch_cluster_node "$1"
  await_cluster_node "$1" && return
  log "RabbitMQ node $(cluster_node "$1") did not start; see $CLUSTER_BASE/cnh-$1/log/"
  return 1
}

# Launches every node, then waits for each; fails naming (on standard output) the first that did not come up.
launch_and_await_nodes() {
  local i
  for i in $(seq 1 "$CLUSTER_SIZE"); do launch_cluster_node "$i"; done
  for i in $(seq 1 "$CLUSTER_SIZE"); do await_cluster_node "$i" || { echo "$i"; return 1; }; done
}

# Starts all three together. If they still cannot agree (a node's data lost or from another cluster, so a peer
# refuses it as inconsistent), this local cluster cannot be repaired unattended: its data is moved aside, never
# deleted, and a new cluster is started.
start_cluster_nodes() {
  local aside failed
  launch_and_await_nodes >/dev/null && return
  aside="$CLUSTER_BASE.unrecovered-$(date +%Y%m%dT%H%M%S)"
  log "RabbitMQ cluster nodes did not agree (see $CLUSTER_BASE/cnh-*/log/): moving its data to $aside, starting anew"
  kill_cluster_nodes
  $SUDO mv "$CLUSTER_BASE" "$aside"
  failed=$(launch_and_await_nodes) && return
  log "RabbitMQ node $(cluster_node "$failed") did not start; see $CLUSTER_BASE/cnh-$failed/log/"
  return 1
}

# Kills every node's Erlang VM, booted or stuck booting.
kill_cluster_nodes() {
  local i pid
  for i in $(seq 1 "$CLUSTER_SIZE"); do
    pid=$(cluster_ctl "$i" eval 'os:getpid().' 2>/dev/null | tr -d '"') || true
    if [ -n "$pid" ]; then $SUDO kill -9 "$pid" 2>/dev/null || true; fi
  done
  sleep 1
}

start_rabbitmq_cluster() {
  local i
  start_cluster_nodes || return 1
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
