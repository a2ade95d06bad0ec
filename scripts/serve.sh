#!/usr/bin/env bash
# Builds fastchat-cpp and starts it on the default model (stories260K from ../shared, or
# MODEL_PATH=...). Until the HTTP services land this is the terminal chat; extra arguments go
# to fastchat-cli (e.g. --prompt "Once upon a time").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >&2
shared="${FASTCHAT_SHARED:-$(cd .. && pwd)/shared}"
model="${MODEL_PATH:-$shared/models/stories260K}"
template=()
case "$model" in *stories*) template=(--conv-template raw) ;; esac
exec build/src/worker/cli/fastchat-cli --model-path "$model" "${template[@]}" "$@"
