# Sourced by ./cnh: PostgreSQL and RabbitMQ from Debian's packages when no Docker engine runs.
# Every step checks before it acts, so running it again is harmless.

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# From / so that psql does not complain about a working directory the postgres user cannot enter.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else (cd / && sudo -u postgres "$@"); fi
}

log() { printf '\033[1m[cnh]\033[0m %s\n' "$*" >&2; }

# PostgreSQL and RabbitMQ are machine-wide, so their development passwords are too: one file for every checkout
# (CNH_SECRETS_FILE, default ~/.config/cnh/secrets.env), generated once, never committed.
ensure_secrets() {
  mkdir -p "$CNH_HOME" "$(dirname "$CNH_SECRETS_FILE")"
  chmod 700 "$CNH_HOME"
  if [ ! -f "$CNH_SECRETS_FILE" ]; then
    log "generating development secrets in $CNH_SECRETS_FILE"
    (
    umask 077
    {
      echo "CNH_PG_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
      echo "CNH_RABBIT_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
    } > "$CNH_SECRETS_FILE"
    )
  fi
  # shellcheck disable=SC1090
  . "$CNH_SECRETS_FILE"
  export CNH_PG_PASSWORD CNH_RABBIT_PASSWORD
}

install_packages() {
  local missing=("$@")
  command -v pg_ctlcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
  command -v rabbitmq-server >/dev/null 2>&1 || missing+=(rabbitmq-server)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} from Debian's packages"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

start_postgres() {
  local version
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $2}' | grep -qx main; then
    $SUDO pg_createcluster "$version" main >/dev/null
  fi
  if ! pg_lsclusters -h | awk '$2=="main"{print $4}' | grep -qx online; then
    log "starting PostgreSQL $version"
    $SUDO pg_ctlcluster "$version" main start
  fi
  for _ in $(seq 1 30); do
    as_postgres psql -qtAc "SELECT 1" >/dev/null 2>&1 && break
    sleep 1
  done
  if configure_postgres "$version"; then
    log "PostgreSQL settings for this machine written to /etc/postgresql/$version/main/conf.d/cnh.conf (restart)"
    $SUDO pg_ctlcluster "$version" main restart
    for _ in $(seq 1 30); do as_postgres psql -qtAc "SELECT 1" >/dev/null 2>&1 && break; sleep 1; done
  fi
  as_postgres psql -q -d postgres -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  if [ "$(as_postgres psql -qtAc "SELECT 1 FROM pg_roles WHERE rolname='cnh'")" != "1" ]; then
    as_postgres psql -q -v ON_ERROR_STOP=1 -c "CREATE ROLE cnh LOGIN CREATEDB"
  fi
  as_postgres psql -q -v ON_ERROR_STOP=1 -c "ALTER ROLE cnh PASSWORD '$CNH_PG_PASSWORD'" >/dev/null
  for db in $(awk -F'\t' '!/^#/ && $4 == "yes" { print "cnh_" $1 }' "$CNH_ROOT/infra/services.tsv"); do
    if [ "$(as_postgres psql -qtAc "SELECT 1 FROM pg_database WHERE datname='$db'")" != "1" ]; then
      as_postgres psql -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db OWNER cnh"
    fi
  done
}

# Settings sized for the machine PostgreSQL runs on (Debian's defaults are for a 128-MB machine); returns 0 when the
# file changed, so the caller restarts the server. synchronous_commit stays on: a commit is on disk when it returns.
configure_postgres() {
  local version=$1 mem_mb shared file conf
  mem_mb=$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)
  # An eighth of RAM (the services share the machine), between 128 MB and 4 GB; the OS cache does the rest.
  shared=$((mem_mb / 8)); [ "$shared" -lt 128 ] && shared=128; [ "$shared" -gt 4096 ] && shared=4096
  file=/etc/postgresql/$version/main/conf.d/cnh.conf
  conf="# Written by CnhPlatform's ./cnh infra for this machine ($mem_mb MB RAM, $(nproc) cores); kept as written here by every start.
