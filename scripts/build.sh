#!/usr/bin/env bash
# Configures and builds fastchat-cpp into build/ (Release, Ninja, ccache).
# Usage: scripts/build.sh [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
flags=(-DCMAKE_BUILD_TYPE=Release)
# Warnings are errors in CI; elsewhere the build folder keeps whatever it was configured with
# (flipping the flag would recompile everything).
[ "${CI:-}" = "true" ] && flags+=(-DFASTCHAT_WARNINGS_AS_ERRORS=ON)
cmake -S . -B build -G Ninja "${flags[@]}" "$@"
# Torch translation units take ~1.5 GB of RAM each; two jobs fit every machine we target.
jobs=$(nproc)
[ "$jobs" -gt 4 ] && jobs=4
cmake --build build -j "$jobs"
