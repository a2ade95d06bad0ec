"""OpenAI API end to end: controller + one stories260K worker + fastchat-server, real HTTP.

Greedy (temperature 0) answers must equal reference.json's continuations; streams must be
well-formed and agree with the non-streaming answers; stops, n, usage and every bad input are
checked against the real server."""

import base64
import http.client
import json
import struct
import unittest

import harness
from harness import DONE, MODEL, post, request, sse

REF = harness.reference()
ONCE = REF[0]  # "Once upon a time" -> 64 greedy tokens
REF_TEXT = ONCE["generated_text"]
COMPLETIONS = "/v1/completions"
CHAT = "/v1/chat/completions"


def chat_body(content=ONCE["prompt"], **kw):
    body = {"model": MODEL, "messages": [{"role": "user", "content": content}], "temperature": 0}
    body.update(kw)
    return body


def completion_body(prompt=ONCE["prompt"], **kw):
    body = {"model": MODEL, "prompt": prompt, "temperature": 0}
    body.update(kw)
    return body


def choice_text(choice):
    """The text of a non-stream choice (completion or chat)."""
    return choice["message"]["content"] if "message" in choice else choice["text"]


def delta_text(choice):
    if "delta" in choice:
        return choice["delta"].get("content") or ""
    return choice.get("text") or ""


def setUpModule():
    stack = harness.Stack(workers=1).start()
    unittest.addModuleCleanup(stack.stop)
    ApiCase.stack = stack
    ApiCase.server = stack.server.url
    ApiCase.worker = stack.workers[0].url
    # A second server on the same controller with API keys and a small body limit.
    ApiCase.secure = stack.start_server(
        ["--api-keys", "key-one,key-two", "--max-body-bytes", "4096"], api_key="key-two").url


class ApiCase(unittest.TestCase):
    stack = None
    server = None
    worker = None
    secure = None

    def tearDown(self):
        self.stack.assert_alive()

    # -- helpers ------------------------------------------------------------------------------

    def complete(self, path, body, status=200):
        r = post(self.server, path, body)
        self.assertEqual(r.status, status, r)
        return r.json()

    def assertNonStream(self, path, answer, n=1):
        chat = path == CHAT
        self.assertEqual(answer["object"], "chat.completion" if chat else "text_completion")
        self.assertTrue(answer["id"].startswith("chatcmpl-" if chat else "cmpl-"), answer["id"])
        self.assertIsInstance(answer["created"], int)
        self.assertEqual(answer["model"], MODEL)
        self.assertEqual([c["index"] for c in answer["choices"]], list(range(n)))
        for c in answer["choices"]:
            if chat:
                self.assertEqual(c["message"]["role"], "assistant")
            self.assertIn(c["finish_reason"], ("stop", "length"))
        usage = answer["usage"]
        self.assertEqual(usage["total_tokens"], usage["prompt_tokens"] + usage["completion_tokens"])

    def stream(self, path, body):
        """Streams; checks the SSE framing and every chunk's shape; returns (texts by index,
        finish_reason by index, usage chunk or None, the chunks)."""
        body = dict(body, stream=True)
        s, events = sse(self.server, path, body)
        self.assertEqual(s.status, 200, bytes(s.raw[:500]))
        self.assertTrue(s.headers.get("content-type", "").startswith("text/event-stream"),
                        s.headers)
        raw = bytes(s.raw).decode("utf-8")
        # Framing: only `data: ...` events separated by blank lines, [DONE] once, last.
        blocks = raw.split("\n\n")
        self.assertEqual(blocks[-1], "", "the stream must end with a blank line")
        for block in blocks[:-1]:
            self.assertTrue(block.startswith("data: "), repr(block[:200]))
            self.assertNotIn("\n", block, repr(block[:200]))
        self.assertEqual(events.count(DONE), 1, raw[-500:])
        self.assertEqual(events[-1], DONE, raw[-500:])
        chunks = events[:-1]
        self.assertTrue(chunks, "no chunk before [DONE]")
        chat = path == CHAT
        obj = "chat.completion.chunk" if chat else "text_completion"
        ids = set()
        texts, finish, seen_role, usage_chunk = {}, {}, set(), None
        for i, chunk in enumerate(chunks):
            self.assertNotIn("error", chunk, chunk)
            for key in ("id", "object", "created", "model", "choices"):
                self.assertIn(key, chunk, chunk)
            self.assertEqual(chunk["object"], obj)
            self.assertEqual(chunk["model"], MODEL)
            self.assertIsInstance(chunk["created"], int)
            ids.add(chunk["id"])
            if not chunk["choices"]:
                self.assertIsNone(usage_chunk, "two usage chunks")
                self.assertIn("usage", chunk, chunk)
                usage_chunk = chunk
                self.assertEqual(i, len(chunks) - 1, "the usage chunk must be the last chunk")
                continue
            for c in chunk["choices"]:
                self.assertIn("index", c, chunk)
                self.assertIn("finish_reason", c, chunk)
                self.assertIn("delta" if chat else "text", c, chunk)
                idx = c["index"]
                self.assertNotIn(idx, finish, f"choice {idx} continued after its finish_reason")
                if chat:
                    if idx not in seen_role:
                        self.assertEqual(c["delta"].get("role"), "assistant",
                                         f"first delta of choice {idx}: {c}")
                        seen_role.add(idx)
                texts[idx] = texts.get(idx, "") + delta_text(c)
                if c.get("finish_reason") is not None:
                    finish[idx] = c["finish_reason"]
        self.assertEqual(len(ids), 1, f"one id for the whole stream, got {ids}")
        self.assertEqual(set(finish), set(texts), "every choice ends with a finish_reason")
        return texts, finish, usage_chunk, chunks

    def assertApiError(self, r, status, param=None, code=None, contains=()):
        self.assertEqual(r.status, status, r)
        self.assertTrue((r.header("content-type") or "").startswith("application/json"), r.headers)
        err = r.json()["error"]
        for key in ("message", "type", "param", "code"):
            self.assertIn(key, err, err)
        self.assertIsInstance(err["message"], str)
        self.assertTrue(err["message"])
        if param is not None:
            self.assertEqual(err["param"], param, err)
        if code is not None:
            self.assertEqual(err["code"], code, err)
        for piece in contains:
            self.assertIn(str(piece), err["message"], err)
        return err

    def count_tokens(self, prompt):
        r = post(self.worker, "/count_token", {"prompt": prompt})
        self.assertEqual(r.status, 200, r)
        return r.json()["count"]


