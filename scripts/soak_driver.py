#!/usr/bin/env python3
"""Soak driver for scripts/soak.sh (Python 3 standard library only).

Drives N mixed requests at fastchat-server with C client threads: chat and completions, streamed
and not, some cancelled by the client after a few chunks, some invalid on purpose. In phases:

    start     RSS of every process before any request
    warm-up   the first 25% of the requests (at least 50)    -> RSS "warm"
    main      up to 40%                                       -> RSS "pre-kill"
    kill      up to 70%; once a quarter of the 40-50% segment is done, one worker is
              SIGKILLed (mid-traffic) and started again with the same command line -> RSS "mid"
    rest      up to 100%                                      -> RSS "end"

The requests go in segments of 10%; after each the driver waits for every request in flight
and reads every process's RSS at rest (the series is printed too). Each
outcome is classified: succeeded, expected-invalid 4xx, cancelled-by-client, rejected-429
(overload, with Retry-After), failed during the worker kill (a 502/503/504, an error event or a
dropped connection while the kill window was open), or unexplained. Exit status 1 when anything is
unexplained or when a process's end RSS is more than --rss-tolerance percent above its warm RSS
(for the restarted worker: above its "mid" RSS), 0 otherwise.

The restarted worker is this script's child: it is started from the main thread with
PR_SET_PDEATHSIG, its PID is written to --restart-pid-file (soak.sh's trap stops it too), and it
is stopped (SIGTERM, bounded wait, SIGKILL) when the driver ends."""

import argparse
import concurrent.futures
import ctypes
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlparse

MODEL = "stories260K"
PROMPTS = ["Once upon a time", "The little dog", "Lily wanted to", "One day, a boy named Tom",
           "The sun was shining and", "There was a big tree in the park"]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--server", required=True, help="fastchat-server base URL")
    p.add_argument("--requests", type=int, default=2000)
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument("--model", default=MODEL)
    p.add_argument("--proc", action="append", default=[], metavar="NAME=PID",
                   help="a process whose RSS is reported (repeat)")
    p.add_argument("--kill", metavar="NAME", help="the --proc to SIGKILL and restart midway")
    p.add_argument("--restart-argv", metavar="FILE",
                   help="NUL-separated command line that starts the killed process again")
    p.add_argument("--restart-log", metavar="FILE", help="log of the restarted process")
    p.add_argument("--restart-pid-file", metavar="FILE")
    p.add_argument("--restart-ready", default=r"registered \S+ with controller",
                   help="regex in the restarted process's log that says it is ready")
    p.add_argument("--kill-grace", type=float, default=8.0,
                   help="seconds the kill window stays open after the restart is ready (the "
                        "controller forgets the dead worker after its heartbeat expiration)")
    p.add_argument("--rss-tolerance", type=float, default=10.0, help="percent")
    p.add_argument("--timeout", type=float, default=1800.0, help="seconds for the whole run")
    p.add_argument("--request-timeout", type=float, default=120.0,
                   help="seconds per socket operation")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", metavar="FILE", help="also write the summary as JSON")
    return p.parse_args()


# ---------------------------------------------------------------------------------------------
# Processes

_libc = None
try:
    _libc = ctypes.CDLL(None, use_errno=True)
except OSError:
    pass


def _die_with_parent():
    if _libc is not None:
        _libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def wait_for_log(path, pattern, proc, timeout):
    regex = re.compile(pattern)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                if regex.search(f.read()):
                    return True
        except OSError:
            pass
        if proc.poll() is not None:
            return False
        time.sleep(0.05)
    return False


def stop_child(proc, timeout=20.0):
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass


# ---------------------------------------------------------------------------------------------
# Requests

class Outcome:
    __slots__ = ("kind", "cause", "detail", "start", "end")

    def __init__(self, kind, cause, detail, start, end):
        self.kind, self.cause, self.detail, self.start, self.end = kind, cause, detail, start, end


