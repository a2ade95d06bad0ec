"""Faults and routing end to end: several real workers behind one controller, workers killed
with SIGKILL (idle and mid-stream), an overloaded worker, and scripted broken workers (an
in-process HTTP server registered with the controller) for the 502/504 paths.

Each test of FaultCase gets its own controller + server, so worker counts are exact."""

import concurrent.futures
import http.server
import json
import re
import socketserver
import threading
import time
import unittest

import harness
from harness import DONE, MODEL, Stream, post, request

REF = harness.reference()
ONCE = REF[0]
REF_TEXT = ONCE["generated_text"]
CHAT = "/v1/chat/completions"
COMPLETIONS = "/v1/completions"
# How long the controller may take to drop a silent worker: it checks expiry periodically.
DROP_DEADLINE = 2 * harness.HEARTBEAT_EXPIRY + 1.5


def long_body(path=COMPLETIONS, **kw):
    """A greedy 500-token generation that ignores EOS (prompt 5 + 500 < 512)."""
    body = {"model": MODEL, "temperature": 0, "max_tokens": 500, "ignore_eos": True}
    if path == CHAT:
        body["messages"] = [{"role": "user", "content": ONCE["prompt"]}]
    else:
        body["prompt"] = ONCE["prompt"]
    body.update(kw)
    return body


def assert_error_shape(test, err):
    for key in ("message", "type", "param", "code"):
        test.assertIn(key, err, err)
    test.assertTrue(err["message"], err)


class FaultCase(unittest.TestCase):
    def setUp(self):
        self.stack = harness.Stack(workers=0).start()
        self.addCleanup(self.stack.stop)
        self.server = self.stack.server.url
        self.controller = self.stack.controller.url

    def tearDown(self):
        self.stack.assert_alive()

    def start_worker(self, *extra, model=MODEL):
        worker = self.stack.start_worker(model, list(extra))
        harness.wait_model_listed(self.server, model)
        return worker

    def reachable_workers(self):
        """The controller's count of workers that answer (each reports speed 1)."""
        return post(self.controller, "/worker_get_status", {}, timeout=5).json()["speed"]

    def greedy_ok(self, path=COMPLETIONS):
        body = long_body(path, max_tokens=64, ignore_eos=False)
        r = post(self.server, path, body, timeout=30)
        self.assertEqual(r.status, 200, r)
        choice = r.json()["choices"][0]
        text = choice["message"]["content"] if path == CHAT else choice["text"]
        self.assertEqual(text, REF_TEXT)


class RoutingTest(FaultCase):
    def test_two_workers_share_traffic_and_survive_losing_one(self):
        # One sequence at a time per worker, so a request stays queued long enough to be seen.
        a = self.start_worker("--max-num-seqs", "1")
        b = self.start_worker("--max-num-seqs", "1")
        self.assertEqual(self.reachable_workers(), 2)

        seen = {a.url: 0, b.url: 0}
        answers = []
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            for _burst in range(3):  # bounded retries in case a burst is too quick to observe
                futures = [pool.submit(post, self.server, COMPLETIONS, long_body(), None, 60)
                           for _ in range(8)]
                deadline = time.monotonic() + 60
                while not all(f.done() for f in futures) and time.monotonic() < deadline:
                    for url in seen:
                        q = post(url, "/worker_get_status", {}, timeout=5).json()["queue_length"]
                        seen[url] = max(seen[url], q)
                    time.sleep(0.005)
                answers += [f.result(timeout=60) for f in futures]
                if all(seen.values()):
                    break
        self.assertTrue(all(seen.values()),
                        f"both workers should have had requests in flight: max queues {seen}")
        texts = set()
        for r in answers:
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["usage"]["completion_tokens"], 500)
            texts.add(r.json()["choices"][0]["text"])
        self.assertEqual(len(texts), 1, "greedy answers agree whichever worker served them")
        self.assertTrue(texts.pop().startswith(REF_TEXT))

        # Lose one worker: requests keep succeeding (the server retries on the survivor)...
        self.stack.kill_worker(a)
        for _ in range(4):
            self.greedy_ok()
        # ...the controller drops the dead one within the expiry...
        self.stack.controller.wait_for_log(r"removed worker " + re.escape(a.url), DROP_DEADLINE)
        r = post(self.controller, "/receive_heart_beat", {"worker_name": a.url, "queue_length": 0})
        self.assertEqual(r.json(), {"exist": False})
        for _ in range(3):
            r = post(self.controller, "/get_worker_address", {"model": MODEL})
            self.assertEqual(r.json()["address"], b.url)
        # ...and the survivor serves everything.
        for path in (COMPLETIONS, CHAT):
            self.greedy_ok(path)


