"""Outages end to end: the controller SIGKILLed and restarted on the same port (workers register
again by themselves), fastchat-server routing from what the controller last told it while the
controller is away (--controller-outage-grace), and a client that stops reading a stream
(--write-timeout) while other clients are served as usual.

Each test class gets its own stack; every wait has a deadline."""

import concurrent.futures
import json
import os
import re
import socket
import subprocess
import tempfile
import time
import unittest

import harness
from harness import DONE, MODEL, Stream, post, request

REF_TEXT = harness.reference()[0]["generated_text"]
PROMPT = harness.reference()[0]["prompt"]
CHAT = "/v1/chat/completions"
COMPLETIONS = "/v1/completions"
# A worker beats every HEARTBEAT_INTERVAL and, when the controller is unreachable, retries
# registering every min(5 s, interval); the slack covers a loaded 2-core machine.
REREGISTER_DEADLINE = 2 * harness.HEARTBEAT_INTERVAL + 2.0


def greedy_body(path, **kw):
    body = {"model": MODEL, "temperature": 0, "max_tokens": 64}
    if path == CHAT:
        body["messages"] = [{"role": "user", "content": PROMPT}]
    else:
        body["prompt"] = PROMPT
    body.update(kw)
    return body


def answer_text(path, r):
    choice = r.json()["choices"][0]
    return choice["message"]["content"] if path == CHAT else choice["text"]


def stream_text(events):
    return "".join(c.get("text") or c.get("delta", {}).get("content") or ""
                   for e in events if e is not DONE for c in e.get("choices", []))


def assert_error_shape(test, err):
    for key in ("message", "type", "param", "code"):
        test.assertIn(key, err, err)
    test.assertTrue(err["message"], err)


class OutageCase(unittest.TestCase):
    SERVER_ARGS = ()
    WORKERS = 1

    def setUp(self):
        self.stack = harness.Stack(workers=self.WORKERS, server_args=list(self.SERVER_ARGS)).start()
        self.addCleanup(self.stack.stop)
        self.server = self.stack.server.url
        self.worker = self.stack.workers[0]

    def tearDown(self):
        self.stack.assert_alive(controller=False)

    def assert_serves(self, server=None):
        """Chat and completions, plain and streamed, give the greedy reference; /v1/models
        lists the model."""
        server = server or self.server
        for path in (CHAT, COMPLETIONS):
            r = post(server, path, greedy_body(path), timeout=30)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(answer_text(path, r), REF_TEXT)
            s, events = harness.sse(server, path, greedy_body(path, stream=True), timeout=30)
            self.assertEqual(s.status, 200, s.raw[:400])
            self.assertEqual(events[-1], DONE)
            self.assertEqual(stream_text(events), REF_TEXT)
        r = request(server, "GET", "/v1/models", timeout=10)
        self.assertEqual(r.status, 200, r)
        self.assertIn(MODEL, [m["id"] for m in r.json()["data"]])

    @staticmethod
    def registrations(worker):
        pattern = r"registered " + re.escape(worker.url) + r" with controller"
        return len(re.findall(pattern, worker.log_text()))

    def restart_controller(self, port, gap):
        """Starts a new controller on `port` after `gap` s and waits (bounded) until every
        worker is registered with it; returns how long that took from the new controller's
        start."""
        time.sleep(gap)
        before = [self.registrations(w) for w in self.stack.workers]
        controller = self.stack.start_controller(port=port)
        self.assertEqual(controller.url, f"http://127.0.0.1:{port}")
        started = time.monotonic()

        def all_registered():
            return (MODEL in harness.controller_models(controller.url)
                    and all(self.registrations(w) > n
                            for w, n in zip(self.stack.workers, before)))

        harness.wait_until(all_registered, REREGISTER_DEADLINE,
                           what="every worker to register with the new controller")
        took = time.monotonic() - started
        # The controller counts the workers that answer it.
        status = post(controller.url, "/worker_get_status", {}, timeout=10).json()
        self.assertEqual(status["speed"], len(self.stack.workers), status)
        return took