def make_plan(n, model, seed):
    """A deterministic list of (kind, method, path, body, expected status) per request."""
    rng = random.Random(seed)
    plan = []
    for _ in range(n):
        r = rng.random()
        prompt = rng.choice(PROMPTS)
        max_tokens = rng.randint(4, 48)
        temperature = rng.choice([0, 0.7, 1.0])
        chat = {"model": model, "messages": [{"role": "user", "content": prompt}],
                "max_tokens": max_tokens, "temperature": temperature}
        comp = {"model": model, "prompt": prompt, "max_tokens": max_tokens,
                "temperature": temperature}
        if r < 0.33:
            plan.append(("valid", "POST", "/v1/chat/completions", chat, 200))
        elif r < 0.55:
            plan.append(("valid", "POST", "/v1/chat/completions",
                         dict(chat, stream=True,
                              stream_options={"include_usage": rng.random() < 0.5}), 200))
        elif r < 0.70:
            plan.append(("valid", "POST", "/v1/completions",
                         dict(comp, n=rng.choice([1, 1, 2])), 200))
        elif r < 0.80:
            plan.append(("valid", "POST", "/v1/completions", dict(comp, stream=True), 200))
        elif r < 0.90:
            body = dict(chat if rng.random() < 0.5 else comp, stream=True, max_tokens=64,
                        ignore_eos=True, temperature=1.0)
            path = "/v1/chat/completions" if "messages" in body else "/v1/completions"
            plan.append(("cancel", "POST", path, body, 200))
        else:
            plan.append(("invalid", *rng.choice(invalid_requests(model, prompt))))
    return plan


def invalid_requests(model, prompt):
    chat = "/v1/chat/completions"
    comp = "/v1/completions"
    msgs = [{"role": "user", "content": prompt}]
    return [
        ("POST", chat, b'{"model": "' + model.encode() + b'", "messages": [', 400),  # bad JSON
        ("POST", comp, b"[1, 2, 3]", 400),  # not an object
        ("POST", chat, {"model": "no-such-model", "messages": msgs}, 404),
        ("POST", comp, {"model": "no-such-model", "prompt": prompt, "stream": True}, 404),
        ("POST", chat, {"model": model, "messages": msgs, "max_tokens": 100000}, 400),
        ("POST", comp, {"model": model, "prompt": prompt, "max_tokens": 100000}, 400),
        ("POST", chat, {"model": model, "messages": []}, 400),
        ("POST", chat, {"model": model, "messages": [{"role": "wizard", "content": "x"}]}, 400),
        ("POST", comp, {"model": model}, 400),
        ("POST", comp, {"model": model, "prompt": prompt, "temperature": "hot"}, 400),
        ("POST", chat, {"model": model, "messages": msgs, "n": 0}, 400),
        ("POST", chat, {"messages": msgs}, 400),
        ("POST", comp, {"model": model, "prompt": "hello " * 700, "max_tokens": 8}, 400),
        ("GET", chat, None, 405),
        ("POST", "/v1/nothing-here", {}, 404),
    ]


def _connect(base, timeout):
    u = urlparse(base)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)


def _error_envelope(data):
    try:
        err = json.loads(data.decode("utf-8"))["error"]
        return isinstance(err.get("message"), str) and bool(err["message"]) and "type" in err
    except (ValueError, KeyError, TypeError, AttributeError):
        return False


def run_one(base, item, timeout, rng):
    """Sends one planned request; returns (kind, cause, detail). cause is one of: ok, invalid,
    cancelled, overloaded, or a failure cause (http_NNN, error_event, connection, bad_stream,
    bad_body, wrong_status_NNN)."""
    kind, method, path, body, expected = item
    data = None
    headers = {}
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    stream = isinstance(body, dict) and body.get("stream") is True
    conn = _connect(base, timeout)
    try:
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        status = resp.status
        if kind == "invalid":
            payload = resp.read()
            if status == expected and _error_envelope(payload):
                return "invalid", None
            if status in (502, 503, 504):
                return f"http_{status}", payload[:200]
            return f"wrong_status_{status}", payload[:200]
        if status != 200:
            payload = resp.read()
            if status == 429 and resp.getheader("Retry-After") and _error_envelope(payload):
                return "overloaded", None
            return f"http_{status}", payload[:200]
        if not stream:
            payload = resp.read()
            try:
                answer = json.loads(payload.decode("utf-8"))
                choices = answer["choices"]
                ok = choices and all(c.get("finish_reason") in ("stop", "length")
                                     for c in choices) and "usage" in answer
            except (ValueError, KeyError, TypeError):
                ok = False
            return ("ok", None) if ok else ("bad_body", payload[:200])
        # A stream: data events, ends with [DONE]; a cancel closes after a few chunks.
        cancel_after = rng.randint(1, 4) if kind == "cancel" else None
        chunks = 0
        while True:
            line = resp.readline()
            if not line:
                return "bad_stream", b"ended without [DONE]"
            line = line.strip()
            if not line.startswith(b"data:"):
                continue
            payload = line[5:].strip()
            if payload == b"[DONE]":
                return ("cancelled" if kind == "cancel" else "ok"), None
            try:
                event = json.loads(payload.decode("utf-8"))
            except ValueError:
                return "bad_stream", payload[:200]
            if "error" in event:
                return "error_event", payload[:200]
            chunks += 1
            if cancel_after is not None and chunks >= cancel_after:
                # Hang up mid-stream: the server must notice and cancel the generation.
                # shutdown() sends the FIN at once (the response still holds the socket).
                if conn.sock is not None:
                    conn.sock.shutdown(socket.SHUT_RDWR)
                return "cancelled", None
    except (OSError, http.client.HTTPException) as e:
        return "connection", repr(e)[:200].encode()
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------

