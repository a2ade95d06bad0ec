#!/usr/bin/env bash
# Soak test of the whole stack (not run by CI): starts fastchat-controller,
# fastchat-server and one or two fastchat-workers serving stories260K on 127.0.0.1 (ephemeral
# ports, logs in a temporary folder), then drives N mixed requests at fastchat-server with
# scripts/soak_driver.py: chat and completions, streamed and not, some cancelled by the client
# after a few chunks, some invalid on purpose (bad JSON, unknown model, max_tokens over the
# context, ...). After 40% of the requests it SIGKILLs one worker mid-traffic and starts it again.
#
# Prints the requests sent, succeeded, and failed by cause (expected-invalid 4xx,
# cancelled-by-client, 429 overload, failures while the killed worker was down, unexplained),
# and every process's resident memory (VmRSS) at start, after the warm-up (the first 25% of the
# requests), before the kill, after the kill phase (70%) and at the end, plus the series read
# after every 10%. Exits non-zero when a failure is unexplained or when a process's end RSS is
# more than --rss-tolerance percent (default 10) above its RSS after the warm-up (the restarted
# worker: above its RSS after the kill phase). Every process it started is stopped by PID on
# exit.
#
# Usage: scripts/soak.sh [--requests N] [--concurrency C] [--workers 1|2] [--build-dir DIR]
#                        [--rss-tolerance PERCENT] [--malloc-arena-max N] [--keep-logs]
#   --requests       requests to send (default 2000)
#   --concurrency    client threads (default 64)
#   --workers        workers serving the model (default 2; with 1, requests fail with 503
#                    until the killed worker is back, and count as failures during the kill)
#   --build-dir      where the binaries are (default build/; built with scripts/build.sh when
#                    missing there)
#   --rss-tolerance  allowed RSS growth from the warm-up to the end, percent (default 10)
#   --malloc-arena-max  MALLOC_ARENA_MAX for the processes (default 0: not set, and the
#                    programs cap glibc at 2 arenas themselves; 16 gives glibc's own default
#                    on 2 cores). The servers run blocking requests on a pool of long-lived
#                    handler threads (and short-lived threads for n > 1 choices); with glibc's
#                    default arenas their RSS creeps up for thousands of requests as the
#                    per-thread arenas and caches fill (measured with the pool, fastchat-server
#                    over 10,000 requests: 15.2 MiB with 16 arenas, 14.6 MiB with 2).
#   --keep-logs      keep the temporary folder (process logs, JSON summary)
# Environment: FASTCHAT_SHARED (data folder to read models/stories260K from instead of the
# repository's), SOAK_START_TIMEOUT
# (seconds for each process to start or the model to appear, default 120), SOAK_RUN_TIMEOUT
# (seconds for the whole drive, default 1800), FASTCHAT_SKIP_BUILD=1 (never build).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
# shellcheck source=SCRIPTDIR/lib/processes.sh
source "$root/scripts/lib/processes.sh"

requests=2000
concurrency=64
workers=2
build_dir="$root/build"
rss_tolerance=10
arena_max=0
keep_logs=0
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --requests) requests="${2:?--requests needs a number}"; shift ;;
    --requests=*) requests="${1#--requests=}" ;;
    --concurrency) concurrency="${2:?--concurrency needs a number}"; shift ;;
    --concurrency=*) concurrency="${1#--concurrency=}" ;;
    --workers) workers="${2:?--workers needs 1 or 2}"; shift ;;
    --workers=*) workers="${1#--workers=}" ;;
    --build-dir) build_dir="${2:?--build-dir needs a folder}"; shift ;;
    --build-dir=*) build_dir="${1#--build-dir=}" ;;
    --rss-tolerance) rss_tolerance="${2:?--rss-tolerance needs a percentage}"; shift ;;
    --rss-tolerance=*) rss_tolerance="${1#--rss-tolerance=}" ;;
    --malloc-arena-max) arena_max="${2:?--malloc-arena-max needs a number}"; shift ;;
    --malloc-arena-max=*) arena_max="${1#--malloc-arena-max=}" ;;
    --keep-logs) keep_logs=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage; exit 2 ;;
  esac
  shift
done
for value in "$requests" "$concurrency"; do
  [[ "$value" =~ ^[1-9][0-9]*$ ]] || { echo "--requests and --concurrency need positive integers" >&2; exit 2; }
