#!/usr/bin/env bash
# Makes the Secrets the chart mounts, once per release, with random passwords and keys — never in values or in git:
#   infra/helm/create-secrets.sh RELEASE NAMESPACE [--dry-run]
# --dry-run prints the manifests instead of applying them (CI validates them that way). An existing Secret is left as it
# is (a password the database and broker already hold must not change under them); delete it first to rotate.
#   <release>-<service>-postgres   basic-auth: username cnh_<service>, password   (CloudNativePG's managed role takes it)
#   <release>-<service>-rabbitmq   basic-auth: username cnh-<service>, password   (the Messaging Topology Operator's User)
#   <release>-keys                 jwt-signing-key.pem, gateway-secret, portal-client-secret, data-protection.pfx
set -euo pipefail
release=${1:?usage: create-secrets.sh RELEASE NAMESPACE [--dry-run]}
namespace=${2:?usage: create-secrets.sh RELEASE NAMESPACE [--dry-run]}
dry_run=${3:-}
# The processes with a database and a broker user (the portal has neither).
services=(catalogue submissions scoring notifications gateway)

random() { head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32; }

exists() { [ -z "$dry_run" ] && kubectl get secret "$1" -n "$namespace" >/dev/null 2>&1; }

# Reads a Secret manifest on standard input: prints it (dry run) or creates it.
emit() {
  if [ -n "$dry_run" ]; then echo "---"; cat; else kubectl apply -f - >/dev/null; fi
}

basic_auth() {
  local name=$1 username=$2
  if exists "$name"; then echo "kept $name" >&2; return; fi
  kubectl create secret generic "$name" -n "$namespace" --type=kubernetes.io/basic-auth \
    --from-literal=username="$username" --from-literal=password="$(random)" --dry-run=client -o yaml | emit
  [ -n "$dry_run" ] || echo "created $name" >&2
}

for service in "${services[@]}"; do
  basic_auth "$release-$service-postgres" "cnh_$service"
  basic_auth "$release-$service-rabbitmq" "cnh-$service"
done

if exists "$release-keys"; then
  echo "kept $release-keys" >&2
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (
    umask 077
    # The gateway's token signing key (RSA 3072, PEM), the secret proving a request came through the gateway, the
    # portal's client secret, and the certificate notifications encrypts its webhook secrets' key ring with.
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$work/jwt-signing-key.pem" 2>/dev/null
    random >"$work/gateway-secret"
    random >"$work/portal-client-secret"
    openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=cnh-notifications-data-protection" \
      -keyout "$work/dp.key" -out "$work/dp.crt" 2>/dev/null
    openssl pkcs12 -export -inkey "$work/dp.key" -in "$work/dp.crt" -passout pass: -out "$work/data-protection.pfx"
  )
  kubectl create secret generic "$release-keys" -n "$namespace" \
    --from-file=jwt-signing-key.pem="$work/jwt-signing-key.pem" --from-file=gateway-secret="$work/gateway-secret" \
    --from-file=portal-client-secret="$work/portal-client-secret" --from-file=data-protection.pfx="$work/data-protection.pfx" \
    --dry-run=client -o yaml | emit
  [ -n "$dry_run" ] || echo "created $release-keys" >&2
fi
