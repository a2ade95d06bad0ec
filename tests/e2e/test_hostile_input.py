"""Hostile-input sweep: every POST route of fastchat-controller, fastchat-worker and
fastchat-server gets a table of bad bodies (malformed JSON, JSON that is not an object, wrong
types and out-of-range values for each main field, missing fields, invalid UTF-8, lone
surrogates, 1e309, huge n / max_tokens, prompts longer than the context, 10000-deep nesting,
oversized bodies), with the right secrets and with wrong ones.

Expected of every answer:
  * a 4xx status (never a 5xx), with the JSON error envelope
    {"error": {"message", "type", "param", "code"}} whose message is not empty and, for a field
    case, names the field (in `param` or in the message);
  * FastChat's generation routes (/worker_generate, /worker_generate_stream) answer in band as
    FastChat's clients expect: HTTP 200 and a JSON object (the stream: one NUL-terminated frame)
    with a non-zero `error_code` and the reason in `text`;
  * routes that read no body (/list_models, /worker_get_status, ...) may answer 200 to any body,
    but never a 5xx;
and after the sweep: every process still alive, every /health 200, a real generation still
works, and no secret (controller token, API keys, the wrong keys sent) appears in any log line
(all three run at --log-level debug)."""

import http.client
import json
import secrets
import socket
import unittest
from urllib.parse import urlparse

import harness
from harness import MODEL, post, request

CHAT = "/v1/chat/completions"
COMPLETIONS = "/v1/completions"
TIMEOUT = 15.0  # per request: every answer here is a quick refusal

CONTROLLER_TOKEN = "ctl-" + secrets.token_hex(16)
API_KEY = "sk-hostile-" + secrets.token_hex(16)
API_KEY_2 = "sk-second-" + secrets.token_hex(16)
# Wrong secrets, some near misses of the real ones: they must not be logged either.
WRONG_SECRETS = ["sk-wrong-" + secrets.token_hex(12), API_KEY[:-1],
                 API_KEY + "x", CONTROLLER_TOKEN[:-2], "ctl-wrong-" + secrets.token_hex(12)]
ALL_SECRETS = [CONTROLLER_TOKEN, API_KEY, API_KEY_2, *WRONG_SECRETS]

SERVER_BODY_LIMIT = 65536
DEFAULT_BODY_LIMIT = 8 << 20  # controller and worker defaults
LONG_PROMPT = "hello " * 700  # > 512 tokens of stories260K's context

# ---------------------------------------------------------------------------------------------
# Bodies that are bad whatever the route: (name, raw bytes, a word the message should contain)

DEEP = 10000
GENERIC = [
    ("empty body", b"", None),
    ("truncated object", b'{"model": "stories260K", "prompt": ', None),
    ("trailing comma", b'{"a": 1,}', None),
    ("bare word", b"nul", None),
    ("single quotes", b"{'model': 'x'}", None),
    ("garbage bytes", bytes(range(256)), None),
    ("two objects", b'{"a": 1} {"b": 2}', None),
    ("array", b"[1, 2]", "object"),
    ("string", b'"hello"', "object"),
    ("number", b"42", "object"),
    ("null", b"null", "object"),
    ("true", b"true", "object"),
    ("deep arrays", b"[" * DEEP + b"]" * DEEP, "nested"),
    ("deep objects", b'{"a":' * DEEP + b"1" + b"}" * DEEP, "nested"),
    ("deep arrays inside a field", b'{"prompt": ' + b"[" * DEEP + b"]" * DEEP + b"}", "nested"),
    ("deep unclosed", b"[" * 100000, None),
    ("invalid UTF-8 in a string", b'{"model": "\xff\xfe", "prompt": "a\xc3\x28b"}', None),
    ("overlong UTF-8", b'{"prompt": "\xc0\xaf"}', None),
    ("UTF-16 surrogate bytes", b'{"prompt": "\xed\xa0\x80"}', None),
    ("lone surrogate escape", b'{"prompt": "\\ud800"}', None),
    ("raw control character", b'{"prompt": "a\x00b"}', None),
    ("number past double", b'{"max_tokens": 1e309, "max_new_tokens": 1e309, "n": 1e309}', None),
    ("NaN literal", b'{"temperature": NaN}', None),
    ("Infinity literal", b'{"temperature": Infinity}', None),
]


