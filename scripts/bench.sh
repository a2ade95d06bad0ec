#!/usr/bin/env bash
# Serving benchmarks of fastchat-cpp, end to end: starts fastchat-controller,
# fastchat-server and fastchat-worker on 127.0.0.1 (ephemeral ports, logs in a temporary folder),
# drives them with `fastchat-bench serve`, and appends a dated section to docs/benchmarks.md with
# the machine, the git commit, the exact commands and Markdown tables. It stops every process it
# started, by PID, when it exits.
#
# Sections (all by default, in this order):
#   matrix    stories260K and the synthetic 110M model (random weights, stories260K's tokenizer)
#             through fastchat-server's /v1/completions: concurrency 1, 8, 32, 64; 128 output
#             tokens (ignore_eos); prompts of 52 words (~126 tokens)
#   native    stories260K and the synthetic 110M model at concurrency 32: the same load through
#             fastchat-server and straight to the worker's /native/generate, alternately, with
#             fastchat-server's CPU time per relayed token (target: the full path loses at most
#             10% of output tokens/s)
#   prefix    the synthetic 110M model (context 1024): every request starts with the same
#             ~950-token system prompt; TTFT with the worker's prefix cache and, after a restart
#             with --no-prefix-cache, without it (target: at least 5x lower with it)
#   overload  stories260K on a worker whose KV cache holds about 16 whole requests, driven at
#             concurrency 32 (target: no errors but 429s, no memory growth); the worker's and
#             fastchat-server's RSS after a warm-up run and after each of four overload runs;
#             then a worker with --max-num-seqs 16 --max-queue-len 8 at concurrency 64 (429s
#             past the limit)
#
# Usage: scripts/bench.sh [--quick] [--only SECTION[,SECTION...]] [--output FILE]
#                         [--build-dir DIR] [--keep-logs]
#   --quick      a smoke run: fewer requests per cell (figures not for the record)
#   --only       run only these sections
#   --output     where to append the section (default docs/benchmarks.md; "-" for stdout only)
#   --build-dir  where the binaries are (default build/; built with scripts/build.sh when missing)
#   --keep-logs  keep the temporary folder (process logs, raw fastchat-bench output)
# Environment: FASTCHAT_SHARED (data folder to read models/stories260K from instead of the
# repository's), BENCH_START_TIMEOUT
# (seconds for each process to start or a model to appear, default 300), BENCH_RUN_TIMEOUT
# (seconds for one fastchat-bench run, default 1800), FASTCHAT_SKIP_BUILD=1 (never build).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
# shellcheck source=SCRIPTDIR/lib/processes.sh
source "$root/scripts/lib/processes.sh"

quick=0
only="matrix,native,prefix,overload"
output="$root/docs/benchmarks.md"
build_dir="$root/build"
keep_logs=0
invocation="scripts/bench.sh${*:+ $*}"
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --only) only="${2:?--only needs a section}"; shift ;;
    --only=*) only="${1#--only=}" ;;
    --output) output="${2:?--output needs a file}"; shift ;;
    --output=*) output="${1#--output=}" ;;
    --build-dir) build_dir="${2:?--build-dir needs a folder}"; shift ;;
    --build-dir=*) build_dir="${1#--build-dir=}" ;;
    --keep-logs) keep_logs=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage; exit 2 ;;
  esac
  shift
done
for section in ${only//,/ }; do
  case "$section" in
    matrix|native|prefix|overload) ;;
    *) echo "--only: unknown section '$section' (matrix, native, prefix, overload)" >&2; exit 2 ;;
  esac
done
wants() { [[ ",$only," == *",$1,"* ]]; }
build_dir="$(cd "$build_dir" 2>/dev/null && pwd || echo "$build_dir")"

