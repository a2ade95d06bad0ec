#!/usr/bin/env python3
"""fastchat-judge against the real stack: stories260K answers our bench through fastchat-server
(controller + worker + server started by tests/e2e/harness.py on ephemeral ports), a scripted
fake judges, and show-result's numbers are asserted. Needs the torch build (fastchat-worker).

Usage: test_judge_real_stack.py --judge BIN --controller BIN --worker BIN --server BIN
Python 3 standard library only; every process started here is stopped by the harness.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RUN_TIMEOUT = 240


def main():
    parser = argparse.ArgumentParser()
    for name in ("judge", "controller", "worker", "server"):
        parser.add_argument(f"--{name}", required=True)
    args = parser.parse_args()
    # The harness reads the binaries from the environment when it is imported.
    os.environ["FASTCHAT_CONTROLLER_BIN"] = str(Path(args.controller).resolve())
    os.environ["FASTCHAT_WORKER_BIN"] = str(Path(args.worker).resolve())
    os.environ["FASTCHAT_SERVER_BIN"] = str(Path(args.server).resolve())
    sys.path.insert(0, str(HERE.parent / "e2e"))
    sys.path.insert(0, str(HERE))
    import harness  # noqa: E402
    from fake_openai import FakeOpenAI  # noqa: E402

    failures = []

    def check(condition, message):
        if not condition:
            failures.append(message)
            print("FAIL:", message, flush=True)

    # The judge: 8 for every first turn, 4 for every second turn, no rating for question 3's
    # second turn (dropped from the means).
    def judge(body):
        prompt = body["messages"][-1]["content"]
        turns = re.findall(r"\[Q(\d)-T(\d)\]", prompt)
        q, t = turns[-1]
        if (q, t) == ("3", "2"):
            return "I cannot rate this."
        return "Rating: [[8]]" if t == "1" else "Rating: [[4]]"

    tmp = Path(tempfile.mkdtemp(prefix="judge-stack-"))
    try:
        bench = tmp / "bench"
        shutil.copytree(DATA / "bench", bench)
        with harness.Stack() as stack, FakeOpenAI(judge) as fake:
            api = f"{stack.server.url}/v1"
            p = subprocess.run([args.judge, "gen-answer", "--bench-dir", str(bench), "--model", harness.MODEL,
                                "--api-base", api, "--max-tokens", "24", "--parallel", "2"],
                               stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=RUN_TIMEOUT)
            check(p.returncode == 0, f"gen-answer through fastchat-server: {p.stderr}")
            lines = [json.loads(l) for l in open(bench / "model_answer" / f"{harness.MODEL}.jsonl")]
            check([l["question_id"] for l in lines] == [1, 2, 3, 4], f"answers {lines}")
            check(all(isinstance(t, str) and t for l in lines for t in l["choices"][0]["turns"]),
                  "every turn has the model's text")
            check([len(l["choices"][0]["turns"]) for l in lines] == [2, 2, 2, 1], "turns per question")
            p = subprocess.run([args.judge, "gen-judgment", "--bench-dir", str(bench), "--judge-model", "judge-x",
                                "--judge-api-base", fake.base_url, "--yes"],
                               stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=RUN_TIMEOUT)
            check(p.returncode == 0 and '"judge_calls": 7' in p.stdout, f"gen-judgment: {p.stdout} {p.stderr}")
        p = subprocess.run([args.judge, "show-result", "--bench-dir", str(bench), "--judge-model", "judge-x",
                            "--json", str(tmp / "r.json")],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=RUN_TIMEOUT)
        print(p.stdout)
        r = json.loads((tmp / "r.json").read_text())
        got = [(t, [(x["model"], x["score"], x["n"]) for x in r[t]]) for t in ("first_turn", "second_turn", "average")]
        # Turn 1: four 8s; turn 2: two 4s (one dropped); average (4*8 + 2*4) / 6 = 6.666667.
        check(got == [("first_turn", [(harness.MODEL, 8.0, 4)]), ("second_turn", [(harness.MODEL, 4.0, 2)]),
                      ("average", [(harness.MODEL, 40 / 6, 6)])], f"results {got}")
        check(f"| {harness.MODEL} | 6.666667 |" in p.stdout, "Markdown average")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(failures)} failure(s)" if failures else "judge on the real stack: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
