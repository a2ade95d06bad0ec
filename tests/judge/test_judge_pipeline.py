#!/usr/bin/env python3
"""fastchat-judge end to end: gen-answer -> gen-judgment -> show-result on our own small bench
(tests/judge/data, MT-Bench's format) against a scripted OpenAI-compatible fake playing the
three answering models and the judge, with malformed verdicts, a 429 with Retry-After, a 503, a
400, a torn answer file and resumed runs. Every number of every results table is asserted, and
checked again by an independent re-implementation of FastChat's show_result.py formulas.

Usage: test_judge_pipeline.py --judge build/bin/fastchat-judge
Python 3 standard library only. The fake runs on threads of this process; every fastchat-judge
run has a timeout. Exit code 0 when every check passed.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fake_openai import FakeOpenAI  # noqa: E402
from fastchat_reference import fastchat_pairwise, fastchat_single, markdown_rows  # noqa: E402
from judge_script import JUDGE, Script  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parents[2]
MODELS = ["alpha", "beta", "gamma"]
RUN_TIMEOUT = 60

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, flush=True)


def run(binary, *args, stdin=subprocess.DEVNULL, input_text=None):
    started = time.monotonic()
    proc = subprocess.run([binary, *args], stdin=None if input_text is not None else stdin,
                          input=input_text, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    print(f"$ fastchat-judge {' '.join(args[:1])} -> {proc.returncode} ({time.monotonic() - started:.1f} s)", flush=True)
    return proc


def f6(x):
    return f"{x:.6f}"


def test_gen_answer(judge, fake, script, bench):
    api = ["--api-base", fake.base_url, "--retry-backoff", "0.05"]
    # alpha in two runs: the first two questions, then the rest (resumed).
    p = run(judge, "gen-answer", "--bench-dir", str(bench), "--model", "alpha", *api, "--question-end", "2")
    check(p.returncode == 0, f"gen-answer alpha [0:2]: {p.stderr}")
    p = run(judge, "gen-answer", "--bench-dir", str(bench), "--model", "alpha", *api, "--parallel", "3")
    check(p.returncode == 0 and "2 already answered" in p.stderr, f"gen-answer alpha resume: {p.stderr}")
    p = run(judge, "gen-answer", "--bench-dir", str(bench), "--model", "beta", *api, "--parallel", "2")
    check(p.returncode == 0 and "retrying" in p.stderr, f"gen-answer beta (503 retried): {p.stderr}")
    p = run(judge, "gen-answer", "--bench-dir", str(bench), "--model", "gamma", *api, "--parallel", "4")
    check(p.returncode == 1 and "1 failed" in p.stderr, f"gen-answer gamma (a 400 fails q4): {p.stderr}")
    gamma = bench / "model_answer" / "gamma.jsonl"
    with open(gamma, "a") as f:  # what a crash in the middle of an append leaves
        f.write('{"question_id": 4, "answer_id": "torn", "cho')
    p = run(judge, "gen-answer", "--bench-dir", str(bench), "--model", "gamma", *api)
    check(p.returncode == 0 and "3 already answered" in p.stderr and "dropped an incomplete" in p.stderr,
          f"gen-answer gamma resume after a torn line: {p.stderr}")
    for model in MODELS:
        lines = [json.loads(l) for l in open(bench / "model_answer" / f"{model}.jsonl")]
        check([l["question_id"] for l in lines] == [1, 2, 3, 4], f"{model}: one sorted line per question")
        for l in lines:
            check(list(l) == ["question_id", "answer_id", "model_id", "choices", "tstamp"],
                  f"{model}: FastChat's fields in order, got {list(l)}")
            check(l["model_id"] == model and len(l["answer_id"]) == 22, f"{model}: ids {l}")
            turns = l["choices"][0]["turns"]
            expected = [f"ANSWER<{model}|Q{l['question_id']}-T{t}> some text" for t in (1, 2)]
            check(turns == expected[: len(turns)] and len(turns) == (1 if l["question_id"] == 4 else 2),
                  f"{model}: turns {turns}")
    temps = {q: {script.answer_temperatures[(m, q, 1)] for m in MODELS} for q in (1, 2, 3, 4)}
    check(temps == {1: {0.7}, 2: {0.0}, 3: {0.0}, 4: {0.1}}, f"per-category temperatures {temps}")


def test_single(judge, fake, script, bench, out):
    args = ["gen-judgment", "--bench-dir", str(bench), "--judge-model", JUDGE,
            "--judge-api-base", fake.base_url, "--mode", "single", "--parallel", "4"]
    p = run(judge, *args)  # no --yes and no answer: nothing is judged
    check(p.returncode == 1 and '"judge_calls": 21' in p.stdout and "not confirmed" in p.stdout,
          f"confirmation declined: {p.stdout} {p.stderr}")
    check(not (bench / "model_judgment").exists(), "nothing judged without confirmation")
    p = run(judge, *args, input_text="\n")
    check(p.returncode == 0 and "21 judged" in p.stderr and "retrying in 1000 ms" in p.stderr,
          f"gen-judgment single (429 honoured): {p.stderr}")
    calls = len(fake.requests)
    p = run(judge, *args, "--yes")
    check(p.returncode == 0 and '"judge_calls": 0' in p.stdout and len(fake.requests) == calls,
          f"gen-judgment single resumed: nothing left to judge: {p.stdout}")
    file = bench / "model_judgment" / f"{JUDGE}_single.jsonl"
    lines = [json.loads(l) for l in open(file)]
    check(len(lines) == 21, f"21 single judgments, got {len(lines)}")
    check(all(list(l) == ["question_id", "model", "judge", "user_prompt", "judgment", "score", "turn", "tstamp"]
              for l in lines), "single judgments carry FastChat's fields in order")
    by = {(l["model"], l["question_id"], l["turn"]): l for l in lines}
    check(by[("beta", 2, 1)]["score"] == 8.5 and by[("alpha", 3, 1)]["score"] == 7
          and isinstance(by[("alpha", 3, 1)]["score"], int), "scores [[8.5]] and [7]")
    check(by[("alpha", 2, 2)]["score"] == -1 and by[("gamma", 4, 1)]["score"] == -1, "no rating: -1")
    check(by[("alpha", 2, 2)]["judge"] == [JUDGE, "single-math-v1-multi-turn"], "math prompt for q2 turn 2")

    p = run(judge, "show-result", "--bench-dir", str(bench), "--judge-model", JUDGE,
            "--csv", str(out / "single.csv"), "--json", str(out / "single.json"),
            "--svg", str(out / "single.svg"))
    check(p.returncode == 0, f"show-result single: {p.stderr}")
    print(p.stdout)
    expected = [
        ["alpha", "7.500000"], ["beta", "5.875000"], ["gamma", "5.000000"],  # first turn
        ["beta", "6.333333"], ["alpha", "6.000000"], ["gamma", "5.000000"],  # second turn
        ["alpha", "7.000000"], ["beta", "6.071429"], ["gamma", "5.000000"],  # average
    ]
    check(markdown_rows(p.stdout) == expected, f"single table {markdown_rows(p.stdout)}")
    check((out / "single.csv").read_text() == "model,turn_1,turn_2,average\n"
          "alpha,7.500000,6.000000,7.000000\nbeta,5.875000,6.333333,6.071429\n"
          "gamma,5.000000,5.000000,5.000000\n", "single CSV")
    ours = json.loads((out / "single.json").read_text())
    by_category = {c: {r["model"]: r["score"] for r in rows} for c, rows in ours["by_category"].items()}
    check(by_category == {"writing": {"alpha": 7.5, "beta": 5.5, "gamma": 5.0},
                          "reasoning": {"alpha": 6.0, "beta": 7.0, "gamma": 5.0},
                          "math": {"alpha": 6.0, "beta": 5.75, "gamma": 5.0},
                          "stem": {"alpha": 9.0, "beta": 6.0}}
          and list(ours["by_category"]) == ["writing", "reasoning", "math", "stem"],
          f"per-category means {ours['by_category']}")
    svg = ET.parse(out / "single.svg").getroot()
    bars = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}title")]
    check(len(bars) == 11 and "alpha, stem: 9.0" in bars and "beta, math: 5.8" in bars,
          f"one bar per model and category with data: {bars}")
    reference = fastchat_single(file)
    for table, ref in zip(("first_turn", "second_turn", "average"), reference):
        got = {r["model"]: r["score"] for r in ours[table]}
        check(got.keys() == ref.keys() and all(abs(got[m] - ref[m]) < 1e-12 for m in ref),
              f"{table}: ours {got} vs FastChat's formulas {ref}")


PAIR_ALL = [
    ["alpha", "11", "0", "2", f6(11 / 13), f6(0), f6(12 / 13)],
    ["beta", "5", "6", "2", f6(5 / 13), f6(6 / 13), f6(6 / 13)],
    ["gamma", "1", "11", "2", f6(1 / 14), f6(11 / 14), f6(2 / 14)],
]
PAIR_BASELINE = [
    ["alpha", "6", "0", "1", f6(6 / 7), f6(0), f6(6.5 / 7)],
    ["beta", "5", "1", "1", f6(5 / 7), f6(1 / 7), f6(5.5 / 7)],
]


def test_pairwise(judge, fake, bench, out):
    api = ["--bench-dir", str(bench), "--judge-model", JUDGE, "--judge-api-base", fake.base_url, "--yes"]
    p = run(judge, "gen-judgment", *api, "--mode", "pairwise-all", "--parallel", "3")
    check(p.returncode == 0 and '"judge_calls": 42' in p.stdout and "21 judged" in p.stderr,
          f"gen-judgment pairwise-all: {p.stdout} {p.stderr}")
    file = bench / "model_judgment" / f"{JUDGE}_pair.jsonl"
    lines = [json.loads(l) for l in open(file)]
    check(all(list(l) == ["question_id", "model_1", "model_2", "g1_winner", "g2_winner", "judge",
                          "g1_user_prompt", "g1_judgment", "g2_user_prompt", "g2_judgment", "turn", "tstamp"]
              for l in lines), "pair judgments carry FastChat's fields in order")
    by = {(l["question_id"], l["turn"], l["model_1"], l["model_2"]): l for l in lines}
    check((by[(1, 1, "alpha", "beta")]["g1_winner"], by[(1, 1, "alpha", "beta")]["g2_winner"]) == ("model_1", "model_2"),
          "positions swapped in game 2")
    check(by[(4, 1, "alpha", "beta")]["g1_winner"] == "error", "no verdict: error")
    p = run(judge, "show-result", "--bench-dir", str(bench), "--judge-model", JUDGE, "--mode", "pairwise-all",
            "--json", str(out / "all.json"), "--csv", str(out / "all.csv"))
    print(p.stdout)
    check(p.returncode == 0 and markdown_rows(p.stdout) == PAIR_ALL, f"pairwise-all table {markdown_rows(p.stdout)}")
    check((out / "all.csv").read_text().splitlines()[1] == ",".join(PAIR_ALL[0]), "pairwise CSV")
    compare_pairwise(json.loads((out / "all.json").read_text())["rows"], fastchat_pairwise(file, None), "all")
    p = run(judge, "show-result", "--bench-dir", str(bench), "--judge-model", JUDGE,
            "--mode", "pairwise-baseline", "--baseline-model", "gamma", "--json", str(out / "base.json"))
    check(p.returncode == 0 and markdown_rows(p.stdout) == PAIR_BASELINE, f"baseline table {markdown_rows(p.stdout)}")
    compare_pairwise(json.loads((out / "base.json").read_text())["rows"], fastchat_pairwise(file, "gamma"), "baseline")
    # pairwise-baseline judged on its own (another file): the same numbers.
    own = out / "baseline_pair.jsonl"
    p = run(judge, "gen-judgment", *api, "--mode", "pairwise-baseline", "--baseline-model", "gamma",
            "--output-file", str(own))
    check(p.returncode == 0 and '"judge_calls": 28' in p.stdout, f"gen-judgment pairwise-baseline: {p.stdout}")
    p = run(judge, "show-result", "--input-file", str(own), "--mode", "pairwise-baseline", "--baseline-model", "gamma")
    check(p.returncode == 0 and markdown_rows(p.stdout) == PAIR_BASELINE, f"baseline run table {markdown_rows(p.stdout)}")


def compare_pairwise(ours, reference, what):
    got = {r["model"]: (r["win"], r["loss"], r["tie"], r["win_rate"], r["loss_rate"], r["win_rate_adjusted"])
           for r in ours}
    check(got.keys() == reference.keys() and all(
        got[m][:3] == reference[m][:3] and all(abs(a - b) < 1e-12 for a, b in zip(got[m][3:], reference[m][3:]))
        for m in reference), f"{what}: ours {got} vs FastChat's formulas {reference}")


def test_fastchat_files(judge):
    """Judgment files exactly as FastChat writes them, read by show-result."""
    p = run(judge, "show-result", "--input-file", str(DATA / "fastchat" / "gpt-4_single.jsonl"))
    check(p.returncode == 0 and markdown_rows(p.stdout) == [
        ["vicuna-13b", "8.000000"], ["llama-13b", "3.500000"], ["vicuna-13b", "6.500000"],
        ["llama-13b", "2.000000"], ["vicuna-13b", "7.250000"], ["llama-13b", "3.000000"]],
        f"FastChat's single file: {p.stdout} {p.stderr}")
    p = run(judge, "show-result", "--input-file", str(DATA / "fastchat" / "gpt-4_pair.jsonl"),
            "--mode", "pairwise-baseline")
    check(p.returncode == 0 and markdown_rows(p.stdout) == [
        ["vicuna-13b", "1", "1", "1", f6(1 / 3), f6(1 / 3), f6(0.5)],
        ["llama-13b", "0", "1", "1", f6(0), f6(0.5), f6(0.25)]], f"FastChat's pair file: {p.stdout} {p.stderr}")


def test_agreement(judge, bench, out):
    """compute_agreement.py's numbers: FastChat-format human votes against gpt-4's pair file
    (counted by hand in tests/judge/data/README.md), and our judge's file against itself."""
    fc = DATA / "fastchat"
    p = run(judge, "agreement", "--votefiles", str(fc / "human_judgments.json"), str(fc / "gpt-4_pair.jsonl"),
            "--json", str(out / "agreement.json"))
    check(p.returncode == 0 and markdown_rows(p.stdout) == [
        ["1", "with", "5", "2", "0.40"], ["1", "without", "3", "2", "0.67"],
        ["2", "with", "1", "1", "1.00"], ["2", "without", "0", "0", "n/a"]], f"gpt4-pair vs human: {p.stdout} {p.stderr}")
    rows = json.loads((out / "agreement.json").read_text())
    check(rows[3] == {"turn": 2, "with_tie": False, "total": 0, "agree": 0, "ratio": None}, f"agreement JSON {rows}")
    p = run(judge, "agreement", "--votefiles", str(fc / "human_judgments.json"), "--judges", "human", "author")
    check(p.returncode == 0 and markdown_rows(p.stdout)[2] == ["2", "with", "1", "0", "0.00"], f"human vs author: {p.stdout}")
    # Our pairwise-all file: the judge against the baseline run's file (same verdicts): full agreement.
    p = run(judge, "agreement", "--votefiles", str(bench / "model_judgment" / f"{JUDGE}_pair.jsonl"),
            "--judges", f"{JUDGE}-pair", f"{JUDGE}-pair")
    check(p.returncode == 0 and all(r[2] == "0" for r in markdown_rows(p.stdout)),
          f"one vote per pair: nothing to compare with itself: {p.stdout}")


