#!/usr/bin/env bash
# The project's test command: installs what is missing, builds, runs every test.
# Shared data (models, tokenizers) is read from ../shared or $FASTCHAT_SHARED.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
export FASTCHAT_SHARED="${FASTCHAT_SHARED:-$(cd .. && pwd)/shared}"
if [ ! -d "$FASTCHAT_SHARED/models/stories260K" ]; then
  echo "shared data not found at $FASTCHAT_SHARED (set FASTCHAT_SHARED)" >&2
  exit 1
fi
ctest --test-dir build --output-on-failure -j 2 --timeout 600
# Every fuzz target briefly on its committed seeds (clang, ASan+UBSan; scripts/fuzz.sh runs
# them longer). FASTCHAT_FUZZ_SECONDS=0 skips this.
fuzz_seconds="${FASTCHAT_FUZZ_SECONDS:-5}"
if [ "$fuzz_seconds" != "0" ]; then
  bash scripts/fuzz.sh --seconds "$fuzz_seconds"
fi
