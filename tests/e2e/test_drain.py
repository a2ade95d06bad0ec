"""Graceful shutdown end to end: SIGTERM (or SIGINT) with a generation in flight, on the
worker and on fastchat-server. The first signal turns /health to 503, refuses new work, takes
the worker off the controller at once and lets the requests in flight finish within
--drain-timeout, then the process exits 0; past the timeout, or on a second signal, what is
left is cut and the process still exits 0.

stories260K generates thousands of tokens a second, so one generation would be over before the
test looks. On the worker, many generations are queued behind one sequence slot (see
WorkerDrainTest). Through fastchat-server, the client keeps its request in flight: a HeldStream
asks for megabytes of SSE (n choices with logprobs) through a small receive buffer and reads
nothing until told, so the server's bounded stream queue fills and its handler waits - in
flight - until the client reads (or the drain ends)."""

import http.client
import json
import re
import signal
import socket
import subprocess
import threading
import time
import unittest
from urllib.parse import urlparse

import harness
from harness import DONE, MODEL, Stream, post, request

REF = harness.reference()
PROMPT = REF[0]["prompt"]
TOKENS = 500  # prompt 5 + 500 < the 512-token context
CHOICES = 16
EXIT_DEADLINE = 30.0
COMPLETIONS = "/v1/completions"


def api_body(**kw):
    """Some megabytes of SSE: n choices with top-5 logprobs per token."""
    body = {"model": MODEL, "prompt": PROMPT, "temperature": 0, "max_tokens": TOKENS,
            "ignore_eos": True, "stream": True, "n": CHOICES, "logprobs": 5}
    body.update(kw)
    return body


class _SmallBufferConnection(http.client.HTTPConnection):
    def connect(self):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)  # before the handshake
        sock.settimeout(self.timeout)
        sock.connect((self.host, self.port))
        self.sock = sock


class HeldStream:
    """A streamed request whose client reads nothing past the headers until read_all()."""

    def __init__(self, url, path, body):
        u = urlparse(url)
        self.conn = _SmallBufferConnection(u.hostname, u.port, timeout=30)
        try:
            self.conn.request("POST", path, body=json.dumps(body).encode("utf-8"),
                              headers={"Content-Type": "application/json"})
            self.resp = self.conn.getresponse()
        except BaseException:
            self.conn.close()
            raise
        self.status = self.resp.status

    def read_all(self):
        """(body, error): the whole body, or what came before the stream was cut and why."""
        received = bytearray()
        try:
            while True:
                chunk = self.resp.read1(65536)
                if not chunk:
                    return bytes(received), None
                received += chunk
        except (http.client.HTTPException, OSError) as e:
            return bytes(received), e
        finally:
            self.conn.close()

    def close(self):
        self.conn.close()


def wait_exit(proc, timeout):
    """The exit code within timeout seconds (AssertionError otherwise)."""
    try:
        return proc.popen.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"{proc.name} still running {timeout} s after the signal:\n"
                             f"{proc.log_tail()}") from None


def wait_health_503(url):
    def draining():
        r = request(url, "GET", "/health", timeout=5)
        return r if r.status == 503 else None
    return harness.wait_until(draining, 5, 0.01, f"{url}/health to answer 503")


class DrainCase(unittest.TestCase):
    def setUp(self):
        self.stack = harness.Stack(workers=0).start()
        self.addCleanup(self.stack.stop)
        self.controller = self.stack.controller.url

    def start_worker(self, drain_timeout, *extra):
        worker = self.stack.start_worker(MODEL, ["--drain-timeout", str(drain_timeout), *extra])
        harness.wait_model_listed(self.stack.server.url, MODEL)
        return worker

    def held(self, url, path, body):
        stream = HeldStream(url, path, body)
        self.addCleanup(stream.close)
        self.assertEqual(stream.status, 200)
        return stream


