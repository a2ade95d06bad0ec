"""FastChat protocol end to end: what FastChat's own clients (fastchat/serve/test_message.py,
the Python openai_api_server, the Gradio web UI) send to the controller and the worker,
against our controller + one stories260K worker, no fastchat-server involved."""

import json
import unittest

import harness
from harness import MODEL, nul_frames, post, request

REF = harness.reference()
ONCE = REF[0]


def setUpModule():
    # No API server: FastChat clients talk to the controller and the worker directly.
    stack = harness.Stack(workers=0).start()
    unittest.addModuleCleanup(stack.stop)
    ProtocolTest.stack = stack
    ProtocolTest.controller = stack.controller.url
    ProtocolTest.worker = stack.start_worker(MODEL).url


class ProtocolTest(unittest.TestCase):
    stack = None
    controller = None
    worker = None

    def tearDown(self):
        self.stack.assert_alive()

    def greedy_text(self, n):
        """The greedy continuation of ONCE's prompt after n tokens, through /native/generate."""
        r = post(self.worker, "/native/generate",
                 {"prompt": ONCE["prompt"], "temperature": 0, "max_tokens": n})
        self.assertEqual(r.status, 200, r)
        lines = [json.loads(l) for l in r.body.decode("utf-8").splitlines() if l.strip()]
        return "".join(l["text"] for l in lines), lines

    def test_test_message_flow(self):
        """fastchat/serve/test_message.py, step by step."""
        r = post(self.controller, "/refresh_all_workers", {})
        self.assertEqual(r.status, 200, r)
        r = post(self.controller, "/list_models", {})
        self.assertEqual(r.status, 200, r)
        models = r.json()["models"]
        self.assertEqual(models, [MODEL])
        r = post(self.controller, "/get_worker_address", {"model": MODEL})
        self.assertEqual(r.status, 200, r)
        worker_addr = r.json()["address"]
        self.assertEqual(worker_addr, self.worker)

        conv = post(worker_addr, "/worker_get_conv_template", {"model": MODEL}).json()["conv"]
        gen_params = {
            "model": MODEL,
            "prompt": ONCE["prompt"],
            "temperature": 0,
            "max_new_tokens": 32,
            "stop": conv["stop_str"],
            "stop_token_ids": conv["stop_token_ids"],
            "echo": False,
        }
        s, frames = nul_frames(worker_addr, "/worker_generate_stream", gen_params)
        self.assertEqual(s.status, 200, bytes(s.raw[:300]))
        self.assertTrue(bytes(s.raw).endswith(b"\0"), "every frame is followed by a NUL byte")
        self.assertTrue(frames)
        previous = ""
        for frame in frames:
            self.assertEqual(frame["error_code"], 0, frame)
            self.assertTrue(frame["text"].startswith(previous),
                            f"text is cumulative: {previous!r} then {frame['text']!r}")
            previous = frame["text"]
            usage = frame["usage"]
            self.assertEqual(usage["prompt_tokens"], len(ONCE["prompt_ids"]))
            self.assertEqual(usage["total_tokens"],
                             usage["prompt_tokens"] + usage["completion_tokens"])
        for frame in frames[:-1]:
            self.assertIsNone(frame["finish_reason"], frame)
        last = frames[-1]
        self.assertEqual(last["finish_reason"], "length")
        self.assertEqual(last["usage"]["completion_tokens"], 32)
        expected, _ = self.greedy_text(32)
        self.assertEqual(last["text"], expected)
        self.assertTrue(ONCE["generated_text"].startswith(last["text"]))

    def test_generate_stream_defaults_echo_and_stop(self):
        # FastChat's generate_stream defaults: echo true (the prompt leads the text).
        s, frames = nul_frames(self.worker, "/worker_generate_stream",
                               {"model": MODEL, "prompt": ONCE["prompt"], "temperature": 0,
                                "max_new_tokens": 8})
        self.assertEqual(s.status, 200)
        expected, _ = self.greedy_text(8)
        self.assertEqual(frames[-1]["text"], ONCE["prompt"] + expected)
        self.assertEqual(frames[-1]["finish_reason"], "length")
        # A stop string: cut before it, finish_reason "stop", never streamed.
        ref = ONCE["generated_text"]
        s, frames = nul_frames(self.worker, "/worker_generate_stream",
                               {"model": MODEL, "prompt": ONCE["prompt"], "temperature": 0,
                                "max_new_tokens": 64, "stop": ["park", "zebra"],
                                "echo": False})
        self.assertEqual(frames[-1]["text"], ref[:ref.index("park")])
        self.assertEqual(frames[-1]["finish_reason"], "stop")
        for frame in frames:
            self.assertNotIn("park", frame["text"])

    def test_worker_generate_non_stream(self):
        r = post(self.worker, "/worker_generate",
                 {"model": MODEL, "prompt": ONCE["prompt"], "temperature": 0,
                  "max_new_tokens": 64, "echo": False})
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual(body["error_code"], 0)
        self.assertEqual(body["text"], ONCE["generated_text"])
        self.assertEqual(body["finish_reason"], "length")
        self.assertEqual(body["usage"], {"prompt_tokens": 5, "completion_tokens": 64,
                                         "total_tokens": 69})

    def test_native_generate_token_ids_equal_reference(self):
        n = len(ONCE["generated_ids"])
        text, lines = self.greedy_text(n)
        self.assertEqual(text, ONCE["generated_text"])
        ids = [t for l in lines for t in l["token_ids"]]
        self.assertEqual(ids, ONCE["generated_ids"])
        self.assertEqual(lines[-1]["finish_reason"], "length")
        self.assertEqual(lines[-1]["completion_tokens"], n)
        self.assertEqual(lines[-1]["prompt_tokens"], len(ONCE["prompt_ids"]))

    def test_worker_get_status(self):
        r = post(self.worker, "/worker_get_status", {})
        self.assertEqual(r.status, 200, r)
        status = r.json()
        self.assertEqual(status["model_names"], [MODEL])
        self.assertIsInstance(status["speed"], int)
        self.assertEqual(status["queue_length"], 0)
        r = post(self.controller, "/worker_get_status", {})
        self.assertEqual(r.status, 200, r)
        status = r.json()
        self.assertEqual(status["model_names"], [MODEL])
        self.assertEqual(status["queue_length"], 0)
        self.assertGreaterEqual(status["speed"], 1)

    def test_count_token(self):
        for ref in (REF[0], REF[3]):
            r = post(self.worker, "/count_token", {"prompt": ref["prompt"]})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json(), {"count": len(ref["prompt_ids"]), "error_code": 0})

    def test_conv_template(self):
        r = post(self.worker, "/worker_get_conv_template", {})
        self.assertEqual(r.status, 200, r)
        conv = r.json()["conv"]
        self.assertEqual(conv["name"], "raw")
        self.assertIs(type(conv["sep_style"]), int)
        for key in ("system_template", "system_message", "roles", "messages", "offset", "sep",
                    "sep2", "stop_str", "stop_token_ids"):
            self.assertIn(key, conv)
        self.assertEqual(len(conv["roles"]), 2)

    def test_model_details(self):
        r = post(self.worker, "/model_details", {"model": MODEL})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["context_length"], harness.CONTEXT_LENGTH)

    def test_health_endpoints(self):
        r = request(self.controller, "GET", "/test_connection")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), "success")
        for url in (self.controller, self.worker):
            r = request(url, "GET", "/health")
            self.assertEqual(r.status, 200, r)

    def test_controller_unknown_worker_and_model(self):
        r = post(self.controller, "/receive_heart_beat",
                 {"worker_name": "http://127.0.0.1:9", "queue_length": 0})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"exist": False})
        r = post(self.controller, "/get_worker_address", {"model": "no-such-model"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"address": ""})

    def test_controller_register_heartbeat_unregister(self):
        fake = "http://127.0.0.1:9"
        status = {"model_names": ["fake-model"], "speed": 1, "queue_length": 0}
        r = post(self.controller, "/register_worker",
                 {"worker_name": fake, "check_heart_beat": False, "worker_status": status})
        self.assertEqual(r.status, 200, r)
        try:
            self.assertEqual(sorted(harness.controller_models(self.controller)),
                             sorted([MODEL, "fake-model"]))
            r = post(self.controller, "/get_worker_address", {"model": "fake-model"})
            self.assertEqual(r.json()["address"], fake)
            r = post(self.controller, "/receive_heart_beat",
                     {"worker_name": fake, "queue_length": 3})
            self.assertEqual(r.json(), {"exist": True})
        finally:
            r = post(self.controller, "/unregister_worker", {"worker_name": fake})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(harness.controller_models(self.controller), [MODEL])
        r = post(self.controller, "/receive_heart_beat", {"worker_name": fake, "queue_length": 0})
        self.assertEqual(r.json(), {"exist": False})

    def test_worker_bad_requests(self):
        """FastChat style: HTTP 200 with error_code (fastchat.constants.ErrorCode) and the reason
        in text; the stream endpoint sends it as one NUL-terminated frame."""
        too_long = "hello " * 600
        cases = [
            (b"{not json", 40302, "JSON"),
            ({"model": MODEL, "prompt": "x", "temperature": "hot"}, 40302, "temperature"),
            ({"model": MODEL}, 40302, "prompt"),
            ({"model": MODEL, "prompt": "x", "max_new_tokens": 0}, 40302, "max_new_tokens"),
            ({"model": MODEL, "prompt": too_long}, 40303, "512"),
        ]
        for body, code, word in cases:
            with self.subTest(body=str(body)[:60], path="/worker_generate"):
                r = post(self.worker, "/worker_generate", body)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json()["error_code"], code, r)
                self.assertIn(word, r.json()["text"])
            with self.subTest(body=str(body)[:60], path="/worker_generate_stream"):
                s, frames = nul_frames(self.worker, "/worker_generate_stream", body)
                self.assertEqual(s.status, 200)
                self.assertEqual(len(frames), 1, frames)
                self.assertEqual(frames[0]["error_code"], code, frames)
                self.assertIn(word, frames[0]["text"])
        r = post(self.worker, "/worker_get_status", {})
        self.assertEqual(r.json()["queue_length"], 0)

if __name__ == "__main__":
    unittest.main()
