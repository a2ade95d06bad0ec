"""Metrics and health end to end: Prometheus' /metrics on a real worker and fastchat-server
after real requests (key series move by what the requests did; promtool accepts both pages),
/metrics open while the API needs a key, and the worker's health split: live as soon as it
listens, ready only once its model has loaded, registered with the controller only then, and a
model that fails to load still ends the process with an error."""

import errno
import os
import shutil
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

import harness
from harness import MODEL, Stream, post, request, scrape, wait_until

CHAT = "/v1/chat/completions"
COMPLETIONS = "/v1/completions"
LABEL = f'{{model="{MODEL}"}}'


def setUpModule():
    stack = harness.Stack(workers=1).start()
    unittest.addModuleCleanup(stack.stop)
    MetricsTest.stack = stack
    MetricsTest.server = stack.server.url
    MetricsTest.worker = stack.workers[0].url
    HealthTest.stack = stack


def delta(before, after, series):
    return after.get(series, 0.0) - before.get(series, 0.0)


class MetricsTest(unittest.TestCase):
    stack = None
    server = None
    worker = None

    def tearDown(self):
        self.stack.assert_alive()

    def assert_promtool_accepts(self, response):
        code, output = harness.promtool_check(response.body.decode("utf-8"))
        self.assertEqual((code, output), (0, ""), response.body.decode("utf-8")[:3000])

    def test_server_and_worker_series_follow_the_requests(self):
        _, server_before = scrape(self.server)
        _, worker_before = scrape(self.worker)

        r = post(self.server, CHAT, {"model": MODEL, "temperature": 0, "max_tokens": 8,
                                     "messages": [{"role": "user", "content": "Once upon a time"}]})
        self.assertEqual(r.status, 200, r)
        usage = [r.json()["usage"]]
        with Stream(self.server, COMPLETIONS, {"model": MODEL, "prompt": "Once upon a time",
                                               "temperature": 0, "max_tokens": 12, "stream": True,
                                               "stream_options": {"include_usage": True}}) as s:
            self.assertEqual(s.status, 200)
            events = list(s.events())
        usage.append(next(e for e in events if e is not harness.DONE and e.get("usage"))["usage"])
        r = post(self.server, COMPLETIONS, {"model": "no-such-model", "prompt": "x"})
        self.assertEqual(r.status, 404, r)

        # fastchat-server counts as it answers: one scrape sees everything.
        page, server_after = scrape(self.server)
        self.assertEqual(page.status, 200, page)
        self.assertEqual(page.header("content-type"), harness.PROMETHEUS_CONTENT_TYPE)
        self.assert_promtool_accepts(page)
        prompt = sum(u["prompt_tokens"] for u in usage)
        completion = sum(u["completion_tokens"] for u in usage)
        for series, expected in [
                (f'fastchat_server_requests_total{{endpoint="{CHAT}",status="200"}}', 1),
                (f'fastchat_server_requests_total{{endpoint="{COMPLETIONS}",status="200"}}', 1),
                (f'fastchat_server_requests_total{{endpoint="{COMPLETIONS}",status="404"}}', 1),
                (f"fastchat_server_time_to_first_token_seconds_count{LABEL}", 2),
                (f"fastchat_server_e2e_request_latency_seconds_count{LABEL}", 2),
                (f"fastchat_server_time_per_output_token_seconds_count{LABEL}", 2),
                (f"fastchat_server_prompt_tokens_total{LABEL}", prompt),
                (f"fastchat_server_completion_tokens_total{LABEL}", completion)]:
            self.assertEqual(delta(server_before, server_after, series), expected, series)
        self.assertEqual(server_after["fastchat_server_requests_in_flight"], 0)
        self.assertFalse([s for s in server_after if "no-such-model" in s],
                         "an unknown model gets no series")

        # The worker reports a request as the engine removes it, which can be just after the
        # answer went out: poll (bounded) until both requests are in.
        e2e = f"fastchat_worker_e2e_request_latency_seconds_count{LABEL}"

        def both_requests_in():
            samples = scrape(self.worker)[1]
            return samples if delta(worker_before, samples, e2e) >= 2 else None

        worker_after = wait_until(both_requests_in, 10, what="the worker to count both requests")
        page, _ = scrape(self.worker)
        self.assertEqual(page.header("content-type"), harness.PROMETHEUS_CONTENT_TYPE)
        self.assert_promtool_accepts(page)
        for series, expected in [
                (e2e, 2),
                (f"fastchat_worker_time_to_first_token_seconds_count{LABEL}", 2),
                (f"fastchat_worker_time_per_output_token_seconds_count{LABEL}", 2),
                (f"fastchat_worker_request_queue_time_seconds_count{LABEL}", 2),
                (f"fastchat_worker_generation_tokens_total{LABEL}", completion)]:
            self.assertEqual(delta(worker_before, worker_after, series), expected, series)
        finished = sum(delta(worker_before, worker_after,
                             f'fastchat_worker_requests_finished_total{{model="{MODEL}",'
                             f'finish_reason="{reason}"}}') for reason in ("stop", "length"))
        self.assertEqual(finished, 2)
        self.assertGreaterEqual(delta(worker_before, worker_after,
                                      f"fastchat_worker_prompt_tokens_total{LABEL}"), 1)
        for gauge in ("num_requests_running", "num_requests_waiting"):
            self.assertEqual(worker_after[f"fastchat_worker_{gauge}{LABEL}"], 0, gauge)
        usage_ratio = worker_after[f"fastchat_worker_kv_cache_usage_ratio{LABEL}"]
        self.assertGreaterEqual(usage_ratio, 0.0)
        self.assertLessEqual(usage_ratio, 1.0)
        for counter in ("prefix_cache_queries_total", "prefix_cache_hits_total",
                        "num_preemptions_total", "requests_rejected_total",
                        "requests_aborted_total"):
            self.assertIn(f"fastchat_worker_{counter}{LABEL}", worker_after)

    def test_metrics_are_open_when_the_api_needs_a_key(self):
        server = self.stack.start_server(["--api-keys", "sekret"], api_key="sekret")  # stack stops it
        self.assertEqual(request(server.url, "GET", "/v1/models").status, 401)
        page, samples = scrape(server.url)
        self.assertEqual(page.status, 200, page)
        self.assertIn(f'fastchat_server_requests_total{{endpoint="/v1/models",status="401"}}',
                      samples)