# Five services with their pools, a second set under test and the tests themselves need more than the default 100.
max_connections = 300
shared_buffers = ${shared}MB
effective_cache_size = $((mem_mb / 2))MB
# The data lives in memory or on SSD: an index lookup costs about what a sequential read does. With the default 4 the
# planner scanned whole tables (every indicator's score, a queue's dead rows) to find a few rows (issue #17).
random_page_cost = 1.1
wal_buffers = 16MB
# Commits arriving together are flushed together: a waiting committer lets others join its WAL flush for up to 0.1 ms.
commit_delay = 100
commit_siblings = 4
# Fewer checkpoints during bursts of writes (each forces full-page images into the WAL).
max_wal_size = 2GB
checkpoint_completion_target = 0.9
# Where the time goes, per statement: SELECT * FROM pg_stat_statements (./cnh bench reads it).
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = top"
  [ "$(cat "$file" 2>/dev/null)" = "$conf" ] && return 1
  echo "$conf" | $SUDO tee "$file" >/dev/null
  # max_connections was once raised with ALTER SYSTEM, which would override this file.
  as_postgres psql -q -c "ALTER SYSTEM RESET max_connections" >/dev/null 2>&1 || true
  return 0
}

# The broker listens on loopback only (AMQP, management, Erlang distribution and epmd) unless CNH_RABBIT_BIND says
# otherwise; ./cnh owns these two files and restarts a broker that still listens more widely.
configure_rabbitmq() {
  local bind=${CNH_RABBIT_BIND:-127.0.0.1} erl_ip
  erl_ip="{$(echo "$bind" | tr '.' ',')}"
  local conf="# Written by CnhPlatform's ./cnh infra (CNH_RABBIT_BIND=$bind).
listeners.tcp.default = $bind:5672
management.tcp.ip = $bind
management.tcp.port = 15672
loopback_users.guest = true"
  local env="# Written by CnhPlatform's ./cnh infra (CNH_RABBIT_BIND=$bind).
ERL_EPMD_ADDRESS=$bind
SERVER_ADDITIONAL_ERL_ARGS=\"-kernel inet_dist_use_interface $erl_ip\""
  local changed=""
  if [ "$($SUDO cat /etc/rabbitmq/rabbitmq.conf 2>/dev/null)" != "$conf" ]; then
    echo "$conf" | $SUDO tee /etc/rabbitmq/rabbitmq.conf >/dev/null; changed=1
  fi
  if [ "$($SUDO cat /etc/rabbitmq/rabbitmq-env.conf 2>/dev/null)" != "$env" ]; then
    echo "$env" | $SUDO tee /etc/rabbitmq/rabbitmq-env.conf >/dev/null; changed=1
  fi
  # Listening anywhere but the configured address (an older start, or the files just changed): start it again.
  if $SUDO rabbitmqctl -q status >/dev/null 2>&1 && { [ -n "$changed" ] || rabbitmq_listens_beyond "$bind"; }; then
    log "restarting RabbitMQ to listen on $bind only"
    $SUDO rabbitmqctl -q stop >/dev/null 2>&1 || true
    $SUDO epmd -kill >/dev/null 2>&1 || true
    sleep 1
  fi
}

rabbitmq_listens_beyond() {
  command -v ss >/dev/null 2>&1 || return 1
  ss -ltnH 2>/dev/null | awk '{print $4}' | grep -E ':(5672|15672|25672|4369)$' | grep -vqE "^(127\.[0-9.]+|\[::1\]|$1|\[::ffff:$1\]):"
}