def main():
    args = parse_args()
    if args.requests < 1 or args.concurrency < 1:
        print("soak_driver: --requests and --concurrency must be at least 1", file=sys.stderr)
        return 2
    procs = {}
    for spec in args.proc:
        name, _, pid = spec.partition("=")
        procs[name] = int(pid)
    restart_argv = None
    if args.kill:
        if args.kill not in procs or not args.restart_argv or not args.restart_log:
            print("soak_driver: --kill needs a --proc of that name, --restart-argv and "
                  "--restart-log", file=sys.stderr)
            return 2
        with open(args.restart_argv, "rb") as f:
            restart_argv = [a.decode() for a in f.read().split(b"\0") if a]

    deadline = time.monotonic() + args.timeout
    plan = make_plan(args.requests, args.model, args.seed)
    n = len(plan)
    # Segments of 10%; the warm-up is the first quarter (at least 50 requests); the kill comes
    # early in the segment that starts at 40%. RSS is read (at rest) after every segment.
    warm_end = min(n, max(50, n // 4))
    kill_start = max(warm_end, int(n * 0.4))
    mid_end = max(kill_start, int(n * 0.7))
    ends = sorted({warm_end, kill_start, mid_end, n} |
                  {e for e in (int(n * k / 10) for k in range(1, 10)) if e > warm_end})
    rss = {name: {} for name in procs}  # name -> {label: KiB}
    series = {name: [] for name in procs}  # name -> [(requests done, KiB)]
    order = ["start", "warm", "pre-kill", "mid", "end"]

    def snapshot(labels, done):
        time.sleep(0.5)  # let freed memory settle
        for name, pid in procs.items():
            value = rss_kib(pid)
            for label in labels:
                rss.setdefault(name, {})[label] = value
            series.setdefault(name, []).append((done, value))

    outcomes = [None] * n
    restarted = None
    kill_window = [None, None]  # monotonic start, end
    kill_note = []

    def task(i):
        rng = random.Random(args.seed * 100003 + i)
        start = time.monotonic()
        cause, detail = run_one(args.server, plan[i], args.request_timeout, rng)
        outcomes[i] = (plan[i][0], cause, detail, start, time.monotonic())

    snapshot(["start"], 0)
    began = time.monotonic()
    done = 0
    exit_status = 0
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            for end in ends:
                futures = [pool.submit(task, i) for i in range(done, end)]
                if done == kill_start and args.kill and restarted is None:
                    # Mid-traffic: once a quarter of the segment is done (at most 10 s), so
                    # that plenty of requests are in flight on the worker when it dies.
                    wait_until = time.monotonic() + 10.0
                    while (sum(f.done() for f in futures) < len(futures) // 4 and
                           time.monotonic() < wait_until):
                        time.sleep(0.02)
                    pid = procs[args.kill]
                    kill_window[0] = time.monotonic()
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        kill_note.append(f"{args.kill} (pid {pid}) was already gone")
                    log = open(args.restart_log, "ab")
                    restarted = subprocess.Popen(restart_argv, stdin=subprocess.DEVNULL,
                                                 stdout=log, stderr=subprocess.STDOUT,
                                                 preexec_fn=_die_with_parent)
                    log.close()
                    if args.restart_pid_file:
                        with open(args.restart_pid_file, "w", encoding="ascii") as f:
                            f.write(f"{restarted.pid}\n")
                    ready = wait_for_log(args.restart_log, args.restart_ready, restarted,
                                         max(1.0, min(300.0, deadline - time.monotonic())))
                    if not ready:
                        kill_note.append(f"the restarted {args.kill} never became ready")
                        exit_status = 1
                    kill_window[1] = time.monotonic() + args.kill_grace
                    kill_note.append(f"{args.kill} (pid {pid}) SIGKILLed at "
                                     f"{kill_window[0] - began:.1f} s; restarted as pid "
                                     f"{restarted.pid}, ready after "
                                     f"{time.monotonic() - kill_window[0]:.1f} s")
                    procs[args.kill + " (restarted)"] = restarted.pid
                    rss[args.kill + " (restarted)"] = {"start": rss_kib(restarted.pid)}
                for f in futures:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise TimeoutError
                    f.result(timeout=left)
                done = end
                labels = [label for label, at in (("warm", warm_end), ("pre-kill", kill_start),
                                                  ("mid", mid_end), ("end", n)) if at == end]
                snapshot(labels, done)
    except (TimeoutError, concurrent.futures.TimeoutError):
        print(f"soak_driver: the run passed its --timeout of {args.timeout:.0f} s",
              file=sys.stderr)
        stop_child(restarted)
        os._exit(1)  # the pool's threads may be stuck in a socket read; the trap cleans up
    elapsed = time.monotonic() - began
    if args.kill and restarted is None:
        kill_note.append(f"too few requests: {args.kill} was not killed")

    # Classify.
    counts = {"sent": n, "succeeded": 0, "expected-invalid 4xx": 0, "cancelled-by-client": 0,
              "rejected 429 (overload)": 0, "failed during worker kill": 0, "unexplained": 0}
    unexplained = {}
    examples = []
    kill_causes = {}
    for kind, cause, detail, start, end in outcomes:
        if cause == "ok":
            counts["succeeded"] += 1
        elif cause == "invalid":
            counts["expected-invalid 4xx"] += 1
        elif cause == "cancelled":
            counts["cancelled-by-client"] += 1
        elif cause == "overloaded":
            counts["rejected 429 (overload)"] += 1
        elif (kill_window[0] is not None and end >= kill_window[0] and start <= kill_window[1]
              and (cause in ("http_502", "http_503", "http_504", "error_event", "connection"))):
            counts["failed during worker kill"] += 1
            kill_causes[cause] = kill_causes.get(cause, 0) + 1
        else:
            counts["unexplained"] += 1
            key = f"{kind}/{cause}"
            unexplained[key] = unexplained.get(key, 0) + 1
            if len(examples) < 10:
                examples.append(f"{key}: {detail!r}")
    if counts["unexplained"]:
        exit_status = 1

    print(f"soak: {n} requests at concurrency {args.concurrency} in {elapsed:.1f} s "
          f"({n / elapsed:.1f} req/s)")
    for note in kill_note:
        print(f"soak: {note}")
    for key, value in counts.items():
        extra = ""
        if key == "failed during worker kill" and kill_causes:
            extra = "  (" + ", ".join(f"{k} {v}" for k, v in sorted(kill_causes.items())) + ")"
        if key == "unexplained" and unexplained:
            extra = "  (" + ", ".join(f"{k} {v}" for k, v in sorted(unexplained.items())) + ")"
        print(f"  {key:<28}{value:>7}{extra}")
    for e in examples:
        print(f"  unexplained example: {e}")

    def mib(v):
        return "-" if v is None else f"{v / 1024:.1f}"

    print(f"  {'VmRSS (MiB)':<24}" + "".join(f"{s:>9}" for s in order) + "   end vs base")
    rss_failures = []
    for name in rss:
        snaps = rss[name]
        base_label = "mid" if name.endswith("(restarted)") else "warm"
        base, end = snaps.get(base_label), snaps.get("end")
        verdict = ""
        if base and end:
            growth = 100.0 * (end - base) / base
            verdict = f"{growth:+.1f}% vs {base_label}"
            if growth > args.rss_tolerance:
                verdict += f"  OVER {args.rss_tolerance:.0f}%"
                rss_failures.append(name)
        elif name != args.kill:
            verdict = "no reading"
            rss_failures.append(name)
        else:
            verdict = "killed"
        print(f"  {name:<24}" + "".join(f"{mib(snaps.get(s)):>9}" for s in order) + f"   {verdict}")
    for name, points in series.items():
        print(f"  {name + ' VmRSS by requests done:':<44}" +
              " ".join(f"{d}:{mib(v)}" for d, v in points if v is not None))
    if rss_failures:
        exit_status = 1
    print(f"soak: {'PASS' if exit_status == 0 else 'FAIL'}"
          + (f" (unexplained failures: {counts['unexplained']})" if counts["unexplained"] else "")
          + (f" (RSS growth over {args.rss_tolerance:.0f}%: {', '.join(rss_failures)})"
             if rss_failures else ""))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"counts": counts, "unexplained": unexplained, "kill": kill_note,
                       "kill_causes": kill_causes, "rss_kib": rss, "rss_series_kib": series,
                       "seconds": elapsed,
                       "pass": exit_status == 0}, f, indent=1)
    stop_child(restarted)
    return exit_status


if __name__ == "__main__":
    sys.exit(main())