def test_bad_input(judge, fake, bench, tmp):
    broken = tmp / "broken"
    shutil.copytree(bench, broken)
    with open(broken / "question.jsonl", "a") as f:
        f.write('{"question_id": 5, "category": "writing", "turns": "not a list"}\n')
    p = run(judge, "gen-answer", "--bench-dir", str(broken), "--model", "alpha", "--api-base", fake.base_url)
    check(p.returncode == 1 and "question.jsonl:5: 'turns' must be a non-empty array of strings" in p.stderr,
          f"a bad question line is named: {p.stderr}")
    broken = tmp / "broken-answers"
    shutil.copytree(bench, broken)
    (broken / "model_answer" / "beta.jsonl").write_text('{"question_id": 1, "choices": 3}\n')
    p = run(judge, "gen-judgment", "--bench-dir", str(broken), "--judge-model", JUDGE,
            "--judge-api-base", fake.base_url, "--yes")
    check(p.returncode == 1 and "beta.jsonl:1: 'choices' must be a non-empty array" in p.stderr,
          f"a bad answer line is named: {p.stderr}")
    p = run(judge, "show-result", "--input-file", str(DATA / "bench" / "question.jsonl"))
    check(p.returncode == 1 and "question.jsonl:1: 'model' is required" in p.stderr, f"not a judgment file: {p.stderr}")


