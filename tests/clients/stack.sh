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
# shellcheck disable=SC2034  # used by name: start_and_wait and stop_pids append and read it
stack_pids=()
stack_names=()
stack_url=""
stack_timeout="${STACK_START_TIMEOUT:-60}"

stack_stop() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pids stack_pids 10
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

# shellcheck source=SCRIPTDIR/../../scripts/lib/processes.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/processes.sh"

stack_start() {  # NAME CMD...
  local name="$1"
  shift
  stack_names+=("$name")
  start_and_wait stack_pids "$stack_dir/$name.log" "$stack_timeout" "$@" || return 1
  # shellcheck disable=SC2034  # read by the scripts that source this file
  stack_url="$started_url"
}

stack_get() {  # URL
  curl -fsS --max-time 10 "$1"
}

stack_wait_model() {  # SERVER_URL MODEL
  wait_model "$1" "$2" "$stack_timeout"
}