# ---------------------------------------------------------------------------------------------
# Field tables per route: (base body, [(field, bad value or DELETE)]). Each case replaces one
# field of a body that would otherwise be accepted; the answer must name that field.

DELETE = object()


class RAW:
    """A value spliced into the JSON text as is (1e309 has no Python JSON spelling)."""

    def __init__(self, text):
        self.text = text


def make_body(base, field, value):
    """The JSON bytes of base with field set to value (DELETE: removed; RAW: spliced as is)."""
    body = dict(base)
    if value is DELETE:
        body.pop(field, None)
        return json.dumps(body).encode()
    if isinstance(value, RAW):
        body[field] = "__RAW__"
        return json.dumps(body).encode().replace(b'"__RAW__"', value.text.encode())
    body[field] = value
    return json.dumps(body).encode()


BIG = [2 ** 31, 2 ** 53 + 1, 2 ** 63, 2 ** 64, 10 ** 30, RAW("1e309"), RAW("-1e309"), 1e300]
COMMON_SAMPLING = {
    "temperature": ["hot", -1, -1e-9, 101, 1e9, "NaN", "Infinity", RAW("1e309"), [], {}, True],
    "top_p": [1.5, -0.1, "x", RAW("1e309")],
    "top_k": ["x", 1.5, 2 ** 40, -2 ** 40],
    "presence_penalty": [5, -5, "x", RAW("1e309")],
    "frequency_penalty": [5, -5, "x"],
    "repetition_penalty": [0, -1, "x", 1e9],
    "stop": [7, [1, 2], {"a": 1}, [None], [["x"]], [""], ["s"] * 1000],
    "seed": ["x", 1.5, 2 ** 64, RAW("1e309")],
}

SERVER_COMMON = {
    "model": [DELETE, 123, None, [], {}, "", "x" * 100000],
    "max_tokens": [-1, 0, "5", 5.5, True, [], *BIG, 100000],
    "n": [0, -1, "2", 1.5, 17, 10 ** 6, 2 ** 31, 2 ** 63, RAW("1e309")],
    "stream": ["yes", 1, [], {}],
    "stream_options": ["x", 5, {"include_usage": "x"}],
    "logit_bias": ["x", [1, 2], {"abc": 1}, {"1": "x"}, {"1": 1000}, {"-1": 1}, {"99999999": 1},
                   {str(i): 1 for i in range(400)}],
    "user": [5, [], {}],
    "max_completion_tokens": [-1, 0, "x", *BIG],
    "min_tokens": [-1, "x", 2 ** 40],
    "ignore_eos": ["x", 5],
    "response_format": [{"type": "json_object"}, "x"],
    "min_p": [-0.5, 1.5, "x"],
    **COMMON_SAMPLING,
}

CHAT_BASE = {"model": MODEL, "messages": [{"role": "user", "content": "Once upon"}],
             "max_tokens": 4, "temperature": 0}
