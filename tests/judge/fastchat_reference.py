"""FastChat's show_result.py formulas re-implemented without pandas (display_result_single and
display_result_pairwise, line by line), to check fastchat-judge's numbers independently, and a
reader of the Markdown tables fastchat-judge prints."""

import json


def markdown_rows(text):
    """The body rows of every Markdown table in `text`, as lists of cells (a header row is the
    one followed by the |---| line)."""
    lines = text.splitlines()
    rows = []
    for i, line in enumerate(lines):
        header = i + 1 < len(lines) and lines[i + 1].startswith("|---")
        if line.startswith("| ") and not header:
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def fastchat_single(path):
    """show_result.py's display_result_single, without pandas."""
    rows = [json.loads(line) for line in open(path)]
    rows = [r for r in rows if r["score"] != -1]
    def means(selected):
        sums = {}
        for r in selected:
            s = sums.setdefault(r["model"], [0.0, 0])
            s[0] += r["score"]
            s[1] += 1
        return {m: s[0] / s[1] for m, s in sums.items()}
    return (means([r for r in rows if r["turn"] == 1]), means([r for r in rows if r["turn"] == 2]),
            means(rows))


def fastchat_pairwise(path, baseline):
    """show_result.py's display_result_pairwise, without pandas."""
    tally = {}
    for line in open(path):
        r = json.loads(line)
        if r["g1_winner"] == "error" or r["g2_winner"] == "error":
            continue
        if baseline is not None and baseline not in (r["model_1"], r["model_2"]):
            continue
        def add(model, key):
            tally.setdefault(model, {"win": 0, "loss": 0, "tie": 0})[key] += 1
        if r["g1_winner"] == "tie" or r["g1_winner"] != r["g2_winner"]:
            add(r["model_1"], "tie")
            add(r["model_2"], "tie")
        else:
            winner, loser = ((r["model_1"], r["model_2"]) if r["g1_winner"] == "model_1"
                             else (r["model_2"], r["model_1"]))
            add(winner, "win")
            add(loser, "loss")
    out = {}
    for model, t in tally.items():
        if model == baseline:
            continue
        total = t["win"] + t["loss"] + t["tie"]
        out[model] = (t["win"], t["loss"], t["tie"], t["win"] / total, t["loss"] / total,
                      (t["win"] + 0.5 * t["tie"]) / total)
    return out
