"""OpenAI tool calling and reasoning content through the real stack, with a scripted model.

tests/support/make_scripted_model.py writes a tiny Llama folder (into a temporary folder) whose
greedy answer is chosen by its chat template (Qwen3's, with a cue token at the end of the
generation prompt): a Hermes <tool_call> for get_weather when tools are given, two calls when
get_time is among them, a final answer after a role "tool" message, and <think>reasoning</think>
then an answer otherwise (or the answer alone with enable_thinking false). Tool-call markup is
split across tokens. Its script.json holds the texts compared with here.

Checked against OpenAI's chat completions API through fastchat-server: message.tool_calls
(id "call_...", type "function", function.name, function.arguments a JSON string) with content
null and finish_reason "tool_calls"; the streamed form (tool_calls deltas with index, id, type
and name once per call, argument fragments that concatenate to the JSON, no markup in content);
two calls; a full round trip (assistant tool_calls + tool message -> final answer);
reasoning_content (non-stream and streamed) and chat_template_kwargs.enable_thinking;
tool_choice "none", and 400s naming the field for what is refused or malformed (tool_choice
"required" / a named function, bad tools, a tool message without content)."""

import json
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import harness
from harness import DONE, post, sse

CHAT = "/v1/chat/completions"
MAKER = harness.REPO / "tests" / "support" / "make_scripted_model.py"
MODEL = "scripted-tools"  # the model folder's name, served under it
SCRIPT = None  # script.json of the model folder
QUESTION = "What is the weather like in Paris?"


def setUpModule():
    global SCRIPT
    root = Path(tempfile.mkdtemp(prefix="e2e-tool-calling-"))
    unittest.addModuleCleanup(shutil.rmtree, root, ignore_errors=True)
    folder = root / MODEL
    subprocess.run([sys.executable, str(MAKER), str(folder)], check=True, timeout=120)
    SCRIPT = json.loads((folder / "script.json").read_text(encoding="utf-8"))
    stack = harness.Stack(model_names=MODEL)
    unittest.addModuleCleanup(stack.stop)
    stack.start_controller()
    stack.start_worker(MODEL, model_dir=folder)
    stack.server = stack.start_server(wait_models=(MODEL,))
    ToolCase.stack = stack
    ToolCase.server = stack.server.url
    ToolCase.worker = stack.workers[0].url


def tool(name):
    return SCRIPT["tools"][name]


def body(messages=None, **kw):
    out = {"model": MODEL, "temperature": 0,
           "messages": messages or [{"role": "user", "content": QUESTION}]}
    out.update(kw)
    return out


def pieces_after(cue_name):
    return SCRIPT["pieces"][SCRIPT["cues"][cue_name]]