CHAT_FIELDS = {
    **SERVER_COMMON,
    # (A string is a raw prompt: accepted.)
    "messages": [DELETE, None, 5, {}, [], [5], [None], [[]],
                 [{"role": "wizard", "content": "hi"}], [{"role": 5, "content": "hi"}],
                 [{"role": "user"}], [{"content": "hi"}], [{"role": "user", "content": 5}],
                 [{"role": "user", "content": {"text": "hi"}}],
                 [{"role": "user", "content": [{"type": "image_url",
                                                "image_url": {"url": "http://x/y.png"}}]}],
                 [{"role": "user", "content": [{"type": "text"}]}],
                 [{"role": "user", "content": [{"type": "text", "text": 5}]}],
                 [{"role": "user", "content": [5]}],
                 [{"role": "user", "content": LONG_PROMPT}],
                 [{"role": "user", "content": "hi"}] * 2000,
                 [{"role": "tool", "content": "x"}], [{"role": "tool", "tool_call_id": "c"}],
                 [{"role": "assistant", "tool_calls": [5]}],
                 [{"role": "assistant", "tool_calls": [{"id": "c", "function": {"name": "f"}}]}],
                 [{"role": "user", "content": "x", "tool_calls": []}]],
    "logprobs": ["x", 5, []],
    "top_logprobs": [-1, 1000, "x", 2 ** 40],
    # Well-formed tools are refused too: stories260K's FastChat template has no place for them.
    "tools": [[{"type": "function", "function": {"name": "f"}}], "x", [5], [{"type": "function"}],
              [{"type": "code", "function": {"name": "f"}}],
              [{"type": "function", "function": {"name": "a b"}}],
              [{"type": "function", "function": {"name": "f", "parameters": 5}}]],
    "tool_choice": ["required", {"type": "function", "function": {"name": "f"}}, "x", 5],
    "chat_template_kwargs": ["x", [1], {"messages": []}, {"enable_thinking": False}],
    "parallel_tool_calls": ["x", 5],
    "functions": [[{"name": "f"}]],
}
COMPLETION_BASE = {"model": MODEL, "prompt": "Once upon", "max_tokens": 4, "temperature": 0}
COMPLETION_FIELDS = {
    **SERVER_COMMON,
    "prompt": [DELETE, None, 5, {}, [], [5], [[1, 2]], [None], ["a", 5], LONG_PROMPT],
    "suffix": ["x", 5],
    "echo": ["x", 5],
    "logprobs": [-1, 1000, "x", True, 2 ** 40],
    "best_of": [0, -1, "x", 1000],
}

WORKER_SAMPLING = {
    **COMMON_SAMPLING,
    "stop_token_ids": ["x", 5, ["a"], [1.5], [2 ** 40], [-2 ** 40], [-1], [99999], {"a": 1}],
    "echo": ["x", 5],
}
NATIVE_BASE = {"prompt": "Once upon", "max_tokens": 4, "temperature": 0}
NATIVE_FIELDS = {
    **WORKER_SAMPLING,
    "prompt": [DELETE, None, 5, [], {}, ["a"], LONG_PROMPT],
    "messages": [[{"role": "user", "content": "hi"}]],  # with a prompt too: exactly one of them
    "max_tokens": [-1, 0, "5", 5.5, True, *BIG, 100000],
    "min_p": [-0.5, 1.5, "x"],
    "min_tokens": [-1, "x", 2 ** 40],
    "ignore_eos": ["x", 5],
    "logprobs": [-2, 1000, "x", 2 ** 40],
    "logit_bias": ["x", [1, 2], [[1]], [["a", 1]], [[1, "x"]], [[-1, 1]], [[2 ** 40, 1]],
                   [[99999999, 1]], [[512, 1]], [[1, 1000]], [[1, 1]] * 400, {"1": 1}],
    "max_tokens_set": ["x", 5],
}
NATIVE_MESSAGES_BASE = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 4}
NATIVE_MESSAGES_FIELDS = {
    "messages": [None, "hi", 5, [], [5], [{"role": "wizard", "content": "hi"}],
                 [{"role": "user"}], [{"role": "user", "content": 5}],
                 [{"role": "user", "content": LONG_PROMPT}],
                 [{"role": "tool", "tool_call_id": "c", "content": "x"}]],
    "tools": ["x", 5, "[5]", "not json", '[{"type": "function", "function": {"name": "f"}}]'],
    "chat_template_kwargs": ["[1]", 5, '{"tools": []}'],
    "parallel_tool_calls": ["x", 5],
}
FASTCHAT_BASE = {"model": MODEL, "prompt": "Once upon", "max_new_tokens": 4, "temperature": 0}
FASTCHAT_FIELDS = {
    **WORKER_SAMPLING,
    "prompt": [DELETE, None, 5, [], {}, LONG_PROMPT],
    # (A max_new_tokens over the context is clamped to it, as FastChat does: accepted.)
    "max_new_tokens": [-1, 0, "5", 5.5, True, *BIG],
    # Any other non-integer logprobs means 0 to FastChat: not refused.
    "logprobs": [-1, 1000, 2 ** 40],
}
COUNT_TOKEN_BASE = {"prompt": "Once upon"}
COUNT_TOKEN_FIELDS = {"prompt": [DELETE, None, 5, {}, [5], ["a", None], [[1]]]}

