# shellcheck shell=bash
# Sourced by the tests in this folder: starts fastchat processes on ephemeral ports with bounded
# waits and stops exactly the processes it started when the sourcing script exits.
#
#   source stack.sh                      # sets a trap on EXIT INT TERM
#   stack_start controller CMD...        # runs CMD (with --port 0), waits for its
#                                        # "fastchat-X listening on URL" line; sets stack_url
#   stack_wait_model SERVER_URL MODEL    # waits until GET SERVER_URL/v1/models lists MODEL
#   stack_get URL                        # GET with curl, bounded; prints the body
#
# Logs go to $stack_dir/NAME.log and are printed when the script exits with a failure.
# STACK_START_TIMEOUT (seconds, default 60) bounds each wait.

stack_dir=$(mktemp -d "${TMPDIR:-/tmp}/fastchat-stack.XXXXXX")
stack_pids=()
stack_names=()
stack_url=""
stack_timeout="${STACK_START_TIMEOUT:-60}"

stack_stop() {
  local rc=$?
  trap - EXIT INT TERM
  local pid
  for pid in "${stack_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # Bounded: a process still there after 10 s is killed.
  local deadline=$((SECONDS + 10))
  for pid in "${stack_pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "pid $pid ignored SIGTERM for 10 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ]; then
    local name
    for name in "${stack_names[@]}"; do
      echo "----- $name log -----" >&2
      cat "$stack_dir/$name.log" >&2 || true
    done
  fi
  rm -rf "$stack_dir"
  exit "$rc"
}
trap stack_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

stack_start() {  # NAME CMD...
  local name="$1"
  shift
  local log="$stack_dir/$name.log"
  : >"$log"  # exists before the child opens it, so the polling below can read it at once
  "$@" >"$log" 2>&1 &
  local pid=$!
  stack_pids+=("$pid")
  stack_names+=("$name")
  local deadline=$((SECONDS + stack_timeout))
  stack_url=""
  while :; do
    stack_url=$(sed -n 's/^fastchat-[a-z]* listening on \(http:[^ ]*\).*$/\1/p' "$log" | head -n 1)
    [ -n "$stack_url" ] && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited before listening" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$name not listening after ${stack_timeout} s" >&2
      return 1
    fi
    sleep 0.1
  done
}

stack_get() {  # URL
  curl -fsS --max-time 10 "$1"
}

stack_wait_model() {  # SERVER_URL MODEL
  local deadline=$((SECONDS + stack_timeout))
  while :; do
    if stack_get "$1/v1/models" 2>/dev/null | grep -q "\"id\":\"$2\""; then return 0; fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$1/v1/models does not list $2 after ${stack_timeout} s" >&2
      return 1
    fi
    sleep 0.2
  done
}