class ControllerRestartTest(OutageCase):
    WORKERS = 2

    def test_workers_register_again_with_a_restarted_controller(self):
        self.assert_serves()
        # Away long enough for heartbeats to be refused (the worker registers again once the
        # controller is back) ...
        port = self.stack.kill_controller()
        self.assert_serves()  # meanwhile from the routes the server remembers
        took = self.restart_controller(port, gap=4 * harness.HEARTBEAT_INTERVAL)
        self.assertLess(took, REREGISTER_DEADLINE)
        self.assert_serves()
        # ... and back at once, before the next heartbeat is due (the new controller answers
        # it with "exist": false, or the worker saw a refusal; either way it registers).
        port = self.stack.kill_controller()
        took = self.restart_controller(port, gap=0)
        self.assertLess(took, REREGISTER_DEADLINE)
        self.assert_serves()
        self.assertEqual(self.stack.server.log_text().count("answers again after"), 1)

    def test_a_worker_the_controller_forgot_registers_again(self):
        controller = self.stack.controller.url
        before = self.registrations(self.worker)
        r = post(controller, "/unregister_worker", {"worker_name": self.worker.url})
        self.assertEqual(r.json(), {"removed": True})
        forgotten_at = time.monotonic()
        # Its next heartbeat is answered "exist": false, and it registers again.
        harness.wait_until(lambda: self.registrations(self.worker) > before, REREGISTER_DEADLINE,
                           what="the forgotten worker to register again")
        self.assertLess(time.monotonic() - forgotten_at, REREGISTER_DEADLINE)
        self.worker.wait_for_log(r"does not know .*registering again", 1.0)
        status = post(controller, "/worker_get_status", {}, timeout=10).json()
        self.assertEqual(status["speed"], 2, status)
        self.assert_serves()


GRACE = 5.0


class ControllerOutageTest(OutageCase):
    """--controller-outage-grace 5, given in a --config file (the flag's config key)."""

    def setUp(self):
        config = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
        config.write(f"controller-outage-grace = {GRACE}\n")
        config.close()
        self.addCleanup(os.unlink, config.name)
        self.SERVER_ARGS = ["--config", config.name]
        super().setUp()

    def test_last_known_routes_serve_for_the_grace_then_503(self):
        no_grace = self.stack.start_server(["--controller-outage-grace", "0"])
        self.assert_serves(no_grace.url)
        learned_from = time.monotonic()
        self.assert_serves()
        learned_by = time.monotonic()

        port = self.stack.kill_controller()
        # Within the grace: everything keeps working through the worker last named (five
        # requests, one warning) ...
        self.assert_serves()
        self.assertLess(time.monotonic(), learned_from + GRACE, "too slow to test the grace")
        log = self.stack.server.log_text()
        self.assertEqual(log.count("serving from the routes it gave"), 1,
                         "one warning per outage, not one per request")
        # ... except on the server that was told not to remember.
        r = post(no_grace.url, COMPLETIONS, greedy_body(COMPLETIONS), timeout=10)
        self.assertEqual(r.status, 503, r)
        self.assertIn("controller", r.json()["error"]["message"])

        # Past the grace: 503 in OpenAI's shape, naming the controller and the flag. Each
        # route (the model list, the model's worker) ages from when it was learned.
        deadline = learned_by + GRACE + 3.0
        for method, path, body in (("POST", COMPLETIONS, greedy_body(COMPLETIONS, max_tokens=4)),
                                   ("POST", CHAT, greedy_body(CHAT, max_tokens=4)),
                                   ("POST", CHAT, greedy_body(CHAT, stream=True)),
                                   ("GET", "/v1/models", None)):
            with self.subTest(path=path, body=body):
                def refused():
                    r = request(self.server, method, path, body, timeout=10)
                    self.assertIn(r.status, (200, 503), r)
                    return r if r.status == 503 else None

                r = harness.wait_until(refused, max(0.1, deadline - time.monotonic()),
                                       interval=0.1, what=f"503 from {path} past the grace")
                self.assertGreaterEqual(time.monotonic(), learned_from + GRACE)
                err = r.json()["error"]
                assert_error_shape(self, err)
                self.assertIn("controller", err["message"])
                self.assertIn("--controller-outage-grace", err["message"])
        self.assertEqual(self.stack.server.log_text().count("serving from the routes it gave"), 1)

        # The controller comes back: the worker registers again, the server says so once.
        self.restart_controller(port, gap=0)
        self.assert_serves()
        self.assertEqual(self.stack.server.log_text().count("answers again after"), 1)


class OutageFlagTest(unittest.TestCase):
    def test_bad_values_are_refused_naming_the_flag(self):
        for flag in ("--controller-outage-grace", "--write-timeout"):
            for value in ("-1", "nan", "soon"):
                with self.subTest(flag=flag, value=value):
                    done = subprocess.run([harness.SERVER_BIN, "--port", "0", flag, value],
                                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                          timeout=20)
                    self.assertEqual(done.returncode, 2, done.stdout)
                    self.assertIn(flag.encode(), done.stdout)