class WorkerLossTest(FaultCase):
    def test_killed_worker_is_dropped_then_503_then_replacement_used(self):
        worker = self.start_worker()
        self.greedy_ok()
        self.stack.kill_worker(worker)
        killed_at = time.monotonic()
        harness.wait_until(lambda: MODEL not in harness.controller_models(self.controller),
                           DROP_DEADLINE, interval=0.05,
                           what=f"the controller to drop the dead worker in {DROP_DEADLINE} s")
        dropped_after = time.monotonic() - killed_at
        self.assertGreater(dropped_after, 0.0)
        models = request(self.server, "GET", "/v1/models").json()["data"]
        self.assertNotIn(MODEL, [m["id"] for m in models])

        for path in (CHAT, COMPLETIONS):
            for stream in (False, True):
                with self.subTest(path=path, stream=stream):
                    r = post(self.server, path, long_body(path, max_tokens=8, stream=stream),
                             timeout=20)
                    self.assertEqual(r.status, 503, r)
                    self.assertTrue(r.header("content-type").startswith("application/json"))
                    err = r.json()["error"]
                    assert_error_shape(self, err)
                    self.assertIn(MODEL, err["message"])

        # A new worker for the model is used as soon as it is registered.
        self.start_worker()
        self.greedy_ok(CHAT)
        self.greedy_ok(COMPLETIONS)

    def test_worker_killed_mid_stream(self):
        # --max-num-seqs 1 runs the 16 choices one after another: ~8000 tokens, so the stream
        # is still going when the worker dies right after the first chunk.
        worker = self.start_worker("--max-num-seqs", "1")
        body = long_body(CHAT, n=16, stream=True)
        with Stream(self.server, CHAT, body, timeout=15, deadline=30) as s:
            self.assertEqual(s.status, 200)
            events = s.events()
            first = next(events)
            self.assertIn("choices", first)
            self.stack.kill_worker(worker)
            killed_at = time.monotonic()
            rest = list(events)
            ended_after = time.monotonic() - killed_at
        self.assertLess(ended_after, 5.0, "the stream must end soon after the worker died")
        self.assertIn(DONE, rest, bytes(s.raw[-600:]))
        self.assertEqual(rest.count(DONE), 1)
        self.assertEqual(rest[-1], DONE)
        errors = [e for e in rest if e is not DONE and "error" in e]
        self.assertEqual(len(errors), 1, bytes(s.raw[-800:]))
        self.assertIs(rest[-2], errors[0], "the error event comes right before [DONE]")
        assert_error_shape(self, errors[0]["error"])
        finished = {c["index"] for e in [first, *rest] if e is not DONE
                    for c in e.get("choices", []) if c.get("finish_reason")}
        self.assertLess(len(finished), 16, "the worker died before finishing every choice")
        # The server is fine afterwards.
        self.assertEqual(request(self.server, "GET", "/health").status, 200)


