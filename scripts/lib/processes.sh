# shellcheck shell=bash
# Starting and stopping fastchat programs from the scripts (serve.sh, bench.sh, soak.sh and the
# client tests' stack.sh), sourced by each. A program runs in the background with its output in
# a log file and counts as started once it prints its "fastchat-X listening on URL" line; it is
# stopped by its PID only.

# start_and_wait PIDS LOG TIMEOUT CMD...: runs CMD in the background, output to LOG, appends
# its PID to the array named PIDS at once (so the caller's exit trap stops it whatever happens
# next), and waits up to TIMEOUT seconds for the "listening on" line. Sets started_pid and
# started_url. Returns 1, with the log's last lines on stderr, if CMD exits or times out first.
started_pid=""
started_url=""
start_and_wait() {
  local -n pid_list="$1"
  local log="$2" timeout="$3"
  shift 3
  : >"$log"  # exists before the child opens it, so the polling below can read it at once
  "$@" >"$log" 2>&1 &
  started_pid=$!
  pid_list+=("$started_pid")
  started_url=""
  local deadline=$((SECONDS + timeout))
  while :; do
    started_url=$(sed -n 's/^fastchat-[a-z]* listening on \(http:[^ ]*\).*$/\1/p' "$log" | head -n 1)
    [ -n "$started_url" ] && return 0
    if ! kill -0 "$started_pid" 2>/dev/null; then
      echo "$(basename "$log" .log) exited during start-up; last lines of $log:" >&2
      tail -n 20 "$log" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$(basename "$log" .log) not listening after ${timeout} s; see $log" >&2
      return 1
    fi
    sleep 0.1
  done
}

# process_running PID: whether PID runs (a zombie, e.g. a killed process its parent has not
# reaped yet, does not).
process_running() {
  local state
  state=$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\).*$/\1/p' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# stop_pid PID [GRACE]: SIGTERM (the programs drain and exit 0), up to GRACE seconds (default
# 20), then SIGKILL; reaps it when it is our child.
stop_pid() {
  local pid="$1" deadline=$((SECONDS + ${2:-20}))
  kill -TERM "$pid" 2>/dev/null || return 0
  while process_running "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  if process_running "$pid"; then
    echo "pid $pid ignored SIGTERM for ${2:-20} s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# stop_pids PIDS [GRACE]: stops every PID of the array named PIDS at once (empty entries are
# skipped): SIGTERM to all, last started first, then up to GRACE seconds (default 20) for all
# of them together before SIGKILL to whatever is left.
stop_pids() {
  local -n stop_list="$1"
  local grace="${2:-20}" i pid
  # Under the callers' `set -e`, a failed kill (a process already gone) must not end the loop.
  for ((i = ${#stop_list[@]} - 1; i >= 0; i--)); do
    if [ -n "${stop_list[$i]}" ]; then kill -TERM "${stop_list[$i]}" 2>/dev/null || true; fi
  done
  local deadline=$((SECONDS + grace))
  for pid in "${stop_list[@]}"; do
    [ -n "$pid" ] || continue
    while process_running "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    if process_running "$pid"; then
      echo "pid $pid ignored SIGTERM for $grace s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  return 0
}

# wait_model SERVER_URL NAME TIMEOUT [present|absent]: until GET SERVER_URL/v1/models lists
# NAME (or, with "absent", no longer does). Returns 1 after TIMEOUT seconds.
wait_model() {
  local url="$1" name="$2" timeout="$3" want="${4:-present}"
  local deadline=$((SECONDS + timeout))
  while :; do
    if curl -fsS --max-time 10 "$url/v1/models" 2>/dev/null | grep -qF "\"id\":\"$name\""; then
      [ "$want" = present ] && return 0
    else
      [ "$want" = absent ] && return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$url/v1/models: $name still not $want after ${timeout} s" >&2
      return 1
    fi
    sleep 0.2
  done
}

# ensure_built ROOT BUILD_DIR BINARY...: when a binary is missing, builds ROOT/build with
# scripts/build.sh; any other build folder, or FASTCHAT_SKIP_BUILD=1, is never built: returns 1.
ensure_built() {
  local root="$1" build_dir="$2" binary
  shift 2
  for binary in "$@"; do
    [ -x "$binary" ] && continue
    if [ "$build_dir" != "$root/build" ] || [ "${FASTCHAT_SKIP_BUILD:-0}" = 1 ]; then
      echo "binaries missing in $build_dir (build them, or drop --build-dir to build build/)" >&2
      return 1
    fi
    echo "building (scripts/build.sh)" >&2
    bash "$root/scripts/build.sh" >&2
    return
  done
}
