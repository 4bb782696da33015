#!/bin/sh
# Gives each service its own RabbitMQ user, limited by infra/rabbitmq-permissions.tsv, through the management API — what
# `./cnh infra` does with rabbitmqctl, for docker-compose (a one-shot container) or any broker reached over HTTP.
# Each service's password is random, kept in "$SECRETS_DIR/<service>/rabbitmq-password" (owner-only, owned by
# SECRET_OWNER, the services' uid), made on the first run and reused after; the broker is told it on every run.
#   RABBITMQ_API=http://rabbitmq:15672 RABBITMQ_ADMIN=cnh RABBITMQ_ADMIN_PASSWORD=… [RABBITMQ_VHOST=cnh]
#   [USER_PREFIX=cnh-] [SECRETS_DIR=/secrets] [SECRET_OWNER=1654] [PERMISSIONS=/infra/rabbitmq-permissions.tsv] sh rabbitmq-users.sh
set -eu
: "${RABBITMQ_API:?}" "${RABBITMQ_ADMIN:?}" "${RABBITMQ_ADMIN_PASSWORD:?}"
VHOST="${RABBITMQ_VHOST:-cnh}"
PREFIX="${USER_PREFIX:-cnh-}"
SECRETS_DIR="${SECRETS_DIR:-/secrets}"
PERMISSIONS="${PERMISSIONS:-/infra/rabbitmq-permissions.tsv}"

api() { # method path json
  curl -fsS -o /dev/null -u "$RABBITMQ_ADMIN:$RABBITMQ_ADMIN_PASSWORD" -H 'content-type: application/json' \
    -X "$1" "$RABBITMQ_API/api/$2" -d "$3"
}
json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
vhost_path=$(printf '%s' "$VHOST" | sed 's|/|%2F|g')

grep -v '^#' "$PERMISSIONS" | while IFS="$(printf '\t')" read -r service configure write read; do
  [ -n "$service" ] || continue
  dir="$SECRETS_DIR/$service"
  mkdir -p "$dir"
  if [ ! -s "$dir/rabbitmq-password" ]; then
    (umask 077; od -An -N20 -tx1 /dev/urandom | tr -d ' \n' > "$dir/rabbitmq-password")
  fi
  [ -z "${SECRET_OWNER:-}" ] || chown "$SECRET_OWNER" "$dir" "$dir/rabbitmq-password"
  chmod 0400 "$dir/rabbitmq-password"
  user="$PREFIX$service"
  api PUT "users/$user" "{\"password\":$(json_string "$(cat "$dir/rabbitmq-password")"),\"tags\":\"\"}"
  permissions="{\"configure\":$(json_string "$configure"),\"write\":$(json_string "$write"),\"read\":$(json_string "$read")}"
  api PUT "permissions/$vhost_path/$user" "$permissions"
  echo "RabbitMQ user $user: permissions of $service in $VHOST"
done