class ReferenceTest(ApiCase):
    def test_models_list(self):
        r = request(self.server, "GET", "/v1/models")
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual(body["object"], "list")
        self.assertEqual([m["id"] for m in body["data"]], [MODEL])
        self.assertEqual(body["data"][0]["object"], "model")
        self.assertIsInstance(body["data"][0]["owned_by"], str)
        self.assertEqual(request(self.server, "GET", "/health").status, 200)

    def test_completion_greedy_equals_reference(self):
        for ref in (REF[0], REF[1], REF[3]):
            with self.subTest(prompt=ref["prompt"]):
                n = len(ref["generated_ids"])
                answer = self.complete(COMPLETIONS, completion_body(ref["prompt"], max_tokens=n))
                self.assertNonStream(COMPLETIONS, answer)
                self.assertEqual(answer["choices"][0]["text"], ref["generated_text"])
                self.assertEqual(answer["choices"][0]["finish_reason"], "length")
                self.assertEqual(answer["usage"]["prompt_tokens"], len(ref["prompt_ids"]))
                self.assertEqual(answer["usage"]["completion_tokens"], n)

    def test_chat_greedy_equals_reference(self):
        n = len(ONCE["generated_ids"])
        answer = self.complete(CHAT, chat_body(max_tokens=n))
        self.assertNonStream(CHAT, answer)
        self.assertEqual(answer["choices"][0]["message"]["content"], REF_TEXT)
        self.assertEqual(answer["choices"][0]["finish_reason"], "length")
        self.assertEqual(answer["usage"]["completion_tokens"], n)
        self.assertEqual(answer["usage"]["prompt_tokens"], len(ONCE["prompt_ids"]))

    def check_stream_equals_non_stream(self, path, body):
        n = body["max_tokens"]
        plain = self.complete(path, body)
        texts, finish, usage_chunk, _ = self.stream(
            path, dict(body, stream_options={"include_usage": True}))
        self.assertEqual(texts, {0: REF_TEXT})
        self.assertEqual(texts[0], choice_text(plain["choices"][0]))
        self.assertEqual(finish, {0: "length"})
        self.assertIsNotNone(usage_chunk, "include_usage: a final chunk with usage")
        self.assertEqual(usage_chunk["choices"], [])
        self.assertEqual(usage_chunk["usage"], plain["usage"])
        self.assertEqual(usage_chunk["usage"]["completion_tokens"], n)
        # Without include_usage: no usage-only chunk.
        texts, _, usage_chunk, chunks = self.stream(path, body)
        self.assertEqual(texts, {0: REF_TEXT})
        self.assertIsNone(usage_chunk)
        for chunk in chunks:
            self.assertIsNone(chunk.get("usage"), chunk)

    def test_completion_stream_equals_non_stream(self):
        self.check_stream_equals_non_stream(COMPLETIONS, completion_body(max_tokens=64))

    def test_chat_stream_equals_non_stream(self):
        self.check_stream_equals_non_stream(CHAT, chat_body(max_tokens=64))

    def test_n2(self):
        for path, make in ((COMPLETIONS, completion_body), (CHAT, chat_body)):
            single = choice_text(self.complete(path, make(max_tokens=20))["choices"][0])
            with self.subTest(path=path, stream=False):
                answer = self.complete(path, make(max_tokens=20, n=2))
                self.assertNonStream(path, answer, n=2)
                a, b = (choice_text(c) for c in answer["choices"])
                self.assertEqual(a, b)
                self.assertEqual(a, single)
                self.assertTrue(REF_TEXT.startswith(a) and a, a)
                self.assertEqual(answer["usage"]["prompt_tokens"], len(ONCE["prompt_ids"]))
                self.assertEqual(answer["usage"]["completion_tokens"], 40)
            with self.subTest(path=path, stream=True):
                texts, finish, usage_chunk, _ = self.stream(
                    path, make(max_tokens=20, n=2, stream_options={"include_usage": True}))
                self.assertEqual(sorted(texts), [0, 1])
                self.assertEqual(texts[0], texts[1])
                self.assertEqual(texts[0], single)
                self.assertEqual(finish, {0: "length", 1: "length"})
                self.assertEqual(usage_chunk["usage"]["prompt_tokens"], len(ONCE["prompt_ids"]))
                self.assertEqual(usage_chunk["usage"]["completion_tokens"], 40)
                self.assertEqual(usage_chunk["usage"]["total_tokens"], 40 + len(ONCE["prompt_ids"]))

    def test_max_tokens_reached_is_length(self):
        for path, make in ((COMPLETIONS, completion_body), (CHAT, chat_body)):
            with self.subTest(path=path):
                answer = self.complete(path, make(max_tokens=7))
                self.assertEqual(answer["choices"][0]["finish_reason"], "length")
                self.assertEqual(answer["usage"]["completion_tokens"], 7)
                text = choice_text(answer["choices"][0])
                self.assertTrue(REF_TEXT.startswith(text) and text, text)
                texts, finish, usage_chunk, _ = self.stream(
                    path, make(max_tokens=7, stream_options={"include_usage": True}))
                self.assertEqual(texts, {0: text})
                self.assertEqual(finish, {0: "length"})
                self.assertEqual(usage_chunk["usage"]["completion_tokens"], 7)

    def test_prompt_tokens_equal_worker_count_token(self):
        for prompt in ("Once upon a time", REF[3]["prompt"],
                       "The cat sat on the mat. It was happy!\nThen it slept."):
            with self.subTest(prompt=prompt):
                count = self.count_tokens(prompt)
                answer = self.complete(COMPLETIONS, completion_body(prompt, max_tokens=3))
                self.assertEqual(answer["usage"]["prompt_tokens"], count)
                # The raw template makes a lone user message the whole prompt.
                answer = self.complete(CHAT, chat_body(prompt, max_tokens=3))
                self.assertEqual(answer["usage"]["prompt_tokens"], count)
        self.assertEqual(self.count_tokens(ONCE["prompt"]), len(ONCE["prompt_ids"]))


    def test_completion_defaults_and_echo(self):
        # OpenAI's completions default: max_tokens 16.
        answer = self.complete(COMPLETIONS, completion_body())
        self.assertEqual(answer["usage"]["completion_tokens"], 16)
        self.assertEqual(answer["choices"][0]["finish_reason"], "length")
        self.assertTrue(REF_TEXT.startswith(answer["choices"][0]["text"]))
        sixteen = answer["choices"][0]["text"]
        # echo: the prompt leads the text, and non-ASCII text survives the round trip.
        for prompt in (ONCE["prompt"], "Le caf\u00e9 \u2615 \u6771\u4eac"):
            with self.subTest(prompt=prompt):
                answer = self.complete(COMPLETIONS, completion_body(prompt, max_tokens=5,
                                                                    echo=True))
                text = answer["choices"][0]["text"]
                self.assertTrue(text.startswith(prompt), text)
                self.assertGreater(len(text), len(prompt))
                self.assertEqual(answer["usage"]["prompt_tokens"], self.count_tokens(prompt))
                self.assertEqual(answer["usage"]["completion_tokens"], 5)
        answer = self.complete(COMPLETIONS, completion_body(max_tokens=16, echo=True))
        self.assertEqual(answer["choices"][0]["text"], ONCE["prompt"] + sixteen)

    def test_prompt_list(self):
        prompts = [REF[0]["prompt"], REF[1]["prompt"]]
        answer = self.complete(COMPLETIONS, completion_body(prompts, max_tokens=64))
        self.assertNonStream(COMPLETIONS, answer, n=2)
        self.assertEqual([c["text"] for c in answer["choices"]],
                         [REF[0]["generated_text"], REF[1]["generated_text"]])
        self.assertEqual(answer["usage"]["prompt_tokens"],
                         len(REF[0]["prompt_ids"]) + len(REF[1]["prompt_ids"]))
        self.assertEqual(answer["usage"]["completion_tokens"], 128)

    def test_completion_logprobs(self):
        answer = self.complete(COMPLETIONS, completion_body(max_tokens=8, logprobs=2))
        choice = answer["choices"][0]
        lp = choice["logprobs"]
        self.assertEqual(len(lp["tokens"]), 8)
        self.assertEqual(len(lp["token_logprobs"]), 8)
        self.assertEqual(len(lp["text_offset"]), 8)
        self.assertEqual(len(lp["top_logprobs"]), 8)
        self.assertEqual(lp["text_offset"], sorted(lp["text_offset"]))
        for token, logprob, top in zip(lp["tokens"], lp["token_logprobs"], lp["top_logprobs"]):
            self.assertLessEqual(logprob, 0.0)
            self.assertLessEqual(len(top), 2)
            # Greedy: the chosen token is the most likely one.
            self.assertAlmostEqual(max(top.values()), logprob, places=4)
            self.assertIn(token, top)

    def test_chat_logprobs_bytes_spell_the_content(self):
        """OpenAI: each token's `bytes` are its UTF-8 bytes; together they make the content."""
        answer = self.complete(CHAT, chat_body(max_tokens=8, logprobs=True, top_logprobs=2))
        choice = answer["choices"][0]
        content = choice["logprobs"]["content"]
        self.assertEqual(len(content), 8)
        for entry in content:
            self.assertEqual(bytes(entry["bytes"]), entry["token"].encode("utf-8"), entry)
            self.assertEqual(len(entry["top_logprobs"]), 2)
            self.assertEqual(entry["top_logprobs"][0]["token"], entry["token"])
        spelled = b"".join(bytes(e["bytes"]) for e in content).decode("utf-8")
        self.assertEqual(spelled, choice["message"]["content"])

    def test_concurrent_requests_agree(self):
        """Batched generation (several sequences per step) gives the reference too."""
        import concurrent.futures
        n = len(ONCE["generated_ids"])

        def one(i):
            path = CHAT if i % 2 else COMPLETIONS
            make = chat_body if i % 2 else completion_body
            if i % 3 == 0:
                s, events = sse(self.server, path, make(max_tokens=n, stream=True))
                self.assertEqual(s.status, 200)
                return "".join(delta_text(c) for e in events[:-1] for c in e["choices"])
            return choice_text(self.complete(path, make(max_tokens=n))["choices"][0])

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            texts = list(pool.map(one, range(8), timeout=120))
        self.assertEqual(texts, [REF_TEXT] * 8)

    def test_keep_alive_connection_reuse(self):
        """Several requests, streamed and not, on one HTTP/1.1 connection."""
        conn = http.client.HTTPConnection(*self.server[len("http://"):].split(":"), timeout=30)
        try:
            for i in range(4):
                body = completion_body(max_tokens=6, stream=bool(i % 2))
                conn.request("POST", COMPLETIONS, json.dumps(body),
                             {"Content-Type": "application/json"})
                r = conn.getresponse()
                data = r.read()
                self.assertEqual(r.status, 200, data)
                if i % 2:
                    self.assertTrue(data.endswith(b"data: [DONE]\n\n"), data[-100:])
                else:
                    self.assertTrue(REF_TEXT.startswith(json.loads(data)["choices"][0]["text"]))
            conn.request("GET", "/v1/models")
            r = conn.getresponse()
            self.assertEqual(r.status, 200)
            r.read()
        finally:
            conn.close()


