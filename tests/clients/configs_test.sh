#!/usr/bin/env bash
# The example configs in configs/ are valid: every key they mention (set or commented out) is a
# flag of its program, and controller, worker and server each start from their file (with only
# ports, model path and controller address overridden on the command line) and work together:
# GET /health answers on all three and the API server lists the model.
# Usage: configs_test.sh CONTROLLER WORKER SERVER [DATA_DIR]
# DATA_DIR (default $FASTCHAT_SHARED, else the repository) holds models/stories260K.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
configs="$(cd "$here/../../configs" && pwd)"
controller="$1" worker="$2" server="$3"
data="${4:-${FASTCHAT_SHARED:-$(cd "$here/../.." && pwd)}}"
model="$data/models/stories260K"
[ -d "$model" ] || { echo "model not found: $model" >&2; exit 1; }
fail=0

# Unknown keys in a config file are silently ignored by the programs, so check the spelling here.
check_keys() {  # CONFIG BINARY
  local help key n=0
  help=$("$2" --help)
  while read -r key; do
    n=$((n + 1))
    if grep -q -- "--$key\b" <<<"$help"; then :; else
      echo "FAIL $(basename "$1"): '$key' is not a flag of $(basename "$2")"
      fail=1
    fi
  done < <(sed -n 's/^#\{0,1\} *\([a-z][a-z0-9-]*\) *=.*$/\1/p' "$1")
  [ "$n" -gt 0 ] || { echo "FAIL $(basename "$1"): no keys found"; fail=1; }
  echo "ok   $(basename "$1"): $n keys checked against --help"
}
check_keys "$configs/controller.toml" "$controller"
check_keys "$configs/worker.toml" "$worker"
check_keys "$configs/server.toml" "$server"

# shellcheck source=SCRIPTDIR/stack.sh
source "$here/stack.sh"
stack_start controller "$controller" --config "$configs/controller.toml" --port 0
controller_url="$stack_url"
stack_start worker "$worker" --config "$configs/worker.toml" --port 0 --model-path "$model" \
  --controller-address "$controller_url"
worker_url="$stack_url"
stack_start server "$server" --config "$configs/server.toml" --port 0 \
  --controller-address "$controller_url"
server_url="$stack_url"
echo "ok   all three started from their config files"
stack_wait_model "$server_url" stories260K
echo "ok   $server_url/v1/models lists stories260K"
for url in "$controller_url" "$worker_url" "$server_url"; do
  body=$(stack_get "$url/health")
  case "$body" in
    *'"status":"ok"'*) echo "ok   $url/health: $body" ;;
    *) echo "FAIL $url/health: $body"; fail=1 ;;
  esac
done
exit "$fail"