def test_judge_file(judge, fake, bench, out):
    """FastChat's judge_prompts.jsonl format (--judge-file): its templates and names are used."""
    prompts = out / "judge_prompts.jsonl"
    with open(prompts, "w") as f:
        for name, kind, template, fmt in [
            ("single-v1", "single", "Q: {question}\nA: {answer}", "[[rating]]"),
            ("single-math-v1", "single", "Q: {question}\nREF: {ref_answer_1}\nA: {answer}", "[[rating]]"),
            ("single-v1-multi-turn", "single", "{question_1}|{answer_1}|{question_2}|{answer_2}", "[[rating]]"),
            ("single-math-v1-multi-turn", "single",
             "{question_1}|{ref_answer_1}|{answer_1}|{question_2}|{ref_answer_2}|{answer_2}", "[[rating]]"),
        ]:
            f.write(json.dumps({"name": name, "type": kind, "system_prompt": "Judge {{strictly}}.",
                                "prompt_template": template, "description": "test", "category": "general",
                                "output_format": fmt}) + "\n")
    own = out / "judge_file_single.jsonl"
    p = run(judge, "gen-judgment", "--bench-dir", str(bench), "--judge-model", JUDGE, "--judge-api-base",
            fake.base_url, "--judge-file", str(prompts), "--model-list", "alpha", "--output-file", str(own), "--yes")
    lines = {(l["question_id"], l["turn"]): l for l in map(json.loads, open(own))} if own.exists() else {}
    check(p.returncode == 0 and len(lines) == 7, f"gen-judgment --judge-file: {p.stderr}")
    if lines:
        check(lines[(4, 1)]["user_prompt"] == "Q: [Q4-T1] Why is the sky blue? One sentence.\n"
              "A: ANSWER<alpha|Q4-T1> some text", f"the file's template: {lines[(4, 1)]['user_prompt']!r}")
        check(lines[(2, 2)]["user_prompt"].split("|")[1] == "REF-Q2-T1 391"
              and lines[(2, 2)]["judge"] == [JUDGE, "single-math-v1-multi-turn"], "the file's math prompt")
        check(lines[(1, 1)]["score"] == 8, "scores as with the built-in prompts")