class HealthTest(unittest.TestCase):
    stack = None

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="fastchat-e2e-model-"))
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def test_worker_is_live_before_its_model_is_loaded_and_ready_after(self):
        # A model folder whose tokenizer_config.json is a FIFO: the worker's load blocks reading
        # it until this test writes the real file into it, so "loading" lasts exactly as long as
        # the test wants, with no sleeps. (The loader reads that file once, with a plain open.)
        for entry in harness.MODEL_DIR.iterdir():
            if entry.name != "tokenizer_config.json":
                (self.tmp / entry.name).symlink_to(entry)
        fifo = self.tmp / "tokenizer_config.json"
        os.mkfifo(fifo)
        name = "gated-stories"
        worker = self.stack.start_worker(name, ["--conv-template", "raw"], model_dir=self.tmp,
                                         wait_registered=False)
        self.addCleanup(worker.stop)
        url = worker.url

        self.assertEqual(request(url, "GET", "/health/live").status, 200)
        for path in ("/health", "/health/ready"):
            r = request(url, "GET", path)
            self.assertEqual(r.status, 503, r)
            self.assertEqual(r.json()["status"], "loading", r)
        r = post(url, "/native/generate", {"prompt": "Once", "max_tokens": 2})
        self.assertEqual(r.status, 503, r)
        self.assertIn("loading", r.json()["error"]["message"])
        r = post(url, "/worker_generate", {"prompt": "Once", "max_new_tokens": 2})
        self.assertEqual(r.status, 200, r)  # FastChat's protocol reports errors in band
        self.assertEqual(r.json()["error_code"], 50005, r)
        self.assertEqual(scrape(url)[0].status, 200)
        self.assertNotIn(name, harness.controller_models(self.stack.controller.url),
                         "a loading worker must not be registered")

        self._feed_fifo(fifo, (harness.MODEL_DIR / "tokenizer_config.json").read_bytes(), worker)
        wait_until(lambda: request(url, "GET", "/health", timeout=5).status == 200, 30,
                   what="the worker to become ready")
        self.assertEqual(request(url, "GET", "/health").json()["status"], "ok")
        worker.wait_for_log(r"registered \S+ with controller")
        wait_until(lambda: name in harness.controller_models(self.stack.controller.url), 10,
                   what="the controller to list the model")
        r = post(url, "/worker_generate", {"prompt": "Once", "max_new_tokens": 2,
                                           "temperature": 0})
        self.assertEqual(r.json()["error_code"], 0, r)

    def _feed_fifo(self, fifo, data, worker, timeout=30.0):
        # Non-blocking open fails with ENXIO until the worker opens the FIFO for reading: poll,
        # bounded, so a worker that never gets there fails the test instead of hanging it.
        deadline = time.monotonic() + timeout
        while True:
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError as e:
                if e.errno != errno.ENXIO:
                    raise
            if not worker.alive():
                self.fail(f"the worker exited while loading:\n{worker.log_tail()}")
            if time.monotonic() > deadline:
                self.fail(f"the worker never opened {fifo.name}:\n{worker.log_tail()}")
            time.sleep(0.02)
        try:
            os.set_blocking(fd, True)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)

    def test_a_model_that_fails_to_load_ends_the_worker_with_its_error(self):
        # An empty folder: the worker listens, fails to load, and exits 1 naming the file.
        worker = harness.Proc("worker-broken", [
            harness.WORKER_BIN, "--model-path", self.tmp, "--host", "127.0.0.1", "--port", "0",
            "--no-register", "--threads", "1"])
        self.addCleanup(worker.stop)
        try:
            worker.popen.wait(timeout=harness.STARTUP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.fail(f"the worker is still running:\n{worker.log_tail()}")
        self.assertEqual(worker.popen.returncode, 1, worker.log_tail())
        self.assertRegex(worker.log_text(), r"fastchat-worker: error: .*config\.json")


if __name__ == "__main__":
    unittest.main()
