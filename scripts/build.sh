#!/usr/bin/env bash
# Configures and builds fastchat-cpp into build/ (Release, Ninja, ccache).
# Usage: scripts/build.sh [extra cmake args...]
# FASTCHAT_BUILD_DIR=DIR builds into DIR instead of build/ (scripts/test.sh --sanitize uses
# build-asan/ and build-tsan/); FASTCHAT_BUILD_TARGETS="t1 t2" builds only those targets.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
flags=(-DCMAKE_BUILD_TYPE=Release)
# Warnings are errors in CI; elsewhere the build folder keeps whatever it was configured with
# (flipping the flag would recompile everything).
[ "${CI:-}" = "true" ] && flags+=(-DFASTCHAT_WARNINGS_AS_ERRORS=ON)
build_dir="${FASTCHAT_BUILD_DIR:-build}"
# ccache keys on paths relative to the checkout, so clones elsewhere (CI's) reuse the cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
cmake -S . -B "$build_dir" -G Ninja "${flags[@]}" "$@"
# Torch translation units take ~1.5 GB of RAM each; two jobs fit every machine we target.
jobs=$(nproc)
[ "$jobs" -gt 4 ] && jobs=4
targets=()
read -r -a targets <<<"${FASTCHAT_BUILD_TARGETS:-}"
cmake --build "$build_dir" -j "$jobs" ${targets[@]+--target "${targets[@]}"}
