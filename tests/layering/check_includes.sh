#!/usr/bin/env bash
# The layering rule of src/ (README, "Architecture"): a program folder includes the shared layers
# and itself, never another program folder; a shared layer includes only the layers below it,
# never a program or a tool. Tools (src/tools/) may include any layer and the programs' code.
# Usage: check_includes.sh REPO_ROOT. Prints every offending line and exits 1 if there is one.
set -euo pipefail
root="${1:?usage: check_includes.sh REPO_ROOT}"
cd "$root/src"

programs=(controller worker webserver arena judge train)
layers=(common protocol text model client rating)
status=0

# Lines `#include "<folder>/..."` in the files under $1 whose folder is one of the rest.
offending() {
  local where="$1"
  shift
  local pattern
  pattern=$(IFS='|'; echo "$*")
  grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]+\"($pattern)/" "$where" \
    --include='*.h' --include='*.cpp' || true
}

for program in "${programs[@]}"; do
  [ -d "$program" ] || continue
  others=()
  for other in "${programs[@]}"; do
    [ "$other" != "$program" ] && others+=("$other")
  done
  others+=(tools)
  hits=$(offending "$program" "${others[@]}")
  if [ -n "$hits" ]; then
    echo "program '$program' includes another program or a tool:"
    echo "$hits"
    status=1
  fi
done
# What each layer may include besides itself: the layers below it.
declare -A below=(
  [common]=""
  [protocol]="common"
  [client]="common protocol"
  [text]="common protocol"
  [model]="common"
  [rating]="common"
)
for layer in "${layers[@]}"; do
  [ -d "$layer" ] || continue
  forbidden=("${programs[@]}" tools)
  for other in "${layers[@]}"; do
    [ "$other" = "$layer" ] && continue
    case " ${below[$layer]} " in *" $other "*) ;; *) forbidden+=("$other") ;; esac
  done
  hits=$(offending "$layer" "${forbidden[@]}")
  if [ -n "$hits" ]; then
    echo "shared layer '$layer' includes a program, a tool or a layer not below it (${below[$layer]:-none}):"
    echo "$hits"
    status=1
  fi
done
# Every folder of src/ must be a known layer, program or tools: a new one is placed on purpose.
for dir in */; do
  dir="${dir%/}"
  case " ${programs[*]} ${layers[*]} tools " in
    *" $dir "*) ;;
    *) echo "src/$dir is neither a shared layer (${layers[*]}), a program (${programs[*]}) nor tools"; status=1 ;;
  esac
done
[ "$status" -eq 0 ] && echo "layering: ok (${#programs[@]} program names, ${#layers[@]} layers checked)"
exit "$status"
