#!/usr/bin/env bash
# Re-renders the chat-template references with @huggingface/jinja (make_references.mjs, the
# version package-lock.json pins) into a temporary file and checks it equals the committed
# tests/unit/text/jinja/extra_renderings.json, so that the references stay reproducible.
# Installs node_modules here (npm ci, needs the npm registry) when it is missing.
# Usage: check_references.sh CHAT_TEMPLATES_DIR   (the build's test-data/chat-templates)
set -euo pipefail
templates="${1:?usage: check_references.sh CHAT_TEMPLATES_DIR}"
here="$(cd "$(dirname "$0")" && pwd)"
committed="$here/../../unit/text/jinja/extra_renderings.json"
for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool not found (scripts/install_deps.sh installs it)" >&2
    exit 1
  fi
done
cd "$here"
if [ ! -d node_modules ]; then
  timeout 300 npm ci --no-audit --no-fund
fi
fresh="$(mktemp)"
trap 'rm -f "$fresh"' EXIT
node make_references.mjs "$templates" "$fresh"
if ! cmp -s "$committed" "$fresh"; then
  diff -u "$committed" "$fresh" | head -40 || true
  echo "extra_renderings.json differs from a fresh rendering; refresh it (from the repository root):" >&2
  echo "  node tests/clients/jinja/make_references.mjs $templates \\" >&2
  echo "    tests/unit/text/jinja/extra_renderings.json" >&2
  exit 1
fi
echo "jinja references: reproducible"
