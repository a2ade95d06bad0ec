#!/usr/bin/env bash
# Installs what is missing, builds fastchat-cpp, and serves one model the FastChat way on
# 127.0.0.1: fastchat-controller, one fastchat-worker and the OpenAI-compatible fastchat-server.
# Once the model is listed on /v1/models it prints a curl line to try; Ctrl-C stops the three
# processes it started (and nothing else).
#
# Usage: scripts/serve.sh [extra fastchat-worker flags, e.g. --device cuda --dtype bfloat16]
# Environment:
#   MODEL_PATH       model folder (default: the repository's models/stories260K; a relative
#                    MODEL_PATH is taken from the current directory)
#   MODEL_NAME       name to serve it as (default: the folder's name)
#   CONTROLLER_PORT  controller port (default 21001)
#   WORKER_PORT      worker port (default 21002)
#   SERVER_PORT      API server port (default 8000)
#   SERVE_TIMEOUT    seconds to wait for each step of the start-up (default 300)
#   LOG_DIR          where controller.log, worker.log and server.log go (default build/serve-logs)
#   FASTCHAT_SKIP_BUILD=1  skip install_deps.sh and build.sh; use the binaries already in build/
set -euo pipefail
caller_dir="$PWD"
cd "$(dirname "$0")/.."
root="$PWD"

if [ "${FASTCHAT_SKIP_BUILD:-0}" != 1 ]; then
  bash scripts/install_deps.sh >&2
  bash scripts/build.sh >&2
fi

model="${MODEL_PATH:-$root/models/stories260K}"
case "$model" in /*) ;; *) [ -n "${MODEL_PATH:-}" ] && model="$caller_dir/$model" ;; esac
[ -d "$model" ] || { echo "model folder not found: $model (set MODEL_PATH)" >&2; exit 1; }
model="$(cd "$model" && pwd)"
name="${MODEL_NAME:-$(basename "$model")}"
controller_port="${CONTROLLER_PORT:-21001}"
worker_port="${WORKER_PORT:-21002}"
server_port="${SERVER_PORT:-8000}"
timeout_s="${SERVE_TIMEOUT:-300}"
log_dir="${LOG_DIR:-$root/build/serve-logs}"
mkdir -p "$log_dir"
controller_url="http://127.0.0.1:$controller_port"
server_url="http://127.0.0.1:$server_port"

bin="$root/build/bin"
for b in fastchat-controller fastchat-worker fastchat-server; do
  [ -x "$bin/$b" ] || { echo "$bin/$b not built (run scripts/build.sh)" >&2; exit 1; }
done

pids=()
names=()
# shellcheck disable=SC2317  # run by the traps below
stop_all() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "${#pids[@]}" -gt 0 ]; then
    echo "stopping ${names[*]} (pids ${pids[*]})" >&2
    stop_pids pids 15
    echo "stopped" >&2
  fi
  exit "$rc"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck source=SCRIPTDIR/lib/processes.sh
source "$root/scripts/lib/processes.sh"
start() {  # NAME BINARY ARGS...: starts it and waits until it prints "listening on"
  local name="$1"
  shift
  names+=("$name")
  start_and_wait pids "$log_dir/$name.log" "$timeout_s" "$@" || exit 1
}

start controller "$bin/fastchat-controller" --host 127.0.0.1 --port "$controller_port"
start worker "$bin/fastchat-worker" --host 127.0.0.1 --port "$worker_port" \
  --controller-address "$controller_url" --model-path "$model" --model-names "$name" "$@"
start server "$bin/fastchat-server" --host 127.0.0.1 --port "$server_port" \
  --controller-address "$controller_url"

wait_model "$server_url" "$name" "$timeout_s" || { echo "logs in $log_dir" >&2; exit 1; }

cat <<EOF

fastchat-cpp is serving "$name" from $model
  OpenAI-compatible API  $server_url/v1   (pid ${pids[2]})
  controller             $controller_url   (pid ${pids[0]})
  worker                 http://127.0.0.1:$worker_port   (pid ${pids[1]})
  logs                   $log_dir/{controller,worker,server}.log

Try it:
curl $server_url/v1/chat/completions -H 'Content-Type: application/json' -d '{"model": "$name", "messages": [{"role": "user", "content": "Once upon a time"}], "max_tokens": 64}'

Press Ctrl-C to stop.
EOF

# Runs until Ctrl-C (the trap stops all three) or until one of them exits on its own.
set +e
wait -n "${pids[@]}"
rc=$?
set -e
for i in "${!pids[@]}"; do
  if ! kill -0 "${pids[$i]}" 2>/dev/null; then
    echo "${names[$i]} exited (status $rc); last lines of $log_dir/${names[$i]}.log:" >&2
    tail -n 20 "$log_dir/${names[$i]}.log" >&2
  fi
done
exit 1