class FastChatSurfaceTest(ApiCase):
    """The routes of FastChat's OpenAI server beyond OpenAI's core: a model's retrieve, FastChat's
    token check and its own chat API."""

    def test_retrieve_a_model(self):
        r = request(self.server, "GET", f"/v1/models/{MODEL}")
        self.assertEqual(r.status, 200, r)
        listed = request(self.server, "GET", "/v1/models").json()["data"][0]
        body = r.json()
        self.assertEqual(body["id"], MODEL)
        self.assertEqual(body["object"], "model")
        self.assertEqual(body["owned_by"], listed["owned_by"])
        r = request(self.server, "GET", "/v1/models/no-such-model")
        self.assertApiError(r, 404, param="model", code="model_not_found", contains=["no-such-model"])
        r = request(self.server, "GET", "/v1/models/org%2Fno-such-model")
        self.assertApiError(r, 404, param="model", contains=["org/no-such-model"])

    def test_token_check_counts_with_the_models_tokenizer(self):
        prompt = "Once upon a time, there was a cat."
        count = self.count_tokens(prompt)
        r = post(self.server, "/api/v1/token_check", {"prompts": [
            {"model": MODEL, "prompt": prompt, "max_tokens": 10},
            {"model": MODEL, "prompt": prompt, "max_tokens": harness.CONTEXT_LENGTH - count},
            {"model": MODEL, "prompt": prompt, "max_tokens": harness.CONTEXT_LENGTH - count + 1}]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"prompts": [
            {"fits": True, "tokenCount": count, "contextLength": harness.CONTEXT_LENGTH},
            {"fits": True, "tokenCount": count, "contextLength": harness.CONTEXT_LENGTH},
            {"fits": False, "tokenCount": count, "contextLength": harness.CONTEXT_LENGTH}]})
        r = post(self.server, "/api/v1/token_check",
                 {"prompts": [{"model": "no-such-model", "prompt": "x", "max_tokens": 1}]})
        self.assertApiError(r, 404, param="model")
        for body, param in (({}, "prompts"), ({"prompts": 5}, "prompts"),
                            ({"prompts": [{"model": MODEL, "prompt": "x"}]}, "prompts[0].max_tokens"),
                            ({"prompts": [{"model": MODEL, "prompt": 5, "max_tokens": 1}]},
                             "prompts[0].prompt"),
                            ({"prompts": [{"model": MODEL, "prompt": "x", "max_tokens": -1}]},
                             "prompts[0].max_tokens")):
            with self.subTest(body=body):
                self.assertApiError(post(self.server, "/api/v1/token_check", body), 400, param=param)

    def test_fastchat_chat_api(self):
        body = chat_body(max_tokens=8)
        body["temperature"] = 0
        body["repetition_penalty"] = 1.0
        r = post(self.server, "/api/v1/chat/completions", body)
        self.assertEqual(r.status, 200, r)
        answer = r.json()
        self.assertEqual(answer["object"], "chat.completion")
        self.assertTrue(REF_TEXT.startswith(answer["choices"][0]["message"]["content"]))
        body["messages"] = [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]
        self.assertApiError(post(self.server, "/api/v1/chat/completions", body), 400,
                            param="messages[0].content", contains=["string"])

    def test_the_extra_routes_need_a_key_where_keys_are_set(self):
        for method, path, body in (
                ("GET", f"/v1/models/{MODEL}", None),
                ("POST", "/api/v1/token_check",
                 {"prompts": [{"model": MODEL, "prompt": "x", "max_tokens": 1}]}),
                ("POST", "/api/v1/chat/completions", chat_body(max_tokens=2))):
            with self.subTest(path=path):
                self.assertApiError(request(self.secure, method, path, body), 401)
                r = request(self.secure, method, path, body,
                            headers={"Authorization": "Bearer key-one"})
                self.assertEqual(r.status, 200, r)