def test_interrupted_run(judge, tmp):
    """Ctrl-C in the middle of gen-answer: the answers written are whole and a rerun asks only
    the rest."""
    bench = tmp / "interrupted"
    bench.mkdir()
    with open(bench / "question.jsonl", "w") as f:
        for q in range(40):
            f.write(json.dumps({"question_id": q, "category": "stem", "turns": [f"[Q{q % 10}-T1] hi"]}) + "\n")

    def slow(body):
        time.sleep(0.1)
        return "ok"

    with FakeOpenAI(slow) as fake:
        args = [judge, "gen-answer", "--bench-dir", str(bench), "--model", "m", "--api-base", fake.base_url,
                "--parallel", "2"]
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)
        try:
            time.sleep(0.8)
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=RUN_TIMEOUT)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
        answer_file = bench / "model_answer" / "m.jsonl"
        done = [json.loads(l) for l in open(answer_file)]  # every line whole
        check(proc.returncode != 0 and 0 < len(done) < 40, f"interrupted after {len(done)} answers")
        p = run(judge, "gen-answer", "--bench-dir", str(bench), "--model", "m", "--api-base", fake.base_url,
                "--parallel", "8")
        check(p.returncode == 0 and f"{len(done)} already answered" in p.stderr, f"resumed: {p.stderr}")
        ids = [json.loads(l)["question_id"] for l in open(answer_file)]
        check(ids == list(range(40)), f"one answer per question after the rerun: {ids}")