class QueuedStream(threading.Thread):
    """One native generation streamed and read to its end in the background."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url = url
        self.lines = []
        self.status = None
        self.error = None

    def run(self):
        try:
            with Stream(self.url, "/native/generate", native_body(), timeout=30,
                        deadline=90) as s:
                self.status = s.status
                for line in s.lines():
                    if line.strip():
                        self.lines.append(json.loads(line))
        except Exception as e:  # noqa: BLE001 - a cut stream ends here
            self.error = e

    def complete(self):
        return (self.error is None and self.status == 200 and bool(self.lines)
                and self.lines[-1].get("finish_reason") == "length")


def native_body():
    return {"prompt": PROMPT, "temperature": 0, "max_tokens": TOKENS, "ignore_eos": True}


class WorkerDrainTest(DrainCase):
    """The worker runs one sequence at a time (--max-num-seqs 1) with many native generations
    queued on it, enough for about BUSY seconds of work (measured first), so a drain has to wait
    for them one after the other."""

    def start_busy_worker(self, drain_timeout, busy_s):
        worker = self.start_worker(drain_timeout, "--max-num-seqs", "1")
        began = time.monotonic()
        r = post(worker.url, "/native/generate", native_body(), timeout=30)
        self.assertEqual(r.status, 200, r)
        one = max(time.monotonic() - began, 0.001)
        streams = [QueuedStream(worker.url) for _ in range(min(400, int(busy_s / one) + 2))]
        for stream in streams:
            stream.start()

        def all_admitted():  # each one running, queued on the worker, or already done
            queued = post(worker.url, "/worker_get_status", {}, timeout=5).json()["queue_length"]
            return queued + sum(not s.is_alive() for s in streams) >= len(streams)

        harness.wait_until(all_admitted, 30, 0.01, "every generation to reach the worker")
        self.addCleanup(lambda: [s.join(30) for s in streams])
        return worker, streams

    def test_sigterm_lets_requests_in_flight_finish_then_exits_0(self):
        worker, streams = self.start_busy_worker(60, busy_s=3)
        worker.popen.send_signal(signal.SIGTERM)
        signalled = time.monotonic()

        # /health turns 503 "draining" at once, while the worker still answers.
        r = wait_health_503(worker.url)
        self.assertEqual(r.json()["status"], "draining")
        self.assertEqual(r.header("connection"), "close", (r.headers, r.body))
        # New generations are refused (FastChat's in-band error frame).
        s, frames = harness.nul_frames(worker.url, "/worker_generate_stream",
                                       {"model": MODEL, "prompt": PROMPT, "max_new_tokens": 8},
                                       timeout=10)
        self.assertEqual(s.status, 200)
        self.assertEqual(len(frames), 1, frames)
        self.assertNotEqual(frames[0]["error_code"], 0, frames)
        self.assertIn("shutting down", frames[0]["text"])
        # Off the controller at once: it unregistered (the controller did not expire it).
        self.stack.controller.wait_for_log(r"unregistered worker " + re.escape(worker.url), 5)
        self.assertNotIn(MODEL, harness.controller_models(self.controller))
        r = post(self.controller, "/get_worker_address", {"model": MODEL}, timeout=5)
        self.assertEqual(r.json()["address"], "")

        self.assertEqual(wait_exit(worker, EXIT_DEADLINE), 0, worker.log_tail())
        for stream in streams:
            stream.join(10)
            self.assertTrue(stream.complete(), f"{stream.error!r} {stream.lines[-1:]}")
        log = worker.log_text()
        self.assertRegex(log, r"draining [1-9]\d* request\(s\) in flight")
        self.assertRegex(log, r"drained [1-9]\d* request\(s\)")
        self.assertNotIn("cutting", log)
        self.assertLess(time.monotonic() - signalled, EXIT_DEADLINE)

    def test_drain_timeout_cuts_what_is_left_and_exits_0(self):
        worker, streams = self.start_busy_worker(1, busy_s=6)
        worker.popen.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        self.assertEqual(wait_exit(worker, 15), 0, worker.log_tail())
        elapsed = time.monotonic() - signalled
        self.assertGreaterEqual(elapsed, 0.9)
        self.assertLess(elapsed, 10.0)  # 1 s of drain, then the stop (handlers cancelled)
        for stream in streams:
            stream.join(15)
        self.assertTrue([s for s in streams if not s.complete()], "some streams must be cut")
        self.assertRegex(worker.log_text(), r"drain timeout: cutting [1-9]\d* request\(s\)")

    def test_second_signal_stops_at_once(self):
        worker, streams = self.start_busy_worker(60, busy_s=6)
        worker.popen.send_signal(signal.SIGTERM)
        worker.wait_for_log(r"draining [1-9]\d* request\(s\) in flight", 10)
        self.assertTrue(worker.alive(), "the drain should still be running")
        worker.popen.send_signal(signal.SIGINT)
        signalled = time.monotonic()
        self.assertEqual(wait_exit(worker, 15), 0, worker.log_tail())
        self.assertLess(time.monotonic() - signalled, 10.0)
        for stream in streams:
            stream.join(15)
        self.assertTrue([s for s in streams if not s.complete()], "some streams must be cut")
        log = worker.log_text()
        self.assertIn("received SIGINT again: stopping at once", log)
        self.assertRegex(log, r"second signal: cutting [1-9]\d* request\(s\)")

    def test_drain_timeout_0_stops_at_once(self):
        worker = self.start_worker(0)
        worker.popen.send_signal(signal.SIGTERM)
        self.assertEqual(wait_exit(worker, 15), 0, worker.log_tail())
        self.assertNotIn(MODEL, harness.controller_models(self.controller))


class ServerDrainTest(DrainCase):
    def test_sigterm_on_server_lets_the_stream_finish_and_refuses_new_requests(self):
        self.start_worker(60)
        server = self.stack.start_server(["--drain-timeout", "60"])
        stream = self.held(server.url, COMPLETIONS, api_body())
        server.popen.send_signal(signal.SIGTERM)

        r = wait_health_503(server.url)
        self.assertEqual(r.json(), {"status": "draining"})
        # New API requests: 503 in OpenAI's error shape.
        r = post(server.url, COMPLETIONS, api_body(stream=False, n=1, max_tokens=8), timeout=10)
        self.assertEqual(r.status, 503, r)
        err = r.json()["error"]
        for key in ("message", "type", "param", "code"):
            self.assertIn(key, err, err)
        self.assertIn("shutting down", err["message"])
        # At least the held stream; a request answered just before may still be counted (its
        # last write completes on the server after the client has read it).
        server.wait_for_log(r"draining [1-9]\d* request\(s\) in flight", 5)
        time.sleep(0.3)
        self.assertTrue(server.alive(), "the server must wait for its stream in flight")

        body, error = stream.read_all()
        self.assertIsNone(error)
        events = [line[5:].strip() for line in body.decode("utf-8").splitlines()
                  if line.startswith("data:")]
        self.assertEqual(events[-1], DONE)
        finishes = {}
        for event in events[:-1]:
            for choice in json.loads(event).get("choices", []):
                if choice.get("finish_reason"):
                    finishes[choice["index"]] = choice["finish_reason"]
        self.assertEqual(finishes, {i: "length" for i in range(CHOICES)})
        self.assertEqual(wait_exit(server, EXIT_DEADLINE), 0, server.log_tail())
        self.assertRegex(server.log_text(), r"drained [1-9]\d* request\(s\)")


class ControllerDrainTest(unittest.TestCase):
    def test_controller_honours_the_flag_and_exits_0(self):
        for flag in ("0", "5"):
            with self.subTest(drain_timeout=flag):
                proc = harness.Proc("controller", [harness.CONTROLLER_BIN, "--host", "127.0.0.1",
                                                   "--port", "0", "--drain-timeout", flag])
                try:
                    url = proc.wait_listening()
                    self.assertEqual(request(url, "GET", "/health", timeout=5).status, 200)
                    proc.popen.send_signal(signal.SIGTERM)
                    self.assertEqual(wait_exit(proc, 10), 0, proc.log_tail())
                finally:
                    proc.stop()

    def test_bad_drain_timeout_is_a_usage_error(self):
        done = subprocess.run([harness.CONTROLLER_BIN, "--drain-timeout=-1"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
        self.assertEqual(done.returncode, 2, done.stdout)


if __name__ == "__main__":
    unittest.main()