class EmbeddingsTest(ApiCase):
    """/v1/embeddings through a worker's /worker_get_embeddings: FastChat's mean pooling of the
    last hidden state, L2-normalised (the engine's pooling is checked against an independent
    float64 reference in architecture_reference_test.cpp)."""

    def embed(self, body, path="/v1/embeddings", status=200):
        r = post(self.server, path, {"model": MODEL, **body})
        self.assertEqual(r.status, status, r)
        return r.json()

    def test_shape_norm_and_usage(self):
        answer = self.embed({"input": [ONCE["prompt"], "The cat sat."]})
        self.assertEqual(answer["object"], "list")
        self.assertEqual(answer["model"], MODEL)
        self.assertEqual([d["index"] for d in answer["data"]], [0, 1])
        vectors = [d["embedding"] for d in answer["data"]]
        for vector in vectors:
            self.assertEqual(len(vector), 64)  # stories260K's hidden size
            self.assertAlmostEqual(sum(v * v for v in vector), 1.0, places=5)
        self.assertNotEqual(vectors[0], vectors[1])
        tokens = self.count_tokens(ONCE["prompt"]) + self.count_tokens("The cat sat.")
        self.assertEqual(answer["usage"], {"prompt_tokens": tokens, "total_tokens": tokens})

    def test_the_same_text_gives_the_same_vector_however_it_is_sent(self):
        alone = self.embed({"input": ONCE["prompt"]})["data"][0]["embedding"]
        batched = self.embed({"input": ["x y z", ONCE["prompt"]]})["data"][1]["embedding"]
        as_ids = self.embed({"input": ONCE["prompt_ids"]})["data"][0]["embedding"]
        legacy = post(self.server, f"/v1/engines/{MODEL}/embeddings", {"input": ONCE["prompt"]})
        self.assertEqual(legacy.status, 200, legacy)
        for other in (batched, as_ids, legacy.json()["data"][0]["embedding"]):
            for a, b in zip(alone, other):
                self.assertAlmostEqual(a, b, places=5)
        worker = post(self.worker, "/worker_get_embeddings", {"input": [ONCE["prompt"]]}).json()
        self.assertEqual(worker["token_num"], len(ONCE["prompt_ids"]))
        for a, b in zip(alone, worker["embedding"][0]):
            self.assertAlmostEqual(a, b, places=5)

    def test_more_inputs_than_one_wave(self):
        # The worker submits 128 at a time; 300 short texts take three waves, in order.
        inputs = [f"word {i}" for i in range(300)]
        answer = self.embed({"input": inputs})
        self.assertEqual([d["index"] for d in answer["data"]], list(range(300)))
        last = self.embed({"input": inputs[-1]})["data"][0]["embedding"]
        for a, b in zip(answer["data"][-1]["embedding"], last):
            self.assertAlmostEqual(a, b, places=5)

    def test_base64_is_little_endian_float32(self):
        floats = self.embed({"input": "Once"})["data"][0]["embedding"]
        encoded = self.embed({"input": "Once", "encoding_format": "base64"})["data"][0]["embedding"]
        decoded = struct.unpack(f"<{len(floats)}f", base64.b64decode(encoded))
        for a, b in zip(floats, decoded):
            self.assertAlmostEqual(a, b, places=6)

    def test_bad_requests_name_the_field(self):
        long_ids = [1] * (harness.CONTEXT_LENGTH + 1)
        for body, param in (({}, "input"), ({"input": []}, "input"), ({"input": [""]}, "input[0]"),
                            ({"input": ["a", 5]}, "input[1]"),
                            ({"input": [1, 99999]}, "input"),
                            ({"input": long_ids}, "input"),
                            ({"input": ["a", long_ids]}, "input[1]"),
                            ({"input": "a", "encoding_format": "int8"}, "encoding_format"),
                            ({"input": "a", "dimensions": 32}, "dimensions")):
            with self.subTest(body=str(body)[:80]):
                r = post(self.server, "/v1/embeddings", {"model": MODEL, **body})
                self.assertApiError(r, 400, param=param)
        r = post(self.server, "/v1/embeddings", {"model": "no-such-model", "input": "a"})
        self.assertApiError(r, 404, param="model", code="model_not_found")


