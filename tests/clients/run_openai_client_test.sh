#!/usr/bin/env bash
# OpenAI Node SDK (openai@^6) against the real stack: starts fastchat-controller, one
# fastchat-worker serving stories260K and fastchat-server on ephemeral ports, installs the
# pinned SDK from package-lock.json when node_modules is missing, runs openai_client_test.mjs
# and exits with its status. Every process it starts is stopped on exit.
# Usage: run_openai_client_test.sh CONTROLLER WORKER SERVER [DATA_DIR]
# DATA_DIR (default $FASTCHAT_SHARED, else the repository) holds models/stories260K.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
controller="$1" worker="$2" server="$3"
data="${4:-${FASTCHAT_SHARED:-$(cd "$here/../.." && pwd)}}"
model="$data/models/stories260K"
[ -d "$model" ] || { echo "model not found: $model" >&2; exit 1; }

bash "$here/npm_ci.sh"   # npm ci when node_modules is missing or stale

# shellcheck source=SCRIPTDIR/stack.sh
source "$here/stack.sh"
stack_start controller "$controller" --host 127.0.0.1 --port 0
controller_url="$stack_url"
stack_start worker "$worker" --host 127.0.0.1 --port 0 --model-path "$model" \
  --conv-template raw --controller-address "$controller_url" --threads 2
stack_start server "$server" --host 127.0.0.1 --port 0 --controller-address "$controller_url"
server_url="$stack_url"
stack_wait_model "$server_url" stories260K

timeout 120 node "$here/openai_client_test.mjs" "$server_url/v1" "$model" stories260K
