#!/usr/bin/env bash
# Installs tests/clients/node_modules from package-lock.json (npm ci) unless what is there already
# satisfies it. Needs node and npm (scripts/install_deps.sh) and the npm registry.
set -euo pipefail
cd "$(dirname "$0")"
command -v node >/dev/null || { echo "node not found (scripts/install_deps.sh installs it)" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm not found (scripts/install_deps.sh installs it)" >&2; exit 1; }
if [ -d node_modules ] && npm ls --all >/dev/null 2>&1; then
  exit 0
fi
timeout 300 npm ci --no-audit --no-fund
