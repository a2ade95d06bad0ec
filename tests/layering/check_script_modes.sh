#!/usr/bin/env bash
# Every script a person is told to run (scripts/*.sh, scripts/*.py, .ci/run) is committed with its
# run bit, so that `scripts/soak.sh` never answers "Permission denied".
# Usage: check_script_modes.sh REPO_ROOT
set -euo pipefail
root="${1:?usage: check_script_modes.sh REPO_ROOT}"
cd "$root"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # The mode git records is what a clone gets.
  bad=$(git ls-files -s -- ':(glob)scripts/*.sh' ':(glob)scripts/*.py' .ci/run | awk '$1 != "100755" {print $4}')
else
  bad=$(find scripts -maxdepth 1 \( -name '*.sh' -o -name '*.py' \) ! -perm -u+x; [ -x .ci/run ] || echo .ci/run)
fi
if [ -n "$bad" ]; then
  echo "scripts without the run bit (git update-index --chmod=+x FILE):"
  echo "$bad"
  exit 1
fi
echo "script modes: ok"