class ClientGoneTest(FaultCase):
    def test_client_disconnect_cancels_the_generation(self):
        # Two streams of 16 x 500 tokens, one sequence at a time: seconds of work if nobody
        # cancelled it. The clients hang up after their first chunk.
        worker = self.start_worker("--max-num-seqs", "1")
        streams = []
        try:
            for path in (COMPLETIONS, CHAT):
                s = Stream(self.server, path, long_body(path, n=16, stream=True), timeout=15)
                streams.append(s)
                self.assertEqual(s.status, 200)
                self.assertIn("choices", next(s.events()))
            queued = post(worker.url, "/worker_get_status", {}).json()["queue_length"]
            self.assertGreater(queued, 0)
        finally:
            for s in streams:
                s.close()
        closed_at = time.monotonic()
        harness.wait_until(
            lambda: post(worker.url, "/worker_get_status", {}).json()["queue_length"] == 0,
            2.0, what="the worker to drop the abandoned generations")
        self.assertLess(time.monotonic() - closed_at, 2.0)
        # Both keep serving.
        self.greedy_ok()


class OverloadTest(FaultCase):
    def test_overloaded_worker_answers_429_with_retry_after(self):
        self.start_worker("--limit-worker-concurrency", "1", "--max-num-seqs", "1")
        statuses = []
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            for _burst in range(5):
                futures = [pool.submit(post, self.server, COMPLETIONS, long_body(), None, 60)
                           for _ in range(6)]
                answers = [f.result(timeout=60) for f in futures]
                for r in answers:
                    statuses.append(r.status)
                    self.assertIn(r.status, (200, 429), r)
                    if r.status == 429:
                        retry_after = r.header("retry-after")
                        self.assertIsNotNone(retry_after, r.headers)
                        self.assertGreater(int(retry_after), 0)
                        err = r.json()["error"]
                        assert_error_shape(self, err)
                    else:
                        self.assertEqual(r.json()["usage"]["completion_tokens"], 500)
                if 429 in statuses:
                    break
        self.assertIn(429, statuses, "6 concurrent requests on a 1-request worker")
        self.assertIn(200, statuses)
        # Once idle, the worker serves again.
        self.greedy_ok()


# ---------------------------------------------------------------------------------------------
# Scripted broken workers

def delta(text, n, finish=None):
    return json.dumps({"completion_tokens": n, "finish_reason": finish, "prompt_tokens": 3,
                       "text": text, "token_ids": [400 + n]}) + "\n"


class FakeWorker(http.server.BaseHTTPRequestHandler):
    """POST /native/generate, behaviour chosen by the request's model name."""
    protocol_version = "HTTP/1.1"
    release = threading.Event()  # set at teardown: ends every stall

    def log_message(self, *args):
        pass

    def _chunk(self, data):
        data = data.encode()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        if self.path != "/native/generate":
            self.send_error(404)
            return
        behaviour = self.server.behaviour_of(body)
        self.close_connection = True
        if behaviour == "http500":
            payload = b"internal kaboom"
            self.send_response(500)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        if behaviour == "stall":
            FakeWorker.release.wait(20)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self._chunk(delta("Hello", 1))
        self._chunk(delta(" there", 2))
        if behaviour == "cut":
            return  # closes without the final delta or the last chunk
        if behaviour == "stall_mid":
            FakeWorker.release.wait(20)
            return
        if behaviour == "garbage":
            self._chunk("this is not json\n")
            return
        raise AssertionError(f"unknown behaviour {behaviour}")


class FakeWorkerServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FakeWorker)
        self.behaviours = {}

    def behaviour_of(self, body):
        # The server forwards the prompt (completions) or the messages (chat); the behaviour
        # travels in the text.
        text = body.get("prompt") or body.get("messages", [{}])[0].get("content", "")
        return self.behaviours[text]