def test_parallel_overlap(judge, tmp):
    """--parallel N really overlaps requests: against a fake that holds each call 0.2 s, as many
    calls are in flight at once as --parallel allows, and one at a time with --parallel 1. (The
    speed-up this gives is a benchmark figure, in docs/benchmarks.md, not a test.)"""
    bench = tmp / "overlap"
    bench.mkdir()
    with open(bench / "question.jsonl", "w") as f:
        for q in range(16):
            f.write(json.dumps({"question_id": q, "category": "stem", "turns": [f"[Q{q % 10}-T1] hi"]}) + "\n")

    lock = threading.Lock()
    in_flight = [0]
    most_in_flight = [0]

    def slow(body):
        with lock:
            in_flight[0] += 1
            most_in_flight[0] = max(most_in_flight[0], in_flight[0])
        time.sleep(0.2)
        with lock:
            in_flight[0] -= 1
        return "ok"

    most = {}
    elapsed = {}
    with FakeOpenAI(slow) as fake:
        for n in (1, 8):
            most_in_flight[0] = 0
            started = time.monotonic()
            p = run(judge, "gen-answer", "--bench-dir", str(bench), "--model", f"m{n}",
                    "--api-base", fake.base_url, "--parallel", str(n))
            elapsed[n] = time.monotonic() - started
            most[n] = most_in_flight[0]
            check(p.returncode == 0, f"gen-answer --parallel {n}: {p.stderr}")
    print(f"parallel overlap: at most {most[1]} and {most[8]} calls in flight; "
          f"{elapsed[1]:.2f} s and {elapsed[8]:.2f} s")
    check(most[1] == 1, f"--parallel 1 had {most[1]} calls in flight at once")
    check(most[8] == 8, f"--parallel 8 had at most {most[8]} calls in flight at once, not 8")


