#!/usr/bin/env bash
# OpenAI tool calling and reasoning content through real clients: the OpenAI Node SDK (openai@^6)
# and LangChain JS (@langchain/openai's ChatOpenAI) against the real stack. Writes the scripted
# model (tests/support/make_scripted_model.py: a tiny Llama whose chat template picks a scripted
# tool call, final answer or reasoning) into a temporary folder, starts fastchat-controller, one
# fastchat-worker serving it with its chat template and fastchat-server on ephemeral ports,
# installs the pinned packages from package-lock.json when node_modules is missing, runs
# tools_client_test.mjs and exits with its status. Every process it starts is stopped, and the
# temporary folder removed, on exit.
# Usage: run_tools_client_test.sh CONTROLLER WORKER SERVER
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
controller="$1" worker="$2" server="$3"
model_name=scripted-tools

bash "$here/npm_ci.sh"   # npm ci when node_modules is missing or stale

# shellcheck source=SCRIPTDIR/stack.sh
source "$here/stack.sh"   # its exit trap stops the processes and removes $stack_dir
model="$stack_dir/$model_name"
python3 "$here/../support/make_scripted_model.py" "$model"

stack_start controller "$controller" --host 127.0.0.1 --port 0
controller_url="$stack_url"
stack_start worker "$worker" --host 127.0.0.1 --port 0 --model-path "$model" \
  --model-names "$model_name" --controller-address "$controller_url" --threads 2
stack_start server "$server" --host 127.0.0.1 --port 0 --controller-address "$controller_url"
server_url="$stack_url"
stack_wait_model "$server_url" "$model_name"

# LangChain sends nothing anywhere else: no LangSmith tracing.
LANGSMITH_TRACING=false LANGCHAIN_TRACING_V2=false \
  timeout 120 node "$here/tools_client_test.mjs" "$server_url/v1" "$model" "$model_name"