FAKE_WORKER = "http://127.0.0.1:9"  # discard port: nothing listens there
FAKE_STATUS = {"model_names": ["hostile-model"], "speed": 1, "queue_length": 0}
REGISTER_BASE = {"worker_name": FAKE_WORKER, "check_heart_beat": True,
                 "worker_status": FAKE_STATUS}
REGISTER_FIELDS = {
    "worker_name": [DELETE, None, 5, [], "", "not a url", "ftp://127.0.0.1:9", "http://",
                    "http://127.0.0.1:99999", "http://127.0.0.1:-1", "http://user:pw@127.0.0.1:9",
                    "http://evil.example.com:9", "http://10.1.2.3:9", "http://127.0.0.1:9/\r\nX: y",
                    "http://127.0.0.1:9/a b", "http://127.0.0.1:9/a\u0000", "http://127.0.0.1:9/\u00e9",
                    "http://" + "a" * 100000 + ":9"],
    "check_heart_beat": ["x", 5, []],
    "multimodal": ["x", 5],
    "worker_status": ["x", 5, [], {"model_names": "x"}, {"model_names": []},
                      {"model_names": [5]}, {"model_names": [""]}, {"model_names": None},
                      {"speed": 1},
                      dict(FAKE_STATUS, speed=-1), dict(FAKE_STATUS, speed=0),
                      dict(FAKE_STATUS, speed="NaN"), dict(FAKE_STATUS, speed="fast"),
                      dict(FAKE_STATUS, queue_length=-1), dict(FAKE_STATUS, queue_length=2 ** 63),
                      dict(FAKE_STATUS, queue_length="x"), dict(FAKE_STATUS, queue_length=1.5)],
}
HEARTBEAT_BASE = {"worker_name": FAKE_WORKER, "queue_length": 0}
HEARTBEAT_FIELDS = {
    "worker_name": [DELETE, None, 5, "", "not a url", "ftp://x:1", "http://"],
    "queue_length": [DELETE, None, -1, "x", 1.5, 2 ** 63, 2 ** 64, RAW("1e309"), [], {}],
}
UNREGISTER_BASE = {"worker_name": FAKE_WORKER}
UNREGISTER_FIELDS = {"worker_name": [DELETE, None, 5, "", "not a url", [], "http://"]}
ADDRESS_BASE = {"model": MODEL}
ADDRESS_FIELDS = {
    "model": [DELETE, None, 5, [], {}],
    "exclude": ["x", 5, {}, [5], [None], ["not a url"], ["ftp://x:1"],
                ["http://127.0.0.1:9/\r\nX: y"]],
}


def cases_of(base, fields):
    for field, values in fields.items():
        for value in values:
            shown = ("<deleted>" if value is DELETE else
                     value.text if isinstance(value, RAW) else repr(value))
            if len(shown) > 60:
                shown = shown[:57] + "..."
            # 1e309 fails JSON parsing itself: the parser's message cannot name the field.
            yield (f"{field}={shown}", make_body(base, field, value),
                   None if isinstance(value, RAW) else field)


# ---------------------------------------------------------------------------------------------

def setUpModule():
    # The server needs an API key even for /v1/models, so it starts with no model to wait for
    # and the worker comes after it.
    debug = ["--log-level", "debug"]
    stack = harness.Stack(
        workers=0,
        controller_args=["--auth-token", CONTROLLER_TOKEN, *debug],
        server_args=["--api-keys", f"{API_KEY},{API_KEY_2}",
                     "--max-body-bytes", str(SERVER_BODY_LIMIT), *debug]).start()
    unittest.addModuleCleanup(stack.stop)
    try:
        worker = stack.start_worker(MODEL, ["--controller-token", CONTROLLER_TOKEN, *debug])
        harness.wait_model_listed(stack.server.url, MODEL, api_key=API_KEY, proc=stack.server)
    except BaseException:
        stack.stop()
        raise
    HostileCase.stack = stack
    HostileCase.controller = stack.controller.url
    HostileCase.worker = worker.url
    HostileCase.server = stack.server.url