start_rabbitmq() {
  configure_rabbitmq
  if ! $SUDO rabbitmqctl -q status >/dev/null 2>&1; then
    log "starting RabbitMQ"
    $SUDO rabbitmq-plugins --offline enable rabbitmq_management >/dev/null 2>&1 || true
    # rabbitmq-plugins run as root leaves the file unreadable for the rabbitmq user the server runs as.
    if [ -f /etc/rabbitmq/enabled_plugins ]; then
      $SUDO chown rabbitmq:rabbitmq /etc/rabbitmq/enabled_plugins 2>/dev/null || true
      $SUDO chmod 644 /etc/rabbitmq/enabled_plugins
    fi
    $SUDO rabbitmq-server -detached >/dev/null 2>&1 || true
  fi
  # await_startup fails at once while the Erlang node itself is not up yet, so retry it for a minute.
  local started=""
  for _ in $(seq 1 60); do
    if $SUDO rabbitmqctl -q await_startup --timeout 60 >/dev/null 2>&1; then started=1; break; fi
    sleep 1
  done
  if [ -z "$started" ]; then
    log "RabbitMQ did not start; see /var/log/rabbitmq/"
    return 1
  fi
  $SUDO rabbitmq-plugins -q enable rabbitmq_management >/dev/null 2>&1 || true
  rabbitmq_users "" 15672
}

# The cnh virtual host, its administrator and each service's user, on the broker NODE ("": the default one) or its
# cluster, whose management API listens on MANAGEMENT_PORT; changes nothing that is already so. rabbitmqctl (seconds a
# call) only makes the administrator; the rest goes through the management API (milliseconds a call).
rabbitmq_users() {
  local node=$1 api="http://127.0.0.1:$2/api"
  if ! curl -fsS -o /dev/null -u "cnh:$CNH_RABBIT_PASSWORD" "$api/whoami" 2>/dev/null; then
    local ctl=($SUDO rabbitmqctl -q ${node:+-n "$node"})
    if "${ctl[@]}" list_users | awk '{print $1}' | grep -qx cnh; then
      "${ctl[@]}" change_password cnh "$CNH_RABBIT_PASSWORD" >/dev/null
    else
      "${ctl[@]}" add_user cnh "$CNH_RABBIT_PASSWORD" >/dev/null
    fi
    # administrator: the management UI, ./cnh errors, and the tests create a virtual host of their own through its API.
    # No service uses it: each has a user of its own (below).
    "${ctl[@]}" set_user_tags cnh administrator >/dev/null
    for _ in $(seq 1 30); do
      curl -fsS -o /dev/null -u "cnh:$CNH_RABBIT_PASSWORD" "$api/whoami" 2>/dev/null && break
      sleep 1
    done
  fi
  rabbit_api() { curl -fsS -o /dev/null -u "cnh:$CNH_RABBIT_PASSWORD" -H 'content-type: application/json' -X "$1" "$api/$2" ${3:+-d "$3"}; }
  json() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
  rabbit_api PUT vhosts/cnh '{}'
  rabbit_api PUT permissions/cnh/cnh '{"configure":".*","write":".*","read":".*"}'
  # The broker's default administrator answers to a password everyone knows.
  rabbit_api DELETE users/guest 2>/dev/null || true
  local service configure write read
  while IFS=$'\t' read -r service configure write read; do
    [ -z "$service" ] || [ "${service:0:1}" = "#" ] && continue
    rabbit_api PUT "users/cnh-$service" "{\"password\":$(json "$(rabbit_service_password "$service")"),\"tags\":\"\"}"
    rabbit_api PUT "permissions/cnh/cnh-$service" \
      "{\"configure\":$(json "$configure"),\"write\":$(json "$write"),\"read\":$(json "$read")}"
  done <"$CNH_ROOT/infra/rabbitmq-permissions.tsv"
}

# Each service's RabbitMQ password, derived from the machine's secret (nothing more to store or rotate separately).
rabbit_service_password() { printf '%s:rabbitmq:%s' "$CNH_RABBIT_PASSWORD" "$1" | sha256sum | cut -c1-40; }

docker_engine() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; }

infra_up() {
  ensure_secrets
  if docker_engine; then
    log "Docker engine found: starting PostgreSQL and RabbitMQ with docker compose"
    docker compose -f "$CNH_ROOT/docker-compose.yml" up -d --wait postgres rabbitmq
    return
  fi
  install_packages
  start_postgres
  start_rabbitmq
  if [ -n "${CNH_RABBIT_CLUSTER:-}" ]; then start_rabbitmq_cluster; fi
}