class ToolCase(unittest.TestCase):
    stack = None
    server = None
    worker = None
    maxDiff = None

    def tearDown(self):
        self.stack.assert_alive()

    # -- helpers ------------------------------------------------------------------------------

    def chat(self, request):
        r = post(self.server, CHAT, request)
        self.assertEqual(r.status, 200, f"request {json.dumps(request)}\nanswer {r}")
        answer = r.json()
        self.assertEqual(answer["object"], "chat.completion", answer)
        self.assertEqual(len(answer["choices"]), 1, answer)
        choice = answer["choices"][0]
        self.assertEqual(choice["message"]["role"], "assistant", answer)
        return answer, choice

    def stream(self, request):
        """Streams `request`; checks the framing; returns (chunks with choices, finish_reasons,
        content, reasoning, tool calls by index as
        {index: {"id", "type", "name", "arguments", "deltas"}}, raw text)."""
        request = dict(request, stream=True)
        s, events = sse(self.server, CHAT, request)
        raw = bytes(s.raw).decode("utf-8", errors="replace")
        self.assertEqual(s.status, 200, f"request {json.dumps(request)}\nanswer {raw[:600]}")
        self.assertTrue(events, raw[-600:])
        self.assertEqual(events[-1], DONE, f"the stream ends with data: [DONE]\n{raw[-600:]}")
        self.assertEqual(events.count(DONE), 1, raw[-600:])
        chunks = [e for e in events[:-1] if e["choices"]]
        self.assertTrue(chunks, raw[-600:])
        ids = {c["id"] for c in events[:-1]}
        self.assertEqual(len(ids), 1, f"one id for the whole stream: {ids}")
        self.assertEqual(chunks[0]["choices"][0]["delta"].get("role"), "assistant", chunks[0])
        content, reasoning, finishes, calls = "", "", [], {}
        for chunk in chunks:
            self.assertNotIn("error", chunk, chunk)
            self.assertEqual(chunk["object"], "chat.completion.chunk", chunk)
            self.assertEqual(len(chunk["choices"]), 1, chunk)
            choice = chunk["choices"][0]
            self.assertEqual(choice["index"], 0, chunk)
            self.assertEqual(finishes, [], f"a chunk after the finish_reason: {chunk}")
            if choice.get("finish_reason") is not None:
                finishes.append(choice["finish_reason"])
            delta = choice.get("delta") or {}
            content += delta.get("content") or ""
            reasoning += delta.get("reasoning_content") or ""
            for call in delta.get("tool_calls") or []:
                self.assertIn("index", call, f"a tool_calls delta without index: {chunk}")
                index = call["index"]
                fn = call.get("function") or {}
                if index not in calls:
                    # OpenAI sends id, type and function.name once, in a call's first delta
                    # (the SDKs concatenate what is repeated).
                    self.assertTrue(str(call.get("id", "")).startswith("call_"),
                                    f"the first delta of call {index} has its id: {chunk}")
                    self.assertEqual(call.get("type"), "function", chunk)
                    self.assertTrue(fn.get("name"), f"the first delta of call {index} names "
                                                    f"the function: {chunk}")
                    calls[index] = {"id": call["id"], "type": call["type"], "name": fn["name"],
                                    "arguments": "", "deltas": 0}
                else:
                    for key in ("id", "type"):
                        self.assertNotIn(key, call, f"{key} repeated after the first delta of "
                                                    f"call {index}: {chunk}")
                    self.assertNotIn("name", fn, f"function.name repeated after the first delta "
                                                 f"of call {index}: {chunk}")
                calls[index]["arguments"] += fn.get("arguments") or ""
                calls[index]["deltas"] += 1
        self.assertEqual(len(finishes), 1, f"one finish_reason\n{raw[-800:]}")
        return chunks, finishes, content, reasoning, calls, raw

    def assertError(self, request, status, param, contains=()):
        r = post(self.server, CHAT, request)
        self.assertEqual(r.status, status, f"request {json.dumps(request)}\nanswer {r}")
        error = r.json()["error"]
        for key in ("message", "type", "param", "code"):
            self.assertIn(key, error, error)
        self.assertEqual(error["type"], "invalid_request_error", error)
        self.assertEqual(error["param"], param, error)
        for piece in contains:
            self.assertIn(piece.lower(), error["message"].lower(), error)
        return error

    def assertToolCall(self, call, expected):
        self.assertEqual(set(call), {"id", "type", "function"}, call)
        self.assertIsInstance(call["id"], str)
        self.assertTrue(call["id"].startswith("call_"), call)
        self.assertEqual(call["type"], "function", call)
        self.assertEqual(call["function"]["name"], expected["name"], call)
        arguments = call["function"]["arguments"]
        self.assertIsInstance(arguments, str, "function.arguments is a JSON text")
        self.assertEqual(json.loads(arguments), expected["arguments"], call)

    def assertNoToolCalls(self, message):
        self.assertIn(message.get("tool_calls"), (None, []), message)

    # -- the model and the template -----------------------------------------------------------

    def test_the_worker_serves_the_model_with_its_chat_template(self):
        details = post(self.worker, "/model_details", {}).json()
        self.assertEqual(details["prompt_format"]["type"], "chat_template", details)
        self.assertEqual(details["prompt_format"]["end_of_turn"], SCRIPT["end_of_turn"], details)

    # -- tool calls ---------------------------------------------------------------------------

    def test_a_tool_call(self):
        for tool_choice in (None, "auto"):
            with self.subTest(tool_choice=tool_choice):
                request = body(tools=[tool("get_weather")])
                if tool_choice:
                    request["tool_choice"] = tool_choice
                answer, choice = self.chat(request)
                message = choice["message"]
                self.assertEqual(choice["finish_reason"], "tool_calls", answer)
                self.assertIn(message.get("content"), (None, ""), answer)
                self.assertIn("tool_calls", message, answer)
                self.assertEqual(len(message["tool_calls"]), 1, answer)
                self.assertToolCall(message["tool_calls"][0], SCRIPT["tool_call"])
                self.assertIsNone(message.get("reasoning_content"), answer)
                # Every generated token is counted, markup included (and <|im_end|>).
                self.assertEqual(answer["usage"]["completion_tokens"],
                                 len(pieces_after("call")) + 1, answer)

    def test_a_streamed_tool_call(self):
        chunks, finishes, content, _, calls, raw = self.stream(body(tools=[tool("get_weather")]))
        self.assertEqual(finishes, ["tool_calls"], raw[-800:])
        self.assertEqual(sorted(calls), [0], raw)
        call = calls[0]
        self.assertEqual(call["name"], SCRIPT["tool_call"]["name"], raw)
        self.assertEqual(json.loads(call["arguments"]), SCRIPT["tool_call"]["arguments"],
                         f"argument fragments {call['arguments']!r} concatenate to the JSON")
        self.assertEqual(content, "", f"no content beside the call: {content!r}")
        for chunk in chunks:
            text = chunk["choices"][0]["delta"].get("content") or ""
            self.assertNotIn("<tool", text, chunk)
            self.assertNotIn("call>", text, chunk)

    def test_two_tool_calls(self):
        tools = [tool("get_weather"), tool("get_time")]
        expected = SCRIPT["two_tool_calls"]
        answer, choice = self.chat(body(tools=tools))
        message = choice["message"]
        self.assertEqual(choice["finish_reason"], "tool_calls", answer)
        self.assertIn(message.get("content"), (None, ""), answer)
        self.assertEqual(len(message.get("tool_calls") or []), 2, answer)
        for call, want in zip(message["tool_calls"], expected):
            self.assertToolCall(call, want)
        self.assertNotEqual(message["tool_calls"][0]["id"], message["tool_calls"][1]["id"])

        _, finishes, content, _, calls, raw = self.stream(body(tools=tools))
        self.assertEqual(finishes, ["tool_calls"], raw[-800:])
        self.assertEqual(sorted(calls), [0, 1], raw)
        self.assertEqual(content, "", raw)
        self.assertNotEqual(calls[0]["id"], calls[1]["id"], raw)
        for index, want in enumerate(expected):
            self.assertEqual(calls[index]["name"], want["name"], raw)
            self.assertEqual(json.loads(calls[index]["arguments"]), want["arguments"], raw)

    def test_a_round_trip_through_the_tool(self):
        """The assistant message as the server returned it, then the tool's result."""
        tools = [tool("get_weather")]
        _, choice = self.chat(body(tools=tools))
        assistant = choice["message"]
        self.assertTrue(assistant.get("tool_calls"), assistant)
        call = assistant["tool_calls"][0]
        messages = [{"role": "user", "content": QUESTION},
                    {"role": "assistant", "content": assistant.get("content"),
                     "tool_calls": assistant["tool_calls"]},
                    {"role": "tool", "tool_call_id": call["id"], "content": "sunny, 22"}]
        for with_tools in (True, False):
            with self.subTest(tools_in_second_request=with_tools):
                request = body(messages, **({"tools": tools} if with_tools else {}))
                answer, final = self.chat(request)
                self.assertEqual(final["finish_reason"], "stop", answer)
                self.assertEqual(final["message"]["content"], SCRIPT["final_answer"], answer)
                self.assertNoToolCalls(final["message"])

                _, finishes, content, _, calls, raw = self.stream(request)
                self.assertEqual(finishes, ["stop"], raw[-800:])
                self.assertEqual(content, SCRIPT["final_answer"], raw)
                self.assertEqual(calls, {}, raw)

    def test_history_with_literal_arguments_and_null_content(self):
        """A client-written history: content null, arguments as a JSON text with spaces."""
        messages = [{"role": "user", "content": QUESTION},
                    {"role": "assistant", "content": None, "tool_calls": [
                        {"id": "call_abc123", "type": "function",
                         "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}}]},
                    {"role": "tool", "tool_call_id": "call_abc123", "content": "sunny, 22"}]
        answer, choice = self.chat(body(messages, tools=[tool("get_weather")]))
        self.assertEqual(choice["message"]["content"], SCRIPT["final_answer"], answer)
        self.assertEqual(choice["finish_reason"], "stop", answer)

    # -- reasoning ----------------------------------------------------------------------------

    def test_reasoning_content(self):
        answer, choice = self.chat(body([{"role": "user", "content": "Hello"}]))
        message = choice["message"]
        self.assertEqual(choice["finish_reason"], "stop", answer)
        self.assertEqual(message.get("reasoning_content"), SCRIPT["reasoning"], answer)
        self.assertEqual(message["content"], SCRIPT["answer"], answer)
        self.assertNoToolCalls(message)

    def test_streamed_reasoning_content(self):
        chunks, finishes, content, reasoning, calls, raw = self.stream(
            body([{"role": "user", "content": "Hello"}]))
        self.assertEqual(finishes, ["stop"], raw[-800:])
        self.assertEqual(reasoning, SCRIPT["reasoning"], raw)
        self.assertEqual(content, SCRIPT["answer"], raw)
        self.assertEqual(calls, {}, raw)
        for chunk in chunks:
            delta = chunk["choices"][0]["delta"]
            for key in ("content", "reasoning_content"):
                self.assertNotIn("think>", delta.get(key) or "", chunk)

    def test_enable_thinking_false(self):
        request = body([{"role": "user", "content": "Hello"}],
                       chat_template_kwargs={"enable_thinking": False})
        answer, choice = self.chat(request)
        self.assertEqual(choice["finish_reason"], "stop", answer)
        self.assertEqual(choice["message"]["content"], SCRIPT["answer"], answer)
        self.assertIsNone(choice["message"].get("reasoning_content"), answer)

        _, finishes, content, reasoning, _, raw = self.stream(request)
        self.assertEqual(finishes, ["stop"], raw[-800:])
        self.assertEqual(content, SCRIPT["answer"], raw)
        self.assertEqual(reasoning, "", raw)

    # -- tool_choice --------------------------------------------------------------------------

    def test_tool_choice_none_answers_without_calls(self):
        """With tool_choice "none" the template is not given the tools: the model answers."""
        request = body([{"role": "user", "content": "Hello"}], tools=[tool("get_weather")],
                       tool_choice="none")
        answer, choice = self.chat(request)
        self.assertEqual(choice["finish_reason"], "stop", answer)
        self.assertNoToolCalls(choice["message"])
        self.assertEqual(choice["message"]["content"], SCRIPT["answer"], answer)

        _, finishes, content, _, calls, raw = self.stream(request)
        self.assertEqual(finishes, ["stop"], raw[-800:])
        self.assertEqual(calls, {}, raw)
        self.assertEqual(content, SCRIPT["answer"], raw)

    def test_tool_choices_not_supported_yet(self):
        for tool_choice in ("required", {"type": "function", "function": {"name": "get_weather"}}):
            for stream in (False, True):
                with self.subTest(tool_choice=tool_choice, stream=stream):
                    self.assertError(body(tools=[tool("get_weather")], tool_choice=tool_choice,
                                          stream=stream),
                                     400, "tool_choice", contains=["not supported"])

    # -- refused requests ---------------------------------------------------------------------

    def test_malformed_tools(self):
        good = tool("get_weather")
        cases = [
            (good, "tools"),                                               # not an array
            ("get_weather", "tools"),
            ([{"type": "function", "function": {"description": "no name"}}],
             "tools[0].function.name"),
            ([good, {"type": "function", "function": {"name": 7}}], "tools[1].function.name"),
            ([{"type": "function"}], "tools[0].function"),
            ([{"type": "retrieval", "function": {"name": "get_weather"}}], "tools[0].type"),
            ([{"function": {"name": "get_weather"}}], "tools[0].type"),
            (["get_weather"], "tools[0]"),
        ]
        for tools, param in cases:
            with self.subTest(tools=tools):
                self.assertError(body(tools=tools), 400, param)

    def test_a_tool_message_without_content(self):
        messages = [{"role": "user", "content": QUESTION},
                    {"role": "assistant", "content": None, "tool_calls": [
                        {"id": "call_abc123", "type": "function",
                         "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}}]},
                    {"role": "tool", "tool_call_id": "call_abc123"}]
        self.assertError(body(messages, tools=[tool("get_weather")]), 400, "messages[2].content")


if __name__ == "__main__":
    unittest.main()