def raw_exchange(base_url, head, body=b"", timeout=TIMEOUT):
    """Sends head (the request line and headers, without the blank line) and body on a raw
    socket, then reads the answer until the server closes; returns (status, headers, body).
    Errors while sending (the server may refuse early and close) are ignored."""
    u = urlparse(base_url)
    with socket.create_connection((u.hostname, u.port), timeout=timeout) as sock:
        try:
            sock.sendall(head.encode() + b"\r\n\r\n" + body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        data = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
                if b"\r\n\r\n" in data:
                    header, _, rest = data.partition(b"\r\n\r\n")
                    lines = header.decode("latin-1").split("\r\n")
                    headers = {}
                    for line in lines[1:]:
                        k, _, v = line.partition(":")
                        headers[k.strip().lower()] = v.strip()
                    length = int(headers.get("content-length", "-1"))
                    if length >= 0 and len(rest) >= length:
                        break
        except ConnectionResetError:
            pass
    header, _, rest = data.partition(b"\r\n\r\n")
    if not header:
        return None, {}, b""
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers, rest


class HostileCase(unittest.TestCase):
    stack = None
    controller = None
    worker = None
    server = None

    def tearDown(self):
        self.stack.assert_alive()
        for w in self.stack.workers:
            self.assertTrue(w.alive(), f"worker died:\n{w.log_tail()}")

    def send(self, url, path, body, headers=None):
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        try:
            return request(url, "POST", path, body, headers=h, timeout=TIMEOUT)
        except (OSError, http.client.HTTPException) as e:
            self.fail(f"POST {path}: no answer ({e!r}); processes:\n{self.stack.logs()}")

    # -- the checks ---------------------------------------------------------------------------

    def assertErrorEnvelope(self, r, word=None, field=None):
        """A 4xx with {"error": {message, type, param, code}} that names the problem."""
        self.assertTrue(400 <= r.status < 500, f"expected a 4xx, got {r}")
        ctype = r.header("content-type") or ""
        self.assertTrue(ctype.startswith("application/json"), f"content-type {ctype!r}: {r}")
        try:
            err = r.json()["error"]
        except (ValueError, KeyError, TypeError) as e:
            self.fail(f"no JSON error envelope ({e!r}): {r}")
        for key in ("message", "type", "param", "code"):
            self.assertIn(key, err, err)
        self.assertIsInstance(err["message"], str)
        self.assertTrue(err["message"].strip(), err)
        self.assertIsInstance(err["type"], str)
        if word is not None:
            self.assertIn(word.lower(), err["message"].lower(), err)
        if field is not None:
            param = err["param"] or ""
            self.assertTrue(param.startswith(field) or field in err["message"] or
                            (field == "max_completion_tokens" and "max_tokens" in err["message"]),
                            f"the error does not name {field!r}: {err}")
        return err

    def assertInBand(self, r, stream, field=None):
        """FastChat's generation routes: HTTP 200, error_code != 0 and a reason in text."""
        self.assertEqual(r.status, 200, r)
        body = r.body
        if stream:
            self.assertTrue(body.endswith(b"\0"), f"frames end with NUL: {body[:300]!r}")
            frames = [f for f in body.split(b"\0") if f.strip()]
            self.assertEqual(len(frames), 1, f"one error frame expected: {body[:300]!r}")
            body = frames[0]
        try:
            frame = json.loads(body.decode("utf-8"))
        except ValueError as e:
            self.fail(f"not JSON ({e}): {body[:300]!r}")
        self.assertIsInstance(frame, dict, frame)
        code = frame.get("error_code")
        self.assertIsInstance(code, int, frame)
        self.assertNotEqual(code, 0, frame)
        self.assertTrue(40000 <= code < 50000, f"a client error code, got {frame}")
        self.assertIsInstance(frame.get("text"), str, frame)
        self.assertTrue(frame["text"].strip(), frame)
        if field is not None:
            self.assertIn(field, frame["text"], frame)

    def check(self, url, path, body, kind, word=None, field=None, headers=None):
        r = self.send(url, path, body, headers)
        limit = SERVER_BODY_LIMIT if url == self.server else DEFAULT_BODY_LIMIT
        if body is not None and len(body) > limit:  # refused for its size, whatever it holds
            self.assertErrorEnvelope(r)
            self.assertEqual(r.status, 413, r)
        elif kind == "error":
            self.assertErrorEnvelope(r, word, field)
        elif kind == "inband":
            self.assertInBand(r, path.endswith("_stream"), field)
        elif kind == "any":  # a route that reads no body: anything but a 5xx
            self.assertLess(r.status, 500, r)
            if r.status >= 400:
                self.assertErrorEnvelope(r)
        else:
            raise ValueError(kind)
        return r

    def sweep(self, url, path, kind, tables=(), headers=None, generic=True):
        """GENERIC bodies, then each (base, fields) table, each case a subTest."""
        if generic:
            for name, body, word in GENERIC:
                with self.subTest(path=path, case=name):
                    # In band, the message is the text; the word check is for the envelope only.
                    self.check(url, path, body, kind, word if kind == "error" else None,
                               headers=headers)
        for base, fields in tables:
            for name, body, field in cases_of(base, fields):
                with self.subTest(path=path, case=name):
                    self.check(url, path, body, kind, field=field, headers=headers)


SERVER_AUTH = {"Authorization": f"Bearer {API_KEY}"}
CONTROLLER_AUTH = {"Authorization": f"Bearer {CONTROLLER_TOKEN}"}


class ServerTest(HostileCase):
    def test_chat_completions(self):
        self.sweep(self.server, CHAT, "error", [(CHAT_BASE, CHAT_FIELDS)], SERVER_AUTH)
        self.sweep(self.server, CHAT, "error", [(dict(CHAT_BASE, stream=True), CHAT_FIELDS)],
                   SERVER_AUTH, generic=False)

    def test_completions(self):
        self.sweep(self.server, COMPLETIONS, "error", [(COMPLETION_BASE, COMPLETION_FIELDS)],
                   SERVER_AUTH)
        self.sweep(self.server, COMPLETIONS, "error",
                   [(dict(COMPLETION_BASE, stream=True), COMPLETION_FIELDS)], SERVER_AUTH,
                   generic=False)

    def test_unknown_model_is_404(self):
        for path, base in ((CHAT, CHAT_BASE), (COMPLETIONS, COMPLETION_BASE)):
            with self.subTest(path=path):
                r = self.check(self.server, path, dict(base, model="no-such-model"), "error",
                               field="model", headers=SERVER_AUTH)
                self.assertEqual(r.status, 404, r)

    def test_post_on_get_route(self):
        r = self.check(self.server, "/v1/models", b"{}", "error", headers=SERVER_AUTH)
        self.assertEqual(r.status, 405, r)

    def test_wrong_keys(self):
        """401 before anything else, whatever the body."""
        for auth in ([None] + [f"Bearer {w}" for w in WRONG_SECRETS] +
                     [API_KEY, f"Basic {API_KEY}", f"Bearer  {API_KEY}x", f"bearer{API_KEY}"]):
            for path, body in ((CHAT, json.dumps(CHAT_BASE).encode()),
                               (COMPLETIONS, json.dumps(COMPLETION_BASE).encode()),
                               (CHAT, b"{not json")):
                with self.subTest(path=path, auth=auth and auth[:12]):
                    r = self.check(self.server, path, body, "error",
                                   headers={"Authorization": auth} if auth else None)
                    self.assertEqual(r.status, 401, r)

    def test_body_limits(self):
        """Over --max-body-bytes: 413, whether announced by Content-Length or sent chunked."""
        host = urlparse(self.server).netloc
        for path in (CHAT, COMPLETIONS):
            with self.subTest(path=path, how="content-length"):
                status, headers, body = raw_exchange(self.server, (
                    f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {API_KEY}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {SERVER_BODY_LIMIT + 1}"))
                self.assertEqual(status, 413, body[:300])
                self.assertIn("error", json.loads(body.decode()))
            with self.subTest(path=path, how="chunked"):
                chunk = b"x" * (SERVER_BODY_LIMIT + 1)
                status, headers, body = raw_exchange(self.server, (
                    f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {API_KEY}\r\n"
                    f"Content-Type: application/json\r\nTransfer-Encoding: chunked"),
                    f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.assertEqual(status, 413, body[:300])
            with self.subTest(path=path, how="huge content-length"):
                status, _, body = raw_exchange(self.server, (
                    f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {API_KEY}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: 99999999999999999999999"))
                self.assertIsNotNone(status, "no answer")
                self.assertTrue(400 <= status < 500, (status, body[:300]))


class TransportTest(HostileCase):
    """Broken HTTP before any route: each program answers 4xx (with the envelope) and lives."""

    def test_broken_requests(self):
        cases = [
            ("header over the limit", "POST {path} HTTP/1.1\r\nHost: h\r\nX-Big: " + "a" * 20000
             + "\r\nContent-Length: 2", b"{}", (431,)),
            ("bad content-length", "POST {path} HTTP/1.1\r\nHost: h\r\nContent-Length: abc",
             b"{}", (400,)),
            ("two content-lengths", "POST {path} HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n"
             "Content-Length: 3", b"{}", (400,)),
            ("bad chunk size", "POST {path} HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked",
             b"zz\r\n{}\r\n0\r\n\r\n", (400,)),
            ("garbage request line", "\x16\x03\x01 {path} NOT-HTTP", b"", (400,)),
            ("bare LF and no version", "POST {path}", b"", (400,)),
        ]
        for name, url, path in (("controller", self.controller, "/get_worker_address"),
                                ("worker", self.worker, "/native/generate"),
                                ("server", self.server, CHAT)):
            for case, head, body, statuses in cases:
                with self.subTest(process=name, case=case):
                    status, headers, payload = raw_exchange(url, head.format(path=path), body)
                    self.assertIn(status, statuses, payload[:300])
                    self.assertIn("error", json.loads(payload.decode()))
            r = request(url, "GET", "/health", timeout=TIMEOUT)
            self.assertEqual(r.status, 200, r)


class WorkerTest(HostileCase):
    def test_native_generate(self):
        self.sweep(self.worker, "/native/generate", "error",
                   [(NATIVE_BASE, NATIVE_FIELDS), (NATIVE_MESSAGES_BASE, NATIVE_MESSAGES_FIELDS)])

    def test_worker_generate_stream(self):
        self.sweep(self.worker, "/worker_generate_stream", "inband",
                   [(FASTCHAT_BASE, FASTCHAT_FIELDS)])

    def test_worker_generate(self):
        self.sweep(self.worker, "/worker_generate", "inband", [(FASTCHAT_BASE, FASTCHAT_FIELDS)])

    def test_count_token(self):
        self.sweep(self.worker, "/count_token", "error", [(COUNT_TOKEN_BASE, COUNT_TOKEN_FIELDS)])

    def test_routes_without_a_body(self):
        for path in ("/worker_get_status", "/worker_get_conv_template", "/model_details"):
            self.sweep(self.worker, path, "any")

    def test_body_limit(self):
        host = urlparse(self.worker).netloc
        for path in ("/native/generate", "/worker_generate_stream", "/count_token"):
            with self.subTest(path=path):
                status, _, body = raw_exchange(self.worker, (
                    f"POST {path} HTTP/1.1\r\nHost: {host}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {DEFAULT_BODY_LIMIT + 1}"))
                self.assertEqual(status, 413, body[:300])


class ControllerTest(HostileCase):
    def tearDown(self):
        # Whatever got through must not linger as a fake worker.
        post(self.controller, "/unregister_worker", {"worker_name": FAKE_WORKER},
             headers=CONTROLLER_AUTH, timeout=TIMEOUT)
        super().tearDown()

    def test_register_worker(self):
        self.sweep(self.controller, "/register_worker", "error",
                   [(REGISTER_BASE, REGISTER_FIELDS)], CONTROLLER_AUTH)

    def test_receive_heart_beat(self):
        self.sweep(self.controller, "/receive_heart_beat", "error",
                   [(HEARTBEAT_BASE, HEARTBEAT_FIELDS)], CONTROLLER_AUTH)

    def test_unregister_worker(self):
        self.sweep(self.controller, "/unregister_worker", "error",
                   [(UNREGISTER_BASE, UNREGISTER_FIELDS)], CONTROLLER_AUTH)

    def test_get_worker_address(self):
        self.sweep(self.controller, "/get_worker_address", "error",
                   [(ADDRESS_BASE, ADDRESS_FIELDS)])

    def test_routes_without_a_body(self):
        for path in ("/list_models", "/list_language_models", "/list_multimodal_models",
                     "/worker_get_status"):
            self.sweep(self.controller, path, "any")
        self.sweep(self.controller, "/refresh_all_workers", "any", headers=CONTROLLER_AUTH)

    def test_long_strings_are_not_logged_whole(self):
        """Long names are refused or answered, never 5xx; test_no_huge_log_line then checks
        that none was written whole to the log."""
        long_host = "http://" + "a" * 100000 + ":9"
        long_path = FAKE_WORKER + "/" + "p" * 100000
        for path, body in (("/receive_heart_beat", {"worker_name": long_host, "queue_length": 0}),
                           ("/register_worker", dict(REGISTER_BASE, worker_name=long_path)),
                           ("/unregister_worker", {"worker_name": long_path})):
            with self.subTest(path=path):
                self.check(self.controller, path, json.dumps(body).encode(), "error",
                           field="worker_name", headers=CONTROLLER_AUTH)
        r = self.check(self.controller, "/get_worker_address",
                       json.dumps({"model": "m" * 100000}).encode(), "any")
        self.assertEqual(r.json(), {"address": ""})

    def test_wrong_tokens(self):
        for path in ("/register_worker", "/receive_heart_beat", "/unregister_worker",
                     "/refresh_all_workers"):
            for auth in ([None] + [f"Bearer {w}" for w in WRONG_SECRETS] +
                         [CONTROLLER_TOKEN, f"Basic {CONTROLLER_TOKEN}", f"Bearer {API_KEY}"]):
                for body in (json.dumps(REGISTER_BASE).encode(), b"{not json", b"[]"):
                    with self.subTest(path=path, auth=auth and auth[:12], body=body[:12]):
                        r = self.check(self.controller, path, body, "error",
                                       headers={"Authorization": auth} if auth else None)
                        self.assertEqual(r.status, 401, r)

    def test_body_limit(self):
        host = urlparse(self.controller).netloc
        for path in ("/register_worker", "/get_worker_address"):
            with self.subTest(path=path):
                status, _, body = raw_exchange(self.controller, (
                    f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer "
                    f"{CONTROLLER_TOKEN}\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {DEFAULT_BODY_LIMIT + 1}"))
                self.assertEqual(status, 413, body[:300])


class ZzAfterTheSweepTest(HostileCase):
    """Runs last (unittest orders classes by name): everything still alive and answering, and
    no secret in any log."""

    def test_alive_and_healthy(self):
        for name, url in (("controller", self.controller), ("worker", self.worker),
                          ("server", self.server)):
            with self.subTest(process=name):
                r = request(url, "GET", "/health", timeout=TIMEOUT)
                self.assertEqual(r.status, 200, r)
        r = request(self.controller, "POST", "/list_models", {}, timeout=TIMEOUT)
        self.assertEqual(r.json()["models"], [MODEL], "the sweep left a fake worker behind")
        r = post(self.server, CHAT, CHAT_BASE, headers=SERVER_AUTH, timeout=60)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["choices"][0]["message"]["content"])
        r = post(self.server, COMPLETIONS, COMPLETION_BASE,
                 headers={"Authorization": f"Bearer {API_KEY_2}"}, timeout=60)
        self.assertEqual(r.status, 200, r)

    def test_no_huge_log_line(self):
        """A hostile request must not be able to write a huge line (bodies go up to 8 MiB)."""
        for proc in self.stack.procs:
            for line_no, line in enumerate(proc.log_text().splitlines(), 1):
                self.assertLessEqual(len(line), 4096,
                                     f"{proc.name} log line {line_no}: {line[:300]!r}...")

    def test_no_secret_in_any_log(self):
        procs = self.stack.procs
        self.assertTrue(procs)
        for proc in procs:
            text = proc.log_text()
            self.assertTrue(text, f"{proc.name}: empty log")
            for line_no, line in enumerate(text.splitlines(), 1):
                for secret in ALL_SECRETS:
                    # A near miss is a prefix of a real secret: look for the longest secrets
                    # first and report the line.
                    if secret in line:
                        self.fail(f"{proc.name} log line {line_no} holds a secret "
                                  f"({secret[:6]}...): {line[:300]!r}")


if __name__ == "__main__":
    unittest.main()