class BrokenWorkerTest(unittest.TestCase):
    """fastchat-server (--worker-timeout 1) against scripted workers; one model per behaviour,
    each registered with the controller without heartbeat checks."""

    BEHAVIOURS = ("http500", "cut", "stall", "stall_mid", "garbage")

    @classmethod
    def setUpClass(cls):
        FakeWorker.release.clear()
        cls.stack = harness.Stack(workers=0, server_args=["--worker-timeout", "1"]).start()
        cls.addClassCleanup(cls.stack.stop)
        cls.fake = FakeWorkerServer()
        cls.fake.behaviours = {f"prompt-{b}": b for b in cls.BEHAVIOURS}
        thread = threading.Thread(target=cls.fake.serve_forever, kwargs={"poll_interval": 0.1},
                                  daemon=True)
        thread.start()

        def stop_fake():
            FakeWorker.release.set()
            cls.fake.shutdown()
            cls.fake.server_close()
            thread.join(5)

        cls.addClassCleanup(stop_fake)
        cls.fake_url = f"http://127.0.0.1:{cls.fake.server_address[1]}"
        r = post(cls.stack.controller.url, "/register_worker", {
            "worker_name": cls.fake_url, "check_heart_beat": False,
            "worker_status": {"model_names": ["broken"], "speed": 1, "queue_length": 0}})
        assert r.status == 200, r
        cls.server = cls.stack.server.url
        harness.wait_model_listed(cls.server, "broken")

    def tearDown(self):
        self.stack.assert_alive()

    def body(self, behaviour, path=COMPLETIONS, **kw):
        body = {"model": "broken", "max_tokens": 50}
        if path == CHAT:
            body["messages"] = [{"role": "user", "content": f"prompt-{behaviour}"}]
        else:
            body["prompt"] = f"prompt-{behaviour}"
        body.update(kw)
        return body

    def assertNonStreamError(self, behaviour, status, max_seconds=10.0):
        started = time.monotonic()
        r = post(self.server, COMPLETIONS, self.body(behaviour), timeout=20)
        elapsed = time.monotonic() - started
        self.assertEqual(r.status, status, r)
        assert_error_shape(self, r.json()["error"])
        self.assertLess(elapsed, max_seconds)
        return r.json()["error"]

    def stream_events(self, behaviour, path=COMPLETIONS):
        started = time.monotonic()
        with Stream(self.server, path, self.body(behaviour, path, stream=True), timeout=20,
                    deadline=20) as s:
            if s.status != 200:
                return s.status, s.error_body(), time.monotonic() - started
            return s.status, list(s.events()), time.monotonic() - started

    def assertStreamEndsWithError(self, behaviour, path=COMPLETIONS, max_seconds=10.0):
        status, events, elapsed = self.stream_events(behaviour, path)
        self.assertEqual(status, 200, events)
        self.assertLess(elapsed, max_seconds)
        self.assertEqual(events[-1], DONE, events)
        self.assertEqual(events.count(DONE), 1)
        self.assertIn("error", events[-2], events)
        assert_error_shape(self, events[-2]["error"])
        text = "".join(c.get("text") or c.get("delta", {}).get("content") or ""
                       for e in events[:-2] for c in e["choices"])
        self.assertEqual(text, "Hello there", events)
        return events[-2]["error"]

    def test_worker_http_500_is_502(self):
        self.assertNonStreamError("http500", 502)
        status, err, _ = self.stream_events("http500")
        self.assertEqual(status, 502, err)

    def test_worker_cut_mid_answer(self):
        self.assertNonStreamError("cut", 502)
        for path in (COMPLETIONS, CHAT):
            with self.subTest(path=path):
                self.assertStreamEndsWithError("cut", path)

    def test_worker_garbage_line(self):
        self.assertNonStreamError("garbage", 502)
        self.assertStreamEndsWithError("garbage")

    def test_worker_silent_mid_stream_times_out(self):
        self.assertNonStreamError("stall_mid", 504, max_seconds=6)
        self.assertStreamEndsWithError("stall_mid", max_seconds=6)

    def test_silent_worker_is_504(self):
        """A worker that accepts the request and never answers: after --worker-timeout the
        gateway answers 504 (RFC 9110 15.6.5), not 503 'unavailable'."""
        self.assertNonStreamError("stall", 504, max_seconds=6)
        status, err, elapsed = self.stream_events("stall")
        self.assertEqual(status, 504, err)
        self.assertLess(elapsed, 6)


if __name__ == "__main__":
    unittest.main()
