#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz, each for a set time, on a copy of the committed seed
# corpus (tests/fuzz/corpus/<target>/). Configures and builds a clang build with
# -DFASTCHAT_FUZZ=ON (build-fuzz/ by default) when needed. Prints the executions of each target
# and any findings (crash, leak, timeout or out-of-memory inputs, kept in the artifact folder) and
# exits non-zero when there is one.
#
#   scripts/fuzz.sh [--seconds N] [--target NAME]... [--build-dir DIR] [--no-build]
#                   [--update-corpus] [--artifacts DIR]
#
# --update-corpus merges the new interesting inputs back into the committed corpus (minimized
# with -merge=1); without it the repository's corpus is never written to.
# The tokenizer target reads the build's unpacked test data (tests/data/README.md), or
# $FASTCHAT_SHARED/tokenizers/qwen3 when set. A target's libFuzzer dictionary (keywords, field names,
# framing tokens), tests/fuzz/dictionaries/<target>.dict, is passed with -dict= when it exists.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
all_targets=(fuzz_openai_request fuzz_worker_request fuzz_controller_request fuzz_stream_parsers
             fuzz_safetensors_header fuzz_tokenizer)
seconds=60
build_dir="$root/build-fuzz"
build=1
update_corpus=0
artifacts=""
targets=()

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --target) targets+=("$2"); shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --update-corpus) update_corpus=1; shift ;;
    --artifacts) artifacts="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "fuzz.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz.sh: --seconds needs a positive integer" >&2
  exit 2
fi
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  if [[ " ${all_targets[*]} " != *" $t "* ]]; then
    echo "fuzz.sh: unknown target '$t' (known: ${all_targets[*]})" >&2
    exit 2
  fi
done

if [ "$build" -eq 1 ]; then
  # ccache keys on paths relative to the checkout, so clones elsewhere reuse the cache.
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}"
  if [ ! -f "$build_dir/CMakeCache.txt" ]; then
    launcher=()
    command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    CC=clang CXX=clang++ cmake -S "$root" -B "$build_dir" -G Ninja \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFASTCHAT_FUZZ=ON -DFASTCHAT_BUILD_TESTS=OFF \
      "${launcher[@]}"
  fi
  ninja -C "$build_dir" "${targets[@]}"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/fastchat-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT
[ -n "$artifacts" ] || artifacts="$build_dir/fuzz-artifacts"
mkdir -p "$artifacts"
# Leaks are findings too; ASan's default. UBSan already aborts (-fno-sanitize-recover).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

status=0
summary=()
for t in "${targets[@]}"; do
  binary="$build_dir/bin/$t"
  if [ ! -x "$binary" ]; then
    echo "fuzz.sh: $binary is not built" >&2
    exit 2
  fi
  seeds="$root/tests/fuzz/corpus/$t"
  corpus="$work/$t"
  mkdir -p "$corpus" "$artifacts/$t"
  [ -d "$seeds" ] && cp -R "$seeds/." "$corpus/"
  log="$work/$t.log"
  dict="$root/tests/fuzz/dictionaries/$t.dict"
  dict_flag=()
  [ -f "$dict" ] && dict_flag=(-dict="$dict")
  echo "== $t: ${seconds}s${dict_flag[*]:+ (dictionary $(basename "$dict"))}"
  touch "$log.start"
  rc=0
  "$binary" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=4096 -print_final_stats=1 \
    "${dict_flag[@]}" -artifact_prefix="$artifacts/$t/" "$corpus" >"$log" 2>&1 || rc=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  [ -n "$execs" ] || execs="$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#')"
  found=()
  while IFS= read -r -d '' f; do found+=("$f"); done < <(
    find "$artifacts/$t" -type f -newer "$log.start" -print0 2>/dev/null || true)
  if [ "$rc" -ne 0 ] || [ ${#found[@]} -gt 0 ]; then
    status=1
    summary+=("$t: ${execs:-?} executions, FINDING (exit $rc)")
    echo "-- $t failed (exit $rc); last lines of its log:"
    tail -n 40 "$log"
    for f in "${found[@]}"; do echo "-- finding: $f"; done
  else
    summary+=("$t: ${execs:-?} executions, no findings")
  fi
  if [ "$update_corpus" -eq 1 ]; then
    mkdir -p "$seeds"
    "$binary" -merge=1 "$seeds" "$corpus" >"$work/$t.merge.log" 2>&1 ||
      { echo "fuzz.sh: corpus merge of $t failed" >&2; status=1; }
  fi
done

echo "== summary"
printf '%s\n' "${summary[@]}"
exit "$status"
