#!/usr/bin/env bash
# fastchat-cli end to end on stories260K: the non-interactive answer equals reference.json's
# greedy continuation, the interactive loop answers and obeys !!reset / !!exit, and
# `tokenize` prints the reference prompt ids.
# Usage: cli_test.sh PATH/TO/fastchat-cli [DATA_DIR]
# DATA_DIR (default $FASTCHAT_SHARED, else the repository) holds models/stories260K.
set -euo pipefail
cli="$1"
data="${2:-${FASTCHAT_SHARED:-$(cd "$(dirname "$0")/../.." && pwd)}}"
model="$data/models/stories260K"
fail=0
check() {  # name expected actual
  if [ "$2" == "$3" ]; then echo "ok   $1"; else
    echo "FAIL $1"; echo "  expected: $(printf %q "$2")"; echo "  actual:   $(printf %q "$3")"; fail=1; fi
}
ref() { python3 -c "import json,sys; r=json.load(open('$model/reference.json'))['results'][$1]; print($2)"; }

for i in 0 1 3; do
  prompt=$(ref $i "r['prompt']")
  expected=$(ref $i "r['generated_text']")
  actual=$(timeout 60 "$cli" --model-path "$model" --conv-template raw --temperature 0 \
             --max-new-tokens 64 --prompt "$prompt")
  check "prompt $i answer" "$expected" "$actual"
done

expected_ids=$(ref 0 "json.dumps(r['prompt_ids'], separators=(',', ':'))")
actual_ids=$(timeout 30 "$cli" tokenize --tokenizer-path "$model" --add-special-tokens "Once upon a time")
check "tokenize" "$expected_ids" "$actual_ids"

# Interactive: two turns, a reset, then exit. The raw template concatenates turns, so the
# first answer must be the reference continuation of "Once upon a time".
first=$(ref 0 "r['generated_text']")
session=$(printf 'Once upon a time\n!!reset\nLily wanted to\n!!exit\n' |
  timeout 60 "$cli" --model-path "$model" --conv-template raw --temperature 0 --max-new-tokens 64)
case "$session" in
  *"$first"*) echo "ok   interactive first answer" ;;
  *) echo "FAIL interactive first answer"; echo "$session"; fail=1 ;;
esac
case "$session" in
  *"=== conversation reset ==="*) echo "ok   interactive reset" ;;
  *) echo "FAIL interactive reset"; fail=1 ;;
esac
second=$(ref 1 "r['generated_text']")
case "$session" in
  *"$second"*) echo "ok   answer after reset ignores the old turn" ;;
  *) echo "FAIL answer after reset"; echo "$session"; fail=1 ;;
esac

# A chat template keeps the history: the second prompt holds the first (trimmed) answer, in
# vicuna_v1.1's layout.
chat=$(printf 'Hi there\nTell me a story\n!!exit\n' |
  timeout 60 "$cli" --model-path "$model" --conv-template vicuna_v1.1 --temperature 0 \
    --max-new-tokens 12 --debug)
first_answer=$(printf '%s\n' "$chat" | awk '/^\[\/prompt\]$/{getline; print; exit}')
first_answer="${first_answer%"${first_answer##*[![:space:]]}"}"  # streamed with its trailing space
case "$chat" in
  *"USER: Hi there ASSISTANT: $first_answer</s>USER: Tell me a story ASSISTANT:"*)
    echo "ok   chat history in the vicuna prompt" ;;
  *) echo "FAIL chat history"; echo "$chat"; fail=1 ;;
esac
case "$first_answer" in
  " "*|"") echo "FAIL chat answer not trimmed or empty: [$first_answer]"; fail=1 ;;
  *) echo "ok   chat answer trimmed" ;;
esac

# Bad input: a clear error and a non-zero exit, never a crash.
if err=$("$cli" --model-path "$model" --dtype float64 --prompt hi 2>&1); then
  echo "FAIL bad --dtype accepted"; fail=1
else
  case "$err" in *dtype*) echo "ok   bad --dtype rejected" ;; *) echo "FAIL bad --dtype message: $err"; fail=1 ;; esac
fi
if err=$("$cli" --model-path "$model" --conv-template nope --prompt hi 2>&1); then
  echo "FAIL unknown template accepted"; fail=1
else
  case "$err" in *nope*) echo "ok   unknown template rejected" ;; *) echo "FAIL template message: $err"; fail=1 ;; esac
fi
if err=$("$cli" --model-path "$model" --max-new-tokens 0 --prompt hi 2>&1); then
  echo "FAIL --max-new-tokens 0 accepted"; fail=1
else
  case "$err" in *max-new-tokens*) echo "ok   --max-new-tokens 0 rejected" ;; *) echo "FAIL max-new-tokens message: $err"; fail=1 ;; esac
fi
if err=$("$cli" --model-path /nonexistent/model --prompt hi 2>&1); then
  echo "FAIL missing model folder accepted"; fail=1
else
  case "$err" in *model-path*) echo "ok   missing model folder rejected" ;; *) echo "FAIL model folder message: $err"; fail=1 ;; esac
fi
exit $fail