WRITE_TIMEOUT = 3.0


class StalledClientTest(OutageCase):
    SERVER_ARGS = ("--write-timeout", str(WRITE_TIMEOUT))

    def stalled_request(self):
        """A raw connection with a tiny receive buffer that asks for a long, wide stream (8
        choices x 500 tokens, up to the context, 20 top logprobs each: megabytes) and then never
        reads."""
        body = greedy_body(COMPLETIONS, max_tokens=500, ignore_eos=True, n=8, logprobs=20,
                           stream=True)
        data = json.dumps(body).encode()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.addCleanup(sock.close)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)  # before connect: small window
        host, port = self.server.removeprefix("http://").split(":")
        sock.settimeout(10)
        sock.connect((host, int(port)))
        head = (f"POST {COMPLETIONS} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {len(data)}\r\n"
                "Content-Type: application/json\r\n\r\n")
        sock.sendall(head.encode() + data)
        return sock

    def timed_stream(self, path):
        started = time.monotonic()
        with Stream(self.server, path, greedy_body(path, stream=True), timeout=30,
                    deadline=30) as s:
            self.assertEqual(s.status, 200)
            events = list(s.events())
        return time.monotonic() - started, events

    def run_clients(self, pool, count=4):
        futures = [pool.submit(self.timed_stream, (CHAT, COMPLETIONS)[i % 2]) for i in range(count)]
        results = [f.result(timeout=60) for f in futures]
        for _, events in results:
            self.assertEqual(events[-1], DONE)
            self.assertEqual(stream_text(events), REF_TEXT)
        return max(took for took, _ in results)

    def samples(self, url):
        r, samples = harness.scrape(url)
        self.assertEqual(r.status, 200, r)
        return samples

    def server_value(self, name):
        return sum(v for k, v in self.samples(self.server).items()
                   if k == name or k.startswith(name + "{"))

    def test_a_stalled_stream_is_cut_after_the_write_timeout_and_frees_the_worker(self):
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            baseline = self.run_clients(pool)
            disconnects = self.server_value("fastchat_server_client_disconnects_total")

            stalled_at = time.monotonic()
            sock = self.stalled_request()
            harness.wait_until(lambda: self.server_value("fastchat_server_requests_in_flight") >= 1,
                               5.0, what="the stalled request to be in flight")
            # Others stream as usual meanwhile, and finish well before the stall is cut.
            took = self.run_clients(pool)
            self.assertLess(took, max(4 * baseline, baseline + 2.0),
                            f"normal streams took {took:.2f} s with a stalled one (alone: "
                            f"{baseline:.2f} s)")

        # The server gives up on the stalled client after --write-timeout, not before...
        harness.wait_until(
            lambda: self.server_value("fastchat_server_client_disconnects_total") > disconnects,
            WRITE_TIMEOUT + 10.0, interval=0.1, what="the stalled stream to be cut")
        cut_after = time.monotonic() - stalled_at
        self.assertGreaterEqual(cut_after, WRITE_TIMEOUT - 0.5)
        harness.wait_until(lambda: self.server_value("fastchat_server_requests_in_flight") == 0,
                           5.0, what="no request in flight on the server")

        # ... and the worker has nothing left running nor any KV block held.
        def worker_idle():
            s = self.samples(self.worker.url)
            label = f'{{model="{MODEL}"}}'
            return (s[f"fastchat_worker_num_requests_running{label}"] == 0
                    and s[f"fastchat_worker_num_requests_waiting{label}"] == 0
                    and s[f"fastchat_worker_kv_cache_usage_ratio{label}"] == 0)

        harness.wait_until(worker_idle, 5.0, interval=0.1, what="the worker to be idle")

        # What the stalled client would have read ends, without [DONE]: it was cut, not finished.
        received = bytearray()
        closed = False
        sock.settimeout(5)
        deadline = time.monotonic() + 20
        while not closed and time.monotonic() < deadline:
            try:
                chunk = sock.recv(1 << 16)
            except ConnectionResetError:
                chunk = b""
            received += chunk
            closed = not chunk
        sock.close()
        self.assertTrue(closed, "the server should have closed the stalled connection")
        self.assertTrue(received.startswith(b"HTTP/1.1 200"), bytes(received[:200]))
        self.assertNotIn(b"data: [DONE]", bytes(received))
        # The server is fine afterwards.
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            self.run_clients(pool, count=2)


if __name__ == "__main__":
    unittest.main()