class StopTest(ApiCase):
    def check_stop(self, stop, expected):
        for path, make in ((COMPLETIONS, completion_body), (CHAT, chat_body)):
            with self.subTest(path=path, stop=stop, stream=False):
                answer = self.complete(path, make(max_tokens=64, stop=stop))
                self.assertEqual(choice_text(answer["choices"][0]), expected)
                self.assertEqual(answer["choices"][0]["finish_reason"], "stop")
            with self.subTest(path=path, stop=stop, stream=True):
                texts, finish, _, chunks = self.stream(path, make(max_tokens=64, stop=stop))
                self.assertEqual(texts, {0: expected})
                self.assertEqual(finish, {0: "stop"})
                for s in [stop] if isinstance(stop, str) else stop:
                    for chunk in chunks:
                        for c in chunk["choices"]:
                            self.assertNotIn(s, delta_text(c), chunk)
                    self.assertNotIn(s, texts[0])

    def test_stop_string(self):
        self.assertIn("park", REF_TEXT)
        self.check_stop("park", REF_TEXT[:REF_TEXT.index("park")])

    def test_stop_list_cuts_at_the_earliest(self):
        # "ball" comes after "park" in the text, and " She" before both.
        self.check_stop(["ball", "park"], REF_TEXT[:REF_TEXT.index("park")])
        self.check_stop(["red ball", " She", "park"], REF_TEXT[:REF_TEXT.index(" She")])

    def test_stop_string_across_tokens(self):
        # "girl" is three tokens (" g", "ir", "l"); a newline stop cuts before "\nLily".
        self.check_stop("girl", REF_TEXT[:REF_TEXT.index("girl")])
        self.check_stop("\n", REF_TEXT[:REF_TEXT.index("\n")])

    def test_stop_usage_counts_tokens_up_to_the_stop(self):
        """completion_tokens after a stop string = the tokens generated until the stop string
        was complete (OpenAI/vLLM), the same on every run of a greedy request."""
        stop = "park"

        def text_of(k):
            return self.complete(COMPLETIONS, completion_body(max_tokens=k))["choices"][0]["text"]

        lo, hi = 1, 64  # smallest k whose k greedy tokens contain the stop string
        while lo < hi:
            mid = (lo + hi) // 2
            if stop in text_of(mid):
                hi = mid
            else:
                lo = mid + 1
        expected = lo
        self.assertIn(stop, text_of(expected))
        got = []
        for _ in range(8):
            got.append(self.complete(COMPLETIONS, completion_body(max_tokens=64, stop=stop))
                       ["usage"]["completion_tokens"])
            _, _, usage_chunk, _ = self.stream(COMPLETIONS, completion_body(
                max_tokens=64, stop=stop, stream_options={"include_usage": True}))
            got.append(usage_chunk["usage"]["completion_tokens"])
        self.assertEqual(got, [expected] * len(got),
                         f"completion_tokens with stop {stop!r} (stop complete after "
                         f"{expected} tokens)")


