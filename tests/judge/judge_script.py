"""The scripted models of fastchat-judge's end-to-end test: what the fake OpenAI endpoint
(fake_openai.py) answers as the three answering models (alpha, beta, gamma, and any other) and
as the judge, with injected failures (a 503, a 400, a 429 with Retry-After), and what it saw
that breaks the rules (kept in Script.violations for the test to report)."""

import re

JUDGE = "judge-x"
MARKER = re.compile(r"\[Q(\d)-T(\d)\]")
ANSWER = re.compile(r"ANSWER<(\w+)\|Q(\d)-T(\d)>")

# What the judge says in single mode, by (model, question, turn).
SINGLE_VERDICTS = {
    ("alpha", 1, 1): "Good. Rating: [[8]]", ("alpha", 2, 1): "[[6]]",
    ("alpha", 3, 1): "Rating: [7]",  # FastChat's backup pattern
    ("alpha", 4, 1): "[[9]]", ("alpha", 1, 2): "[[7]]",
    ("alpha", 2, 2): "I cannot decide.",  # no rating: -1, dropped from the means
    ("alpha", 3, 2): "[[5]]",
    ("beta", 1, 1): "[[5]]", ("beta", 2, 1): "[[8.5]]", ("beta", 3, 1): "[[4]]",
    ("beta", 4, 1): "[[6]]", ("beta", 1, 2): "[[6]]", ("beta", 2, 2): "[[3]]",
    ("beta", 3, 2): "[[10]]",
    ("gamma", 4, 1): "no rating here",
}

# Pairwise verdicts by (question, turn, model shown as A, model shown as B); the rest: the
# alphabetically first model wins in both orders.
PAIR_VERDICTS = {
    (1, 1, "alpha", "beta"): "[[A]]", (1, 1, "beta", "alpha"): "[[A]]",  # disagree: tie
    (2, 1, "alpha", "gamma"): "[[C]]",  # game 1 tie: tie
    (3, 1, "beta", "gamma"): "[[B]]", (3, 1, "gamma", "beta"): "[[A]]",  # gamma wins
    (4, 1, "alpha", "beta"): "I refuse to judge",  # error: dropped
    (1, 2, "beta", "gamma"): "[[C]]", (1, 2, "gamma", "beta"): "[[C]]",  # tie
}


class Script:
    """The fake's behaviour, and what it saw that breaks the rules."""

    def __init__(self):
        self.violations = []
        self.failed_once = set()
        self.answer_temperatures = {}

    def fail_once(self, key, answer):
        if key in self.failed_once:
            return None
        self.failed_once.add(key)
        return answer

    def __call__(self, body):
        if body["model"] == JUDGE:
            return self.judge(body)
        return self.answer(body)

    def answer(self, body):
        model, messages = body["model"], body["messages"]
        q, t = map(int, MARKER.search(messages[-1]["content"]).groups())
        if model == "beta":  # a 503 without Retry-After: retried after the backoff
            failure = self.fail_once("beta-503", (503, {}, '{"error": {"message": "busy", "type": "unavailable"}}'))
            if failure:
                return failure
        if model == "gamma" and q == 4:  # a 400: not retried, the question fails this run
            failure = self.fail_once("gamma-400", (400, {}, '{"error": {"message": "bad", "type": "invalid_request_error"}}'))
            if failure:
                return failure
        if t == 2:  # the second turn sees the first turn and its answer
            expected = [f"[Q{q}-T1]", f"ANSWER<{model}|Q{q}-T1>", f"[Q{q}-T2]"]
            got = [m["content"][: len(e)] for m, e in zip(messages, expected)]
            if got != expected or len(messages) != 3:
                self.violations.append(f"turn 2 conversation of {model} q{q}: {messages}")
        self.answer_temperatures[(model, q, t)] = body.get("temperature")
        return f"ANSWER<{model}|Q{q}-T{t}> some text"

    def judge(self, body):
        failure = self.fail_once("judge-429", (429, {"Retry-After": "1"}, '{"error": {"message": "slow down", "type": "rate_limit"}}'))
        if failure:
            return failure
        if body.get("temperature") != 0 or body.get("max_tokens") != 2048:
            self.violations.append(f"judge called with {body.get('temperature')}, {body.get('max_tokens')}")
        if body["messages"][0]["role"] != "system":
            self.violations.append("judge call without the system prompt")
        prompt = body["messages"][-1]["content"]
        marks = ANSWER.findall(prompt)
        model_a, q, t = marks[0][0], int(marks[-1][1]), int(marks[-1][2])
        refs = {2: ["REF-Q2-T1", "REF-Q2-T2"], 3: ["QREF-Q3-T1", "QREF-Q3-T2"]}.get(q, [])
        for ref in refs[:t]:
            if ref not in prompt:
                self.violations.append(f"judge prompt of q{q} turn {t} lacks {ref}")
        distinct = list(dict.fromkeys(m[0] for m in marks))
        if len(distinct) == 1:  # a single-answer prompt
            return SINGLE_VERDICTS.get((model_a, q, t), "Rating: [[5]]")
        model_b = distinct[1]
        default = "[[A]]" if model_a < model_b else "[[B]]"
        return "Verdict: " + PAIR_VERDICTS.get((q, t, model_a, model_b), default)
