#!/usr/bin/env bash
# fastchat-cli end to end on stories260K: the non-interactive answer equals reference.json's
# greedy continuation, the interactive loop answers and obeys !!reset / !!exit,
# `tokenize` prints the reference prompt ids, and `render-template` prints the reference
# renderings of the shipped chat templates byte for byte.
# Usage: cli_test.sh PATH/TO/fastchat-cli [DATA_DIR]
# DATA_DIR (default $FASTCHAT_SHARED, else the repository) holds models/stories260K and, for
# the render-template checks, chat-templates/ (the build's test-data folder has both).
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
# render-template: every reference rendering of chat-templates/renderings.json, exactly (no
# newline added), and the reference's error for a conversation a template refuses.
if [ -d "$data/chat-templates" ]; then
  if python3 - "$cli" "$data/chat-templates" <<'PY'; then echo "ok   render-template matches the reference renderings"; else echo "FAIL render-template"; fail=1; fi
import json, subprocess, sys
cli, folder = sys.argv[1], sys.argv[2]
bad = 0
for case in json.load(open(f"{folder}/renderings.json"))["cases"]:
    args = [cli, "render-template", "--tokenizer-config", f"{folder}/{case['template']}/tokenizer_config.json",
            "--messages", json.dumps(case["messages"])]
    if not case["add_generation_prompt"]:
        args.append("--no-generation-prompt")
    run = subprocess.run(args, capture_output=True)
    if case.get("rendered") is not None:
        ok = run.returncode == 0 and run.stdout.decode() == case["rendered"]
    else:
        ok = run.returncode != 0 and case["error"] in run.stderr.decode()
    if not ok:
        bad += 1
        print(case["template"], case["conversation"], run.returncode, run.stdout[:200], run.stderr[:300])
sys.exit(1 if bad else 0)
PY
  if err=$("$cli" render-template --tokenizer-config "$data/chat-templates/qwen3/tokenizer_config.json" --messages '{"role": 1}' 2>&1); then
    echo "FAIL render-template accepted messages that are not a list"; fail=1
  else
    case "$err" in *--messages*) echo "ok   render-template names a bad --messages" ;; *) echo "FAIL render-template message: $err"; fail=1 ;; esac
  fi
  out=$("$cli" render-template --tokenizer-config "$data/chat-templates/qwen3/tokenizer_config.json" \
        --messages '[{"role": "user", "content": "Hi"}]' --var enable_thinking=false)
  case "$out" in
    *"<think>"*) echo "ok   render-template passes --var enable_thinking=false" ;;
    *) echo "FAIL --var enable_thinking: $out"; fail=1 ;;
  esac
else
  echo "FAIL no chat-templates folder in $data"; fail=1
fi
exit $fail