class BadInputTest(ApiCase):
    def test_malformed_json(self):
        for path in (CHAT, COMPLETIONS):
            with self.subTest(path=path):
                r = post(self.server, path, b'{"model": "stories260K", "messages": [')
                self.assertApiError(r, 400)
                self.assertEqual(r.json()["error"]["type"], "invalid_request_error")

    def test_body_not_an_object(self):
        r = post(self.server, CHAT, b"[1, 2]")
        self.assertApiError(r, 400)

    def test_missing_model(self):
        for path, make in ((CHAT, chat_body), (COMPLETIONS, completion_body)):
            with self.subTest(path=path):
                body = make()
                del body["model"]
                self.assertApiError(post(self.server, path, body), 400, param="model",
                                    contains=["model"])

    def test_unknown_model(self):
        for path, make in ((CHAT, chat_body), (COMPLETIONS, completion_body)):
            for stream in (False, True):
                with self.subTest(path=path, stream=stream):
                    r = post(self.server, path, make(model="no-such-model", stream=stream))
                    self.assertApiError(r, 404, param="model", code="model_not_found",
                                        contains=["no-such-model"])

    def test_bad_sampling_parameters(self):
        cases = [
            ({"temperature": "hot"}, "temperature"),
            ({"temperature": -1}, "temperature"),
            ({"top_p": 1.5}, "top_p"),
            ({"n": 0}, "n"),
            ({"max_tokens": 0}, "max_tokens"),
            ({"max_tokens": -5}, "max_tokens"),
            ({"max_tokens": "many"}, "max_tokens"),
            ({"stop": 7}, "stop"),
        ]
        for path, make in ((CHAT, chat_body), (COMPLETIONS, completion_body)):
            for extra, param in cases:
                for stream in (False, True):
                    with self.subTest(path=path, extra=extra, stream=stream):
                        r = post(self.server, path, make(stream=stream, **extra))
                        self.assertApiError(r, 400, param=param, contains=[param])

    def test_bad_messages(self):
        cases = [
            ({"messages": []}, "messages"),
            ({"messages": [{"role": "wizard", "content": "hi"}]}, "messages[0].role"),
            ({"messages": [{"role": "user"}]}, "messages[0].content"),
            ({"messages": [{"content": "hi"}]}, "messages[0].role"),
        ]
        for extra, param in cases:
            with self.subTest(extra=extra):
                r = post(self.server, CHAT, chat_body(**extra))
                err = self.assertApiError(r, 400)
                self.assertTrue(err["param"] and err["param"].startswith("messages"), err)
                self.assertEqual(err["param"], param, err)
        r = post(self.server, CHAT, chat_body(messages=[{"role": "wizard", "content": "hi"}]))
        self.assertIn("wizard", r.json()["error"]["message"])
        body = chat_body()
        del body["messages"]
        self.assertApiError(post(self.server, CHAT, body), 400, param="messages")

    def test_missing_prompt(self):
        body = completion_body()
        del body["prompt"]
        self.assertApiError(post(self.server, COMPLETIONS, body), 400, param="prompt")

    def test_prompt_plus_max_tokens_over_context(self):
        prompt_tokens = len(ONCE["prompt_ids"])
        for path, make in ((COMPLETIONS, completion_body), (CHAT, chat_body)):
            for stream in (False, True):
                with self.subTest(path=path, stream=stream):
                    r = post(self.server, path, make(max_tokens=600, stream=stream))
                    self.assertApiError(r, 400, contains=[
                        harness.CONTEXT_LENGTH, 600, prompt_tokens + 600])
        # Exactly the context is fine.
        answer = self.complete(COMPLETIONS, completion_body(
            max_tokens=harness.CONTEXT_LENGTH - prompt_tokens, stop="."))
        self.assertEqual(answer["choices"][0]["finish_reason"], "stop")

    def test_prompt_alone_over_context(self):
        prompt = "hello " * 600
        count = self.count_tokens(prompt)
        self.assertGreater(count, harness.CONTEXT_LENGTH)
        for path, make in ((COMPLETIONS, completion_body), (CHAT, chat_body)):
            with self.subTest(path=path):
                r = post(self.server, path, make(prompt, max_tokens=5))
                self.assertApiError(r, 400, contains=[harness.CONTEXT_LENGTH, count])
                # Without max_tokens the prompt alone is still too long.
                body = make(prompt)
                body.pop("max_tokens", None)
                self.assertApiError(post(self.server, path, body), 400,
                                    contains=[harness.CONTEXT_LENGTH])

    def test_wrong_method(self):
        for method, path in (("GET", CHAT), ("GET", COMPLETIONS), ("POST", "/v1/models"),
                             ("DELETE", "/v1/models")):
            with self.subTest(method=method, path=path):
                r = request(self.server, method, path, b"{}" if method == "POST" else None)
                self.assertApiError(r, 405)
                self.assertTrue(r.header("allow"), r.headers)

    def test_unknown_path(self):
        for method in ("GET", "POST"):
            with self.subTest(method=method):
                r = request(self.server, method, "/v1/nothing-here",
                            b"{}" if method == "POST" else None)
                self.assertApiError(r, 404)