def test_mt_bench_script(judge, fake, bench):
    """scripts/mt_bench.sh runs the three steps for a new model; the others' answers stay."""
    env = dict(os.environ, API_BASE=fake.base_url, JUDGE_MODEL=JUDGE, YES="1", PARALLEL="2",
               FASTCHAT_JUDGE=str(Path(judge).resolve()))
    p = subprocess.run(["bash", str(REPO / "scripts" / "mt_bench.sh"), "delta", str(bench)], env=env,
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    rows = markdown_rows(p.stdout)
    # delta is rated 5 everywhere; the earlier models' numbers are unchanged.
    check(p.returncode == 0 and rows[:4] == [["alpha", "7.500000"], ["beta", "5.875000"], ["delta", "5.000000"],
                                             ["gamma", "5.000000"]], f"mt_bench.sh: {p.stdout} {p.stderr}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--judge", required=True, help="the fastchat-judge binary")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (printed)")
    args = parser.parse_args()
    judge = args.judge
    tmp = Path(tempfile.mkdtemp(prefix="judge-pipeline-"))
    try:
        bench = tmp / "bench"
        shutil.copytree(DATA / "bench", bench)
        out = tmp / "out"
        out.mkdir()
        script = Script()
        with FakeOpenAI(script) as fake:
            test_gen_answer(judge, fake, script, bench)
            test_single(judge, fake, script, bench, out)
            test_pairwise(judge, fake, bench, out)
            test_bad_input(judge, fake, bench, tmp)
            test_agreement(judge, bench, out)
            test_judge_file(judge, fake, bench, out)
            test_mt_bench_script(judge, fake, bench)
        test_fastchat_files(judge)
        test_parallel_overlap(judge, tmp)
        test_interrupted_run(judge, tmp)
        for v in script.violations:
            check(False, v)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(failures)} failure(s)" if failures else "judge pipeline: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
