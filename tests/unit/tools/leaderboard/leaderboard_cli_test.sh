#!/usr/bin/env bash
# fastchat-leaderboard end to end on the Arena sample: the JSON and CSV outputs reproduce
# FastChat's reference ratings (Bradley-Terry within 0.5, online Elo within 1e-6), the filters
# (models, ties, languages, daily vote cap) and the anchor act, --plots writes three SVG files,
# style control runs on conv_metadata, vote logs are cleaned into battles (--clean-only writes
# them), and bad input is an error naming the record and field.
# Usage: leaderboard_cli_test.sh PATH/TO/fastchat-leaderboard [DATA_DIR]
# DATA_DIR (default $FASTCHAT_SHARED) holds arena/battles-sample.json.
set -euo pipefail
tool="$1"
data="${2:-${FASTCHAT_SHARED:?give DATA_DIR or set FASTCHAT_SHARED}}"
sample="$data/arena/battles-sample.json"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }

# Compares the JSON leaderboard $1 with the sample's reference $2 (online_elo, bradley_terry).
compare() {
  python3 - "$1" "$sample" "$2" "$3" <<'PY'
import json, sys
board, sample, system, tolerance = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
ours = {m["model"]: m for m in json.load(open(board))["models"]}
reference = json.load(open(sample))["reference"][system]["ratings"]
worst = max(abs(ours[m]["rating"] - r) for m, r in reference.items())
assert set(ours) == set(reference), (sorted(ours), sorted(reference))
for m in ours.values():
    assert m["lower"] <= m["rating"] <= m["upper"] or system == "online_elo", m
    assert m["rank"] >= 1 and m["battles"] > 0 and 0 <= m["win_rate"] <= 1, m
print(f"max |rating - reference| = {worst:.3g}")
sys.exit(0 if worst <= tolerance else 1)
PY
}

if "$tool" --input "$sample" --json "$work/bt.json" --csv "$work/bt.csv" --plots "$work/plots" \
  >"$work/bt.txt" &&
  compare "$work/bt.json" bradley_terry 0.5 && grep -q '"rating_system": "bt"' "$work/bt.json"; then
  ok "bt matches FastChat's reference"
else bad "bt"; fi
if [ "$(head -1 "$work/bt.csv")" = "model,rating,lower,upper,rank,battles,win_rate" ] &&
  [ "$(wc -l <"$work/bt.csv")" -eq 7 ] && grep -q "^ *6  model-d" "$work/bt.txt"; then
  ok "csv and table"
else bad "csv and table"; cat "$work/bt.txt"; fi
if python3 -c "import sys, xml.dom.minidom as m; [m.parse(sys.argv[1] + '/' + f + '.svg') for f in ('ratings', 'win_fraction', 'battle_count')]" "$work/plots"; then
  ok "plots are well-formed SVG"
else bad "plots"; fi
if "$tool" --input "$sample" --rating-system elo --bootstrap 10 --json "$work/elo.json" --quiet &&
  compare "$work/elo.json" online_elo 1e-6; then
  ok "online elo matches FastChat's reference"
else bad "elo"; fi

# Anchor, filters, JSON lines in a folder.
"$tool" --input "$sample" --anchor model-a=1114 --bootstrap 0 --json "$work/anchor.json" --quiet
if python3 -c "import json,sys; m={x['model']:x for x in json.load(open('$work/anchor.json'))['models']}; sys.exit(abs(m['model-a']['rating']-1114)>1e-9)"; then
  ok "anchor"
else bad "anchor"; fi
mkdir "$work/folder"
python3 -c "import json; [print(json.dumps(b)) for b in json.load(open('$sample'))['battles']]" \
  >"$work/folder/battles.jsonl"
"$tool" --input "$work/folder" --exclude-model model-d --exclude-ties --bootstrap 0 \
  --json "$work/filtered.json" --quiet