class AuthAndLimitsTest(ApiCase):
    def test_api_keys(self):
        for path, method, body in (("/v1/models", "GET", None),
                                   (CHAT, "POST", chat_body(max_tokens=5))):
            with self.subTest(path=path):
                r = request(self.secure, method, path, body)
                self.assertApiError(r, 401)
                r = request(self.secure, method, path, body,
                            headers={"Authorization": "Bearer wrong-key"})
                self.assertApiError(r, 401)
                r = request(self.secure, method, path, body,
                            headers={"Authorization": "key-one"})  # no Bearer scheme
                self.assertApiError(r, 401)
                for key in ("key-one", "key-two"):
                    r = request(self.secure, method, path, body,
                                headers={"Authorization": f"Bearer {key}"})
                    self.assertEqual(r.status, 200, r)
        r = request(self.secure, "POST", CHAT, chat_body(max_tokens=5),
                    headers={"Authorization": "Bearer key-one"})
        self.assertTrue(REF_TEXT.startswith(r.json()["choices"][0]["message"]["content"]))
        # The open server needs no key.
        self.assertEqual(request(self.server, "GET", "/v1/models").status, 200)

    def test_body_too_large(self):
        auth = {"Authorization": "Bearer key-one"}
        big = chat_body("a" * 6000, max_tokens=5)
        r = request(self.secure, "POST", CHAT, big, headers=auth)
        self.assertApiError(r, 413)
        r = request(self.secure, "POST", COMPLETIONS, completion_body("b" * 6000), headers=auth)
        self.assertApiError(r, 413)
        # Just under the limit passes the size check.
        r = request(self.secure, "POST", CHAT, chat_body("Once upon a time " * 40,
                                                         max_tokens=2), headers=auth)
        self.assertEqual(r.status, 200, r)


if __name__ == "__main__":
    unittest.main()
