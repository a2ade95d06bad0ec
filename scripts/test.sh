#!/usr/bin/env bash
# The project's test command: installs what is missing, builds, runs every test.
# Reference data comes from the repository (models/, tests/data/); FASTCHAT_SHARED=/path makes
# the tests read that folder instead.
#
#   scripts/test.sh                     build/ (Release), every CTest test; then build-notorch/
#                                       (-DFASTCHAT_BUILD_WORKER=OFF with libtorch hidden) and its
#                                       tests; then each fuzz target briefly
#   scripts/test.sh --sanitize          build-asan/ (ASan+UBSan), the unit and e2e tests
#   scripts/test.sh --sanitize=thread   build-tsan/ (TSan), the unit tests not labelled `torch`,
#                                       then the e2e suites with TSan-built controller and server
#                                       and build/'s worker
#
# Sanitized runs (RelWithDebInfo, -DSANITIZE=...) fail on any finding: every sanitizer report,
# from a test binary or from a server process an e2e test started, goes to
# <build dir>/sanitizer-logs/ and the run fails if that folder is not empty afterwards.
# Suppressions (tests/sanitizers/*.supp) cover third-party libraries only. The fuzz step is
# skipped. The TSan run leaves out every test labelled `torch` (CMake labels a test that links a
# libtorch library by itself): libtorch and libgomp are not instrumented, and OpenMP's
# barriers are invisible to TSan, which reports them as races. Its e2e suites therefore run an
# uninstrumented worker (built in build/) behind the sanitized controller and fastchat-server,
# the two programs whose threads (sessions, handler threads, the stream poller) TSan checks.
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=""
for arg in "$@"; do
  case "$arg" in
    --sanitize|--sanitize=address) sanitize=address ;;
    --sanitize=thread) sanitize=thread ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test.sh: unknown argument '$arg' (--sanitize, --sanitize=thread)" >&2; exit 2 ;;
  esac
done

if [ -z "$sanitize" ]; then
  bash scripts/build.sh
  ctest --test-dir build --output-on-failure -j 2 --timeout 600
  # The controller, the API server and every torch-free library and test, configured as a
  # machine without libtorch would (its CMake package hidden) and tested.
  FASTCHAT_BUILD_DIR=build-notorch bash scripts/build.sh -DFASTCHAT_BUILD_WORKER=OFF \
    -DCMAKE_DISABLE_FIND_PACKAGE_Torch=ON
  ctest --test-dir build-notorch --output-on-failure -j 2 --timeout 600
  # Every fuzz target briefly on its committed seeds (clang, ASan+UBSan; scripts/fuzz.sh runs
  # them longer). FASTCHAT_FUZZ_SECONDS=0 skips this.
  fuzz_seconds="${FASTCHAT_FUZZ_SECONDS:-5}"
  if [ "$fuzz_seconds" != "0" ]; then
    bash scripts/fuzz.sh --seconds "$fuzz_seconds"
  fi
  exit 0
fi

# ---- sanitized builds and runs ----
supp="$(pwd)/tests/sanitizers"
# -O1 (as the sanitizers advise; it also compiles faster than -O2) and line tables (-g1): all a
# report's stack needs; full -g makes the torch PCH much bigger.
build_flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG")
if [ "$sanitize" = "address" ]; then
  build_dir=build-asan
  build_flags+=("-DSANITIZE=address,undefined")
  targets=""
  ctest_select=(-L 'unit|e2e')
else
  build_dir=build-tsan
  build_flags+=(-DSANITIZE=thread)
  # Every program and test binary that never loads libtorch (CMake collects them).
  targets="fastchat_torch_free"
  # Tests of the targets not built are registered as <target>_NOT_BUILT, without a label.
  ctest_select=(-L '^unit$' -LE '^torch$' -E '_NOT_BUILT$')
fi
FASTCHAT_BUILD_DIR="$build_dir" FASTCHAT_BUILD_TARGETS="$targets" \
  bash scripts/build.sh "${build_flags[@]}"

# The e2e harness finds the programs through the paths CTest gives it.
logs="$(pwd)/$build_dir/sanitizer-logs"
rm -rf "$logs"
mkdir -p "$logs"
# Every finding stops the process that made it (halt_on_error; UBSan cannot recover either, see
# cmake/Sanitize.cmake) and is written to $logs/<kind>.<pid>.
if [ "$sanitize" = "address" ]; then
  export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:check_initialization_order=1:log_path=$logs/asan:symbolize=1"
  export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan:suppressions=$supp/ubsan.supp"
else
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:log_path=$logs/tsan:suppressions=$supp/tsan.supp"
fi
status=0
ctest --test-dir "$build_dir" "${ctest_select[@]}" --output-on-failure -j 2 --timeout 1200 || status=$?
if [ "$sanitize" = "thread" ]; then
  FASTCHAT_BUILD_TARGETS=fastchat-worker bash scripts/build.sh
  for suite in tests/e2e/test_*.py; do
    echo "== $(basename "$suite" .py) (TSan controller and server)"
    timeout 1200 python3 tests/e2e/run_e2e.py \
      --controller "$build_dir/bin/fastchat-controller" \
      --server "$build_dir/bin/fastchat-server" \
      --worker build/bin/fastchat-worker \
      --pattern "$(basename "$suite")" || status=1
  done
fi
reports=()
while IFS= read -r -d '' f; do reports+=("$f"); done < <(find "$logs" -type f -print0)
if [ ${#reports[@]} -gt 0 ]; then
  echo "== ${#reports[@]} sanitizer report(s) in $logs:" >&2
  for f in "${reports[@]}"; do
    echo "---- $f" >&2
    head -n 80 "$f" >&2
  done
  status=1
fi
exit "$status"