done
[[ "$workers" =~ ^[12]$ ]] || { echo "--workers must be 1 or 2" >&2; exit 2; }
[[ "$rss_tolerance" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "--rss-tolerance needs a number" >&2; exit 2; }
[[ "$arena_max" =~ ^[0-9]+$ ]] || { echo "--malloc-arena-max needs a non-negative integer" >&2; exit 2; }
if [ "$arena_max" != 0 ]; then
  export MALLOC_ARENA_MAX="$arena_max"
else
  unset MALLOC_ARENA_MAX
fi
build_dir="$(cd "$build_dir" 2>/dev/null && pwd || echo "$build_dir")"

# The repository's model, or the one of $FASTCHAT_SHARED when set.
stories="${FASTCHAT_SHARED:-$root}/models/stories260K"
[ -d "$stories" ] || { echo "stories260K not found at $stories" >&2; exit 1; }
start_timeout="${SOAK_START_TIMEOUT:-120}"
run_timeout="${SOAK_RUN_TIMEOUT:-1800}"
command -v python3 >/dev/null || { echo "python3 is needed for scripts/soak_driver.py" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed for the readiness checks" >&2; exit 1; }

controller_bin="$build_dir/bin/fastchat-controller"
worker_bin="$build_dir/bin/fastchat-worker"
server_bin="$build_dir/bin/fastchat-server"
ensure_built "$root" "$build_dir" "$controller_bin" "$worker_bin" "$server_bin" || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fastchat-soak.XXXXXX")
pids=()
restart_pid_file="$tmp/restarted.pid"

# shellcheck disable=SC2317  # run by the traps below
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local pid
  # The worker the driver restarted (normally stopped by the driver already); only if that PID
  # is still the worker binary.
  if [ -s "$restart_pid_file" ]; then
    pid=$(head -n 1 "$restart_pid_file")
    if [[ "$pid" =~ ^[0-9]+$ ]] &&
       tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF "$worker_bin"; then
      stop_pid "$pid"
    fi
  fi
  stop_pids pids
  if [ "$rc" -ne 0 ]; then
    echo "soak.sh failed (status $rc); logs in $tmp" >&2
  elif [ "$keep_logs" = 1 ]; then
    echo "logs kept in $tmp" >&2
  else
    rm -rf "$tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { printf '[soak %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# start NAME CMD...: runs CMD (which must take --port 0) in the background and waits for its
# "fastchat-X listening on URL" line; sets started_url and started_pid.
start() {
  local name="$1"
  shift
  start_and_wait pids "$tmp/$name.log" "$start_timeout" "$@" || exit 1
}

# wait_registered NAME URL: until the worker's log says it registered.
wait_registered() {
  local log_file="$tmp/$1.log" url="$2" deadline=$((SECONDS + start_timeout))
  until grep -qF "registered $url with controller" "$log_file"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$1 did not register within ${start_timeout} s; see $log_file" >&2
      exit 1
    fi
    sleep 0.1
  done
}

# The controller forgets a SIGKILLed worker after --heart-beat-expiration; short here so that
# the kill window is short too.
expiration=6
log "starting fastchat-controller"
start controller "$controller_bin" --host 127.0.0.1 --port 0 --heart-beat-expiration "$expiration"
controller_url="$started_url"
controller_pid="$started_pid"

worker_args=(--host 127.0.0.1 --port 0 --controller-address "$controller_url"
             --model-path "$stories" --model-names stories260K --heart-beat-interval 1)
worker_pids=()
for ((w = 1; w <= workers; w++)); do
  log "starting fastchat-worker $w"
  start "worker$w" "$worker_bin" "${worker_args[@]}"
  wait_registered "worker$w" "$started_url"
  worker_pids+=("$started_pid")
done
log "starting fastchat-server"
start server "$server_bin" --host 127.0.0.1 --port 0 --controller-address "$controller_url"
server_url="$started_url"
server_pid="$started_pid"
wait_model "$server_url" stories260K "$start_timeout" || exit 1

# The worker killed midway is the last one; the driver starts it again with the same command.
printf '%s\0' "$worker_bin" "${worker_args[@]}" >"$tmp/restart.argv"
procs=(--proc "controller=$controller_pid" --proc "server=$server_pid")
for ((w = 1; w <= workers; w++)); do procs+=(--proc "worker$w=${worker_pids[$((w - 1))]}"); done
log "driving $requests requests at concurrency $concurrency ($workers worker(s); worker$workers is killed after 40%; MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-unset, 2 by the programs})"
rc=0
python3 scripts/soak_driver.py --server "$server_url" --requests "$requests" \
  --concurrency "$concurrency" "${procs[@]}" --kill "worker$workers" \
  --restart-argv "$tmp/restart.argv" --restart-log "$tmp/worker$workers-restarted.log" \
  --restart-pid-file "$restart_pid_file" --kill-grace $((expiration + 2)) \
  --rss-tolerance "$rss_tolerance" --timeout "$run_timeout" --json "$tmp/summary.json" &
driver_pid=$!
pids+=("$driver_pid")
wait "$driver_pid" || rc=$?
pids[-1]=""
for name in controller server; do
  pid_var="${name}_pid"
  if ! process_running "${!pid_var}"; then
    echo "fastchat-$name died during the soak; last lines of its log:" >&2
    tail -n 20 "$tmp/$name.log" >&2
    rc=1
  fi
done
exit "$rc"
