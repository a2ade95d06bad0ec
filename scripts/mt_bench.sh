#!/usr/bin/env bash
# MT-Bench (or any bench in FastChat's llm_judge layout) against a running OpenAI-compatible
# endpoint, in one command: fastchat-judge gen-answer, then gen-judgment, then show-result.
# Every step resumes: rerunning after an interruption asks only what is missing.
#
# Usage: scripts/mt_bench.sh MODEL [BENCH_DIR]
#   MODEL      the model's name on the endpoint (also the answer file's name)
#   BENCH_DIR  a folder with question.jsonl (and reference_answer/<judge>.jsonl for math,
#              reasoning and coding), e.g. FastChat's fastchat/llm_judge/data/mt_bench;
#              default: tests/judge/data/bench (our tiny test set, not MT-Bench)
# Environment:
#   API_BASE         the model's OpenAI base URL (default http://127.0.0.1:8000/v1, scripts/serve.sh)
#   JUDGE_MODEL      the judge (default gpt-4)
#   JUDGE_API_BASE   the judge's base URL, http:// (default: API_BASE)
#   OPENAI_API_KEY   sent to both endpoints when set
#   MODE             single (default), pairwise-baseline or pairwise-all
#   BASELINE_MODEL   pairwise-baseline's baseline (default gpt-3.5-turbo; its answers must be in
#                    BENCH_DIR/model_answer/)
#   PARALLEL         requests in flight (default 4)
#   JUDGE_FILE       FastChat's judge_prompts.jsonl (default: fastchat-judge's built-in prompts)
#   FASTCHAT_JUDGE   the binary (default build/bin/fastchat-judge)
#   YES=1            do not ask before the judge's calls
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:?usage: scripts/mt_bench.sh MODEL [BENCH_DIR]}"
bench="${2:-tests/judge/data/bench}"
api_base="${API_BASE:-http://127.0.0.1:8000/v1}"
judge_model="${JUDGE_MODEL:-gpt-4}"
judge_api_base="${JUDGE_API_BASE:-$api_base}"
mode="${MODE:-single}"
baseline="${BASELINE_MODEL:-gpt-3.5-turbo}"
parallel="${PARALLEL:-4}"
judge="${FASTCHAT_JUDGE:-build/bin/fastchat-judge}"

if [ ! -x "$judge" ]; then
  echo "mt_bench.sh: $judge is not built (scripts/build.sh, or set FASTCHAT_JUDGE)" >&2
  exit 2
fi
if [ ! -f "$bench/question.jsonl" ]; then
  echo "mt_bench.sh: $bench/question.jsonl not found" >&2
  exit 2
fi

"$judge" gen-answer --bench-dir "$bench" --model "$model" --api-base "$api_base" \
  --parallel "$parallel"

judgment_args=(--bench-dir "$bench" --judge-model "$judge_model" --judge-api-base "$judge_api_base"
  --mode "$mode" --baseline-model "$baseline" --parallel "$parallel")
[ -n "${JUDGE_FILE:-}" ] && judgment_args+=(--judge-file "$JUDGE_FILE")
[ "${YES:-0}" = 1 ] && judgment_args+=(--yes)
"$judge" gen-judgment "${judgment_args[@]}"

"$judge" show-result --bench-dir "$bench" --judge-model "$judge_model" --mode "$mode" \
  --baseline-model "$baseline"