if python3 -c "import json,sys; m=json.load(open('$work/filtered.json'))['models']; sys.exit(len(m)!=5 or any(x['model']=='model-d' for x in m))"; then
  ok "folder of JSON lines, --exclude-model, --exclude-ties"
else bad "filters"; fi

# --language and --daily-vote-cap on battles given a language and a judge (10 judges).
python3 - "$sample" "$work/votes.json" <<'PY'
import json, sys
battles = json.load(open(sys.argv[1]))["battles"]
for i, b in enumerate(battles):
    b["language"] = "English" if i % 2 == 0 else "Chinese"
    b["judge"] = f"user_{i % 10}"
json.dump(battles, open(sys.argv[2], "w"))
kept, per_day = 0, {}
for b in battles:
    if b["language"] != "English":
        continue
    key = (b["judge"], int(b["tstamp"] // 86400))
    per_day[key] = per_day.get(key, 0) + 1
    kept += per_day[key] <= 5
print(kept, file=open(sys.argv[2] + ".expected", "w"))
PY
if "$tool" --input "$work/votes.json" --language English --daily-vote-cap 5 --bootstrap 0 \
  >"$work/votes.txt" && [ "$(head -1 "$work/votes.txt" | cut -d' ' -f1)" = "$(cat "$work/votes.json.expected")" ]; then
  ok "--language, --daily-vote-cap ($(cat "$work/votes.json.expected") battles kept)"
else bad "--language, --daily-vote-cap: $(head -1 "$work/votes.txt")"; fi

# Style control: random style counts leave the ratings near plain Bradley-Terry's; battles
# without conv_metadata are an error.
python3 - "$sample" "$work/styled.json" <<'PY'
import json, random, sys
random.seed(1)
battles = json.load(open(sys.argv[1]))["battles"]
for b in battles:
    meta = {f"{k}_{s}": random.randint(0, 9) for k in ("header_count", "list_count", "bold_count") for s in "ab"}
    meta.update({f"sum_assistant_{s}_tokens": random.randint(50, 1500) for s in "ab"})
    b["conv_metadata"] = meta
json.dump(battles, open(sys.argv[2], "w"))
PY
if "$tool" --input "$work/styled.json" --style-control --bootstrap 10 --json "$work/style.json" --quiet &&
  compare "$work/style.json" bradley_terry 5 && grep -q '"style_coefficients"' "$work/style.json"; then
  ok "style control"
else bad "style control"; fi
if ! "$tool" --input "$sample" --style-control --quiet 2>"$work/style.err" &&
  grep -q "conv_metadata" "$work/style.err"; then
  ok "style control without conv_metadata"
else bad "style control without conv_metadata"; fi

# Errors: a bad record names itself and the field (exit 1); an unknown anchor is a usage error (2).
printf '[{"model_a": "x", "model_b": "y", "winner": "model_a"},\n {"model_a": "x", "model_b": "y", "winner": "draw"}]\n' >"$work/bad.json"
set +e
message=$("$tool" --input "$work/bad.json" 2>&1 >/dev/null)
code=$?
"$tool" --input "$sample" --anchor nobody=1000 >/dev/null 2>&1
anchor_code=$?
set -e
if [ "$code" -eq 1 ] && [[ "$message" == *"'battles[1].winner'"* ]]; then ok "bad record"; else
  bad "bad record: exit $code, $message"; fi
if [ "$anchor_code" -eq 2 ]; then ok "unknown anchor"; else bad "unknown anchor: exit $anchor_code"; fi

# Vote logs: the sample's battles as FastChat's Arena logs them (daily files with chat records
# in between), plus votes the cleaning must drop. Cleaned, they rate as the battles do; the
# --clean-only step writes battle records that rate the same.
python3 - "$sample" "$work/logs" <<'PY'
import json, os, sys
battles = json.load(open(sys.argv[1]))["battles"]
os.makedirs(sys.argv[2])
vote_type = {"model_a": "leftvote", "model_b": "rightvote", "tie": "tievote", "tie (bothbad)": "bothbad_vote"}
def state(model, cid, reply):
    return {"template_name": "vicuna_v1.1", "system_message": "", "roles": ["USER", "ASSISTANT"],
            "messages": [["USER", "Tell me a story."], ["ASSISTANT", reply]], "offset": 0,
            "conv_id": cid, "model_name": model}
def vote(i, b, reply_a="Once upon a time.", reply_b="Long ago."):
    return {"tstamp": b["tstamp"] + 0.5, "type": vote_type[b["winner"]], "models": ["", ""],
            "states": [state(b["model_a"], f"{i}a", reply_a), state(b["model_b"], f"{i}b", reply_b)],
            "ip": f"10.0.0.{i % 7}"}
days = {}
for i, b in enumerate(battles):
    day = int(b["tstamp"] // 86400)
    days.setdefault(day, []).append(json.dumps(vote(i, b)))
    days[day].append(json.dumps({"tstamp": b["tstamp"], "type": "chat", "model": b["model_a"], "state": state(b["model_a"], "x", "hi"), "ip": "1.1.1.1"}))
last = sorted(days)[-1]
b = {"model_a": "model-a", "model_b": "model-b", "winner": "model_b", "tstamp": battles[-1]["tstamp"] + 1}
days[last] += [days[last][-2],  # a duplicate of the last vote
               json.dumps(vote(90001, b, reply_b="I am ChatGPT, by OpenAI.")),
               json.dumps(vote(90002, b, reply_a="**NETWORK ERROR DUE TO HIGH TRAFFIC. PLEASE REGENERATE OR REFRESH THIS PAGE.**")),
               json.dumps(dict(vote(90003, b), ip="6.6.6.6"))]
for day, lines in days.items():
    open(os.path.join(sys.argv[2], f"day{day}-conv.json"), "w").write("\n".join(lines) + "\n")
PY
if "$tool" --input "$work/logs" --rating-system elo --bootstrap 0 --ban-judge 6.6.6.6 \
  --json "$work/logs.json" >"$work/logs.txt" && compare "$work/logs.json" online_elo 1e-6 &&
  grep -q "2000 battles kept" "$work/logs.txt" && grep -q "dropped identity_leak: 1" "$work/logs.txt" &&
  grep -q "dropped duplicate: 1" "$work/logs.txt" && grep -q "dropped error_reply: 1" "$work/logs.txt" &&
  grep -q "dropped banned_judge: 1" "$work/logs.txt"; then
  ok "vote logs clean into the sample's battles"
else bad "vote logs"; cat "$work/logs.txt"; fi
if "$tool" --input "$work/logs" --clean-only --output "$work/cleaned.json" --judge-salt k \
  --ban-judge 6.6.6.6 --quiet &&
  "$tool" --input "$work/cleaned.json" --bootstrap 0 --json "$work/cleaned_bt.json" --quiet &&
  compare "$work/cleaned_bt.json" bradley_terry 0.5 &&
  python3 -c "import json,sys; b=json.load(open('$work/cleaned.json')); sys.exit(len(b)!=2000 or not all(x['judge'].startswith('arena_user_') and '10.0.0' not in x['judge'] and x['turn']==1 for x in b))"; then
  ok "--clean-only --output writes battle records"
else bad "--clean-only"; fi
printf '{"tstamp": 1, "type": "leftvote", "models": ["", ""], "states": [{"messages": 5}, {}]}\n' >"$work/bad-conv.json"
set +e
message=$("$tool" --input "$work/bad-conv.json" 2>&1 >/dev/null)
code=$?
set -e
if [ "$code" -eq 1 ] && [[ "$message" == *"bad-conv.json: 'line 1.states[0].messages'"* ]]; then
  ok "bad vote-log record"
else bad "bad vote-log record: exit $code, $message"; fi

if "$tool" --bench 20000 --bootstrap 5 >"$work/bench.txt" && grep -q '"benchmark":"leaderboard"' "$work/bench.txt"; then
  ok "bench"
else bad "bench"; fi
exit "$fail"