# The repository's model, or the one of $FASTCHAT_SHARED when set.
stories="${FASTCHAT_SHARED:-$root}/models/stories260K"
[ -d "$stories" ] || { echo "stories260K not found at $stories" >&2; exit 1; }
start_timeout="${BENCH_START_TIMEOUT:-300}"
run_timeout="${BENCH_RUN_TIMEOUT:-1800}"
command -v python3 >/dev/null || { echo "python3 is needed to read fastchat-bench's JSON" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed for the readiness checks" >&2; exit 1; }

controller_bin="$build_dir/bin/fastchat-controller"
worker_bin="$build_dir/bin/fastchat-worker"
server_bin="$build_dir/bin/fastchat-server"
bench_bin="$build_dir/bin/fastchat-bench"
binaries=("$controller_bin" "$worker_bin" "$server_bin" "$bench_bin")
ensure_built "$root" "$build_dir" "${binaries[@]}" || exit 1
# A path or command line as the report shows it: relative to the checkout, the temporary
# folder as <tmp>.
rel() { local p="${1//"$tmp"/<tmp>}"; echo "${p//"$root"\//}"; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fastchat-bench.XXXXXX")
pids=()

# shellcheck disable=SC2317  # run by the traps below
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pids pids
  if [ "$rc" -ne 0 ]; then
    echo "bench.sh failed (status $rc); logs in $tmp" >&2
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

# Helper for fastchat-bench's JSON lines: fields, table rows, ratios.
cat >"$tmp/fmt.py" <<'PY'
import json, sys

def load(path):
    try:
        with open(path) as f:
            lines = [l for l in f if l.startswith('{"benchmark"')]
        return json.loads(lines[-1]) if lines else None
    except OSError:
        return None

def num(x, digits=1):
    return f"{x:,.{digits}f}"

def errors(r):
    if r["errors"] == 0:
        return "0"
    causes = ", ".join(f"{k} {v}" for k, v in sorted(r["errors_by_cause"].items()))
    return f"{r['errors']} ({causes})"

def per_request(r, key):
    return r[key] / r["completed"] if r["completed"] else 0.0

cmd, args = sys.argv[1], sys.argv[2:]
if cmd == "get":  # FILE KEY[.KEY...]: one value
    r = load(args[0])
    v = r
    for k in args[1].split("."):
        v = v[k] if v is not None else None
    print("" if v is None else v)
elif cmd == "row":  # FILE LABEL...: a row of the serving table
    r = load(args[0])
    labels = " | ".join(args[1:])
    if r is None:
        print(f"| {labels} | run failed (no result; see the log) |" + " |" * 12)
        sys.exit(0)
    print(f"| {labels} | {r['requests']} | {errors(r)} | {num(r['duration_s'], 2)} | "
          f"{num(r['output_tokens_per_s'], 0)} | {num(r['requests_per_s'], 2)} | "
          f"{num(per_request(r, 'prompt_tokens'), 0)} | {num(per_request(r, 'output_tokens'), 0)} | "
          f"{num(r['ttft_ms']['p50'])} | {num(r['ttft_ms']['p99'])} | "
          f"{num(r['itl_ms']['p50'], 2)} | {num(r['itl_ms']['p99'], 2)} | {num(r['tpot_ms']['p50'], 2)} | "
          f"{num(r['e2e_ms']['p50'])} | {num(r['e2e_ms']['p99'])} |")
elif cmd == "mean":  # KEY FILE...: mean of a numeric field over the runs that have a result
    key, files = args[0], args[1:]
    values = []
    for path in files:
        r = load(path)
        if r is None or r["completed"] == 0:
            continue
        v = r
        for k in key.split("."):
            v = v[k]
        values.append(float(v))
    print(sum(values) / len(values) if values else "")
elif cmd == "errors":  # FILE: errors by cause, "0" when none
    r = load(args[0])
    print("no result" if r is None else errors(r))
elif cmd == "only429":  # FILE: exit 0 when every error (if any) is an HTTP 429
    r = load(args[0])
    sys.exit(0 if r is not None and all(k == "http_429" for k in r["errors_by_cause"]) else 1)
elif cmd == "has429":  # FILE: exit 0 when the run got at least one HTTP 429
    r = load(args[0])
    sys.exit(0 if r is not None and r["errors_by_cause"].get("http_429", 0) > 0 else 1)
PY
fmt() { python3 "$tmp/fmt.py" "$@"; }
table_head="| requests | errors | duration s | output tok/s | req/s | prompt tok/req | output tok/req | TTFT p50 | TTFT p99 | ITL p50 | ITL p99 | TPOT p50 | E2E p50 | E2E p99 |"
table_rule="|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"

report="$tmp/report.md"
commands="$tmp/commands.txt"
: >"$report"
: >"$commands"
say() { printf '%s\n' "$*" >>"$report"; }
note_command() { printf '%s\n' "$*" >>"$commands"; }
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# start NAME CMD...: runs CMD (which must take --port 0) in the background and waits for its
# "fastchat-X listening on URL" line; sets started_url and started_pid.
start() {
  local name="$1"
  shift
  start_and_wait pids "$tmp/$name.log" "$start_timeout" "$@" || exit 1
}

# forget PID: stops a process started by start() and drops it from the list.
forget() {
  local pid="$1" i
  stop_pid "$pid"
  for i in "${!pids[@]}"; do [ "${pids[$i]}" = "$pid" ] && pids[i]=""; done
  return 0
}

# wait_model_on_server NAME present|absent: until fastchat-server's /v1/models lists (or no
# longer lists) it.
wait_model_on_server() {
  wait_model "$server_url" "$1" "$start_timeout" "$2" || { echo "logs in $tmp" >&2; exit 1; }
}

worker_pid=""
worker_url=""
worker_model=""
worker_count=0
# start_worker MODEL_NAME MODEL_PATH [worker flags...]: one worker at a time.
start_worker() {
  local name="$1" path="$2"
  shift 2
  [ -n "$worker_pid" ] && stop_worker
  worker_count=$((worker_count + 1))
  local args=(--host 127.0.0.1 --port 0 --controller-address "$controller_url"
              --model-path "$path" --model-names "$name" "$@")
  note_command "$(rel "$worker_bin ${args[*]}")"
  log "starting the worker for $name${*:+ ($*)}"
  start "worker$worker_count" "$worker_bin" "${args[@]}"
  worker_pid="$started_pid"
  worker_url="$started_url"
  worker_model="$name"
  wait_model_on_server "$name" present
}
stop_worker() {
  forget "$worker_pid"
  # It unregisters as it shuts down; the next worker may serve the same name with other flags.
  wait_model_on_server "$worker_model" absent
  worker_pid=""
}
rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
worker_rss_mib() { rss_mib "$worker_pid"; }
worker_log() { echo "$tmp/worker$worker_count.log"; }

# serve_run NAME [fastchat-bench serve flags...]: one run; raw output in $tmp/runs/NAME.out.
# A failed run is recorded (its table row says so) and the script goes on.
mkdir -p "$tmp/runs"
serve_run() {
  local name="$1"
  shift
  note_command "$(rel "$bench_bin serve $*")"
  log "run $name: $*"
  # In the background, so that a signal interrupts the wait at once (the trap then stops it).
  timeout "$run_timeout" "$bench_bin" serve "$@" >"$tmp/runs/$name.out" 2>&1 &
  local pid=$!
  pids+=("$pid")
  if ! wait "$pid"; then
    log "run $name failed: $(tail -n 3 "$tmp/runs/$name.out" | tr '\n' ' ')"
  fi
  forget "$pid"
}
run_file() { echo "$tmp/runs/$1.out"; }

# ---------------------------------------------------------------------------------------------
mkdir -p "$tmp/models"
synthetic="$tmp/models/synthetic-110M"
synthetic_ready=0
ensure_synthetic() {
  [ "$synthetic_ready" = 1 ] && return 0
  local args=(--shape 110M --out "$synthetic" --tokenizer-from "$stories")
  note_command "$(rel "$bench_bin synthesize ${args[*]}")"
  log "writing the synthetic 110M model"
  "$bench_bin" synthesize "${args[@]}" >"$tmp/synthesize.log" 2>&1 ||
    { cat "$tmp/synthesize.log" >&2; exit 1; }
  synthetic_ready=1
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
log "starting fastchat-controller and fastchat-server"
start controller "$controller_bin" --host 127.0.0.1 --port 0
controller_url="$started_url"
note_command "$(rel "$controller_bin --host 127.0.0.1 --port 0")"
start server "$server_bin" --host 127.0.0.1 --port 0 --controller-address "$controller_url"
server_url="$started_url"
server_pid="$started_pid"
note_command "$(rel "$server_bin --host 127.0.0.1 --port 0 --controller-address $controller_url")"

has_prefix_flag=0
"$worker_bin" --help 2>&1 | grep -q -- '--no-prefix-cache' && has_prefix_flag=1

prompt_words=52
output_len=128
concurrencies=(1 8 32 64)
# Requests per cell: stories260K runs 4-7k output tokens/s on 2 cores (~10-40 s a cell), the
# 110M model ~40 tokens/s at batch 1 and ~350-400 at batch 32-64.
declare -A stories_requests=([1]=320 [8]=640 [32]=1280 [64]=1280)
declare -A synthetic_requests=([1]=3 [8]=16 [32]=32 [64]=64)
native_rounds=2
prefix_runs=("1 16" "8 32")  # concurrency, requests
overload_requests_per_slot=8
overload_rounds=4
if [ "$quick" = 1 ]; then
  stories_requests=([1]=24 [8]=64 [32]=128 [64]=128)
  synthetic_requests=([1]=1 [8]=8 [32]=32 [64]=64)
  native_rounds=1
  prefix_runs=("1 4")
  overload_requests_per_slot=2
  overload_rounds=2
fi
common=(--endpoint completions --ignore-eos --output-len "$output_len" --prompt-len "$prompt_words")

# ---------------------------------------------------------------------------------------------
if wants matrix; then
  say "### Throughput matrix: fastchat-server /v1/completions, 128 output tokens"
  say ""
  say "Each row: \`fastchat-bench serve --endpoint completions --ignore-eos --output-len $output_len"
  say "--prompt-len $prompt_words\` at the given concurrency (closed loop), through fastchat-server to one"
  say "worker with default flags. Completions rather than chat: the worker receives exactly the prompt, so"
  say "the native comparison below sends it identical requests. Latencies in ms."
  say ""
  say "| model | concurrency $table_head"
  say "|---|---:$table_rule"
  for model in stories260K synthetic-110M; do
    if [ "$model" = stories260K ]; then
      start_worker stories260K "$stories"
    else
      ensure_synthetic
      start_worker synthetic-110M "$synthetic"
    fi
    for c in "${concurrencies[@]}"; do
      if [ "$model" = stories260K ]; then n="${stories_requests[$c]}"; else n="${synthetic_requests[$c]}"; fi
      serve_run "matrix-$model-c$c" --url "$server_url/v1" --model "$model" "${common[@]}" \
        --concurrency "$c" --num-requests "$n"
      say "$(fmt row "$(run_file "matrix-$model-c$c")" "$model" "$c")"
    done
  done
  say ""
fi

# ---------------------------------------------------------------------------------------------
if wants native; then
  c=32
  clock_ticks=$(getconf CLK_TCK)
  cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
  say "### Full path against the worker's native endpoint, concurrency $c"
  say ""
  say "The same requests (\`--prompt-len $prompt_words --output-len $output_len --ignore-eos\`)"
  say "through fastchat-server's /v1/completions and straight to the worker's /native/generate"
  say "(\`--endpoint native --url <worker>\`), alternately, $native_rounds round(s) per model after an"
  say "unmeasured warm-up run of $c requests through fastchat-server. The last"
  say "column is fastchat-server's CPU time (user + system, from /proc) per output token it relayed."
  say "Latencies in ms."
  say ""
  say "| model | path | round $table_head server CPU µs/token |"
  say "|---|---|---:$table_rule---:|"
  verdicts=()
  for model in stories260K synthetic-110M; do
    if [ "$model" = stories260K ]; then
      n="${stories_requests[$c]}"
      [ "$worker_model" = stories260K ] || start_worker stories260K "$stories"
    else
      n=$((2 * synthetic_requests[$c]))
      ensure_synthetic
      [ "$worker_model" = synthetic-110M ] || start_worker synthetic-110M "$synthetic"
    fi
    # A fresh worker's first requests are slower (allocation, caches): not measured.
    serve_run "native-$model-warmup" --url "$server_url/v1" --model "$model" "${common[@]}" \
      --concurrency "$c" --num-requests "$c"
    full_runs=()
    native_runs=()
    for ((round = 1; round <= native_rounds; round++)); do
      ticks_before=$(cpu_ticks "$server_pid")
      serve_run "native-$model-full-$round" --url "$server_url/v1" --model "$model" "${common[@]}" \
        --concurrency "$c" --num-requests "$n"
      ticks=$(($(cpu_ticks "$server_pid") - ticks_before))
      full_file=$(run_file "native-$model-full-$round")
      full_runs+=("$full_file")
      per_token=$(python3 -c "t = '$(fmt get "$full_file" output_tokens)'
print(f'{1e6 * $ticks / $clock_ticks / float(t):.1f}' if t else 'n/a')")
      say "$(fmt row "$full_file" "$model" "client → fastchat-server → worker" "$round") $per_token |"
      serve_run "native-$model-direct-$round" --url "$worker_url" --model "$model" \
        --endpoint native --ignore-eos --output-len "$output_len" --prompt-len "$prompt_words" \
        --concurrency "$c" --num-requests "$n"
      native_runs+=("$(run_file "native-$model-direct-$round")")
      say "$(fmt row "$(run_file "native-$model-direct-$round")" "$model" "client → worker /native/generate" "$round") – |"
    done
    full_tps=$(fmt mean output_tokens_per_s "${full_runs[@]}")
    native_tps=$(fmt mean output_tokens_per_s "${native_runs[@]}")
    if [ -n "$full_tps" ] && [ -n "$native_tps" ]; then
      verdicts+=("$(python3 -c "f, n = $full_tps, $native_tps; loss = 100 * (1 - f / n)
print(f'$model: full path {f:,.0f} output tokens/s against {n:,.0f} native (mean of the rounds): '
      f'{loss:.1f}% lost; target at most 10%: ' + ('**met**' if loss <= 10 else '**not met**') + '.')")")
    else
      verdicts+=("$model: no comparison, a run failed (see the rows above).")
    fi
  done
  say ""
  for verdict in "${verdicts[@]}"; do say "- $verdict"; done
  say ""
fi

# ---------------------------------------------------------------------------------------------
if wants prefix; then
  # 385 words of the benchmark's word list are ~950 stories260K tokens (2.46 a word); with the
  # request number, 8 more words (~26 tokens) and 4 output tokens a request stays under the
  # 1024-token context.
  prefix_words=385
  prefix_output=4
  say "### Shared system prompt: TTFT with and without prefix caching (synthetic 110M)"
  say ""
  say "Every request begins with the same text of $prefix_words words (about 950 tokens), then its own number"
  say "and 8 words, through /v1/completions (\`--shared-prefix-len $prefix_words --prompt-len 8 --output-len"
  say "$prefix_output --ignore-eos\`). stories260K's context (512 tokens) is too short for this, so the synthetic"
  say "110M model (context 1024) serves it. Each mode gets a fresh worker and one unmeasured request"
  say "(the same shared prompt, then \"0 warm-up request\") before the measured runs."
  say "Latencies in ms."
  say ""
  ensure_synthetic
  echo '["warm-up request"]' >"$tmp/warmup.json"
  if [ "$has_prefix_flag" = 0 ]; then
    say "Prefix caching not available: this fastchat-worker has no \`--no-prefix-cache\` flag, so only"
    say "the worker's default behaviour is measured."
    say ""
    modes=(default)
  else
    modes=(on off)
  fi
  say "| prefix cache | concurrency $table_head"
  say "|---|---:$table_rule"
  for mode in "${modes[@]}"; do
    if [ "$mode" = off ]; then
      start_worker synthetic-110M "$synthetic" --no-prefix-cache
    else
      start_worker synthetic-110M "$synthetic"  # a fresh worker: an empty cache
    fi
    # One request first, not in the table, so that both modes start measuring with the shared
    # prompt already seen once.
    serve_run "prefix-$mode-warmup" --url "$server_url/v1" --model synthetic-110M --endpoint completions \
      --ignore-eos --output-len "$prefix_output" --dataset "$tmp/warmup.json" \
      --shared-prefix-len "$prefix_words" --concurrency 1 --num-requests 1
    for spec in "${prefix_runs[@]}"; do
      read -r c n <<<"$spec"
      serve_run "prefix-$mode-c$c" --url "$server_url/v1" --model synthetic-110M --endpoint completions \
        --ignore-eos --output-len "$prefix_output" --prompt-len 8 --shared-prefix-len "$prefix_words" \
        --concurrency "$c" --num-requests "$n"
      say "$(fmt row "$(run_file "prefix-$mode-c$c")" "$mode" "$c")"
    done
  done
  say ""
  if [ "$has_prefix_flag" = 1 ]; then
    for spec in "${prefix_runs[@]}"; do
      read -r c n <<<"$spec"
      on=$(fmt get "$(run_file "prefix-on-c$c")" ttft_ms.p50)
      off=$(fmt get "$(run_file "prefix-off-c$c")" ttft_ms.p50)
      if [ -n "$on" ] && [ -n "$off" ]; then
        say "$(python3 -c "on, off = $on, $off; ratio = off / on if on > 0 else float('inf')
print(f'Concurrency $c: TTFT p50 {off:,.1f} ms without the prefix cache, {on:,.1f} ms with it: '
      f'{ratio:.1f}x lower; target at least 5x: ' + ('**met**' if ratio >= 5 else '**not met**'))")"
      else
        say "Concurrency $c: no comparison (a run failed)."
      fi
      say ""
    done
  fi
fi

# ---------------------------------------------------------------------------------------------
if wants overload; then
  # Size the KV cache for `slots` whole requests of stories260K: 52-word prompts are ~128 tokens
  # (BOS included) and 128 output tokens, 16 blocks of 16 tokens each.
  slots=16
  block_size=16
  blocks_per_request=16
  bytes_per_token=$(python3 -c "import json; c = json.load(open('$stories/config.json'))
hd = c.get('head_dim') or c['hidden_size'] // c['num_attention_heads']
print(2 * c['num_hidden_layers'] * c.get('num_key_value_heads', c['num_attention_heads']) * hd * 4)")
  kv_bytes=$((slots * blocks_per_request * block_size * bytes_per_token))
  c=$((2 * slots))
  n=$((c * overload_requests_per_slot))
  say "### Overload: twice the requests the KV cache holds (stories260K)"
  say ""
  say "The worker runs with \`--kv-cache-memory $kv_bytes\` ($slots requests of ~$((blocks_per_request * block_size)) tokens:"
  say "$prompt_words-word prompts of ~128 tokens and $output_len output tokens) and the load comes at concurrency"
  say "$c, $n requests per run, through /v1/completions. A warm-up run at concurrency $slots first; the"
  say "worker's RSS (VmRSS) is read after each run. Latencies in ms."
  say ""
  start_worker stories260K "$stories" --kv-cache-memory "$kv_bytes"
  kv_line=$(grep -o 'engine: [0-9]* KV blocks of [0-9]* tokens[^,]*' "$(worker_log)" | head -n 1 || true)
  rss_start=$(worker_rss_mib)
  say "Worker log: \`${kv_line:-no KV cache line found}\`; RSS after loading: $rss_start MiB."
  say ""
  say "| run | concurrency $table_head worker RSS MiB after | server RSS MiB after |"
  say "|---|---:$table_rule---:|---:|"
  serve_run overload-warmup --url "$server_url/v1" --model stories260K "${common[@]}" \
    --concurrency "$slots" --num-requests "$n"
  rss_warm=$(worker_rss_mib)
  server_rss_warm=$(rss_mib "$server_pid")
  say "$(fmt row "$(run_file overload-warmup)" "warm-up" "$slots") $rss_warm | $server_rss_warm |"
  overload_ok=1
  rss_runs=()
  server_rss_runs=()
  for ((round = 1; round <= overload_rounds; round++)); do
    serve_run "overload-$round" --url "$server_url/v1" --model stories260K "${common[@]}" \
      --concurrency "$c" --num-requests "$n"
    rss_runs+=("$(worker_rss_mib)")
    server_rss_runs+=("$(rss_mib "$server_pid")")
    say "$(fmt row "$(run_file "overload-$round")" "overload $round" "$c") ${rss_runs[-1]} | ${server_rss_runs[-1]} |"
    fmt only429 "$(run_file "overload-$round")" || overload_ok=0
  done
  # Past the queue limit: a worker running at most 16 sequences that queues at most 8 more
  # refuses the rest at once, which fastchat-server answers with 429.
  queue_limit=8
  start_worker stories260K "$stories" --kv-cache-memory "$kv_bytes" --max-num-seqs "$slots" \
    --max-queue-len "$queue_limit"
  serve_run overload-queue-limit --url "$server_url/v1" --model stories260K "${common[@]}" \
    --concurrency "$((4 * slots))" --num-requests "$n"
  say "$(fmt row "$(run_file overload-queue-limit)" "\`--max-num-seqs $slots --max-queue-len $queue_limit\`" "$((4 * slots))") $(worker_rss_mib) | $(rss_mib "$server_pid") |"
  fmt only429 "$(run_file overload-queue-limit)" || overload_ok=0
  queue_refused=1
  fmt has429 "$(run_file overload-queue-limit)" || queue_refused=0
  say ""
  errors_all=""
  for ((round = 1; round <= overload_rounds; round++)); do
    errors_all+="${errors_all:+, }$(fmt errors "$(run_file "overload-$round")")"
  done
  say "Errors in the $overload_rounds overload runs: $errors_all; past the queue limit:"
  say "$(fmt errors "$(run_file overload-queue-limit)") ($([ "$overload_ok" = 1 ] && echo "target met: no errors but 429s" || echo "**target not met**: errors other than 429"); $([ "$queue_refused" = 1 ] && echo "the queue limit refused requests with 429" || echo "**no 429 past the queue limit**"))."
  say "$(python3 -c "w = [$(IFS=,; echo "${rss_runs[*]}")]; s = [$(IFS=,; echo "${server_rss_runs[*]}")]
ww, sw = $rss_warm, $server_rss_warm
def verdict(name, warm, runs):
    grow = runs[-1] - warm
    late = runs[-1] - runs[len(runs) // 2]
    ok = grow <= max(0.10 * warm, 2) and late <= 1  # 2 MiB: allocator noise of a small heap
    return (f'{name} RSS {warm} MiB after the warm-up, {runs[-1]} after the last overload run '
            f'({grow:+d} MiB; {late:+d} over the second half of the runs): '
            + ('**stable**' if ok else '**growing**'))
print(verdict('Worker', ww, w) + '; ' + verdict('fastchat-server', sw, s) + '.')")"
  say "(Worker RSS after loading: $rss_start MiB.)"
  say ""
fi

# ---------------------------------------------------------------------------------------------
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
section="$tmp/section.md"
{
  echo ""
  echo "## Serving benchmark run $(date -u '+%Y-%m-%d %H:%M UTC') (\`$invocation\`)"
  echo ""
  [ "$quick" = 1 ] && { echo "**Quick smoke run (--quick): too few requests per cell for the figures to mean much.**"; echo ""; }
  cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
  mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  os=$( (. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") || uname -s)
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  dirty=""
  [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && dirty=" with uncommitted changes"
  sockets=$(lscpu 2>/dev/null | sed -n 's/^Socket(s): *//p' | head -n 1)
  cores=$(lscpu 2>/dev/null | sed -n 's/^Core(s) per socket: *//p' | head -n 1)
  threads=$(lscpu 2>/dev/null | sed -n 's/^Thread(s) per core: *//p' | head -n 1)
  echo "Machine: ${cpu:-unknown CPU}; $(nproc) CPUs (${sockets:-?} socket(s) × ${cores:-?} core(s) ×"
  echo "${threads:-?} thread(s)); $mem RAM; $os, kernel $(uname -r). Load average (1/5/15 min)"
  echo "before the run: $load_before; after: $load_after. Load generator, fastchat-server, the worker"
  echo "and the controller all run on this machine."
  echo ""
  echo "Commit $commit$dirty; binaries from \`$(rel "$build_dir")\`. Prefix caching in this worker:"
  echo "$([ "$has_prefix_flag" = 1 ] && echo "available (\`--no-prefix-cache\` found in \`fastchat-worker --help\`)" || echo "not available (no \`--no-prefix-cache\` in \`fastchat-worker --help\`)")."
  echo ""
  echo "Commands (ports were ephemeral; \`<tmp>\` is the run's temporary folder):"
  echo ""
  echo '```'
  cat "$commands"
  echo '```'
  echo ""
  cat "$report"
} >"$section"
cat "$section"
if [ "$output" != - ]; then
  cat "$section" >>"$output"
  log "appended to $output"
fi
