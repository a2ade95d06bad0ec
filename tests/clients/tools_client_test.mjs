// Tool calling and reasoning content through real clients, against a running fastchat-server
// that serves the scripted model of tests/support/make_scripted_model.py (its chat template picks
// a scripted answer: a get_weather call when tools are given, two calls when get_time is among
// them, a final answer after a tool result, <think>reasoning</think> + answer otherwise).
//
//   - the OpenAI Node SDK (openai@^6): chat.completions.create() with tools, the round trip
//     (the assistant message as the SDK returned it, then a role "tool" message), two calls,
//     streamed tool calls, the chat.completions.stream() helper (finalChatCompletion(),
//     finalMessage(), finalFunctionToolCall(), parsed arguments of a strict tool),
//     reasoning_content (plain and streamed), a refused tool_choice as a BadRequestError;
//   - LangChain JS (@langchain/openai ChatOpenAI): bindTools() + invoke() -> AIMessage.tool_calls,
//     a ToolMessage back -> the final answer, .stream() chunks concatenated to the tool call,
//     reasoning_content in additional_kwargs.
//
// Usage: node tools_client_test.mjs BASE_URL MODEL_DIR MODEL_NAME
//   BASE_URL    e.g. http://127.0.0.1:8000/v1
//   MODEL_DIR   the scripted model folder (its script.json holds the expected texts)
//   MODEL_NAME  served model name
// Exits 0 when every check passes, 1 otherwise (each check prints "ok" or "FAIL").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { ChatOpenAI } from '@langchain/openai';
import { AIMessageChunk, HumanMessage, ToolMessage } from '@langchain/core/messages';

const [baseURL, modelDir, model] = process.argv.slice(2);
if (!baseURL || !modelDir || !model) {
  console.error('usage: node tools_client_test.mjs BASE_URL MODEL_DIR MODEL_NAME');
  process.exit(2);
}
const script = JSON.parse(readFileSync(path.join(modelDir, 'script.json'), 'utf8'));
const weatherTool = script.tools.get_weather;
const timeTool = script.tools.get_time;
const QUESTION = 'What is the weather like in Paris?';
const TOOL_RESULT = 'sunny, 22';

// maxRetries 0: a failure must show up as a failure, not be retried away.
const client = new OpenAI({ baseURL, apiKey: 'sk-unused', maxRetries: 0, timeout: 60_000 });
const langchain = new ChatOpenAI({
  model, apiKey: 'sk-unused', temperature: 0, maxRetries: 0, timeout: 60_000,
  configuration: { baseURL },
});

let failures = 0;
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (err) {
    failures += 1;
    console.log(`FAIL ${name}`);
    console.log(`  ${(err?.stack ?? String(err)).split('\n').join('\n  ')}`);
  }
}

const show = (value) => JSON.stringify(value);

function assertToolCall(call, expected, where) {
  assert.equal(call.type, 'function', `${where}: type "function" in ${show(call)}`);
  assert.match(call.id ?? '', /^call_/, `${where}: id "call_..." in ${show(call)}`);
  assert.equal(call.function.name, expected.name, `${where}: function.name in ${show(call)}`);
  assert.equal(typeof call.function.arguments, 'string', `${where}: arguments is a JSON text`);
  assert.deepEqual(JSON.parse(call.function.arguments), expected.arguments,
    `${where}: arguments ${call.function.arguments}`);
}

function assertNoContent(message, where) {
  assert.ok(message.content === null || message.content === '',
    `${where}: content null or "" beside tool calls, got ${show(message.content)}`);
}

// ---- OpenAI Node SDK -------------------------------------------------------------------------

let firstAnswer = null;
await check('openai: chat.completions.create({tools}) returns tool_calls', async () => {
  const r = await client.chat.completions.create({
    model, temperature: 0, messages: [{ role: 'user', content: QUESTION }], tools: [weatherTool],
  });
  const [choice] = r.choices;
  assert.equal(choice.finish_reason, 'tool_calls', `finish_reason in ${show(r)}`);
  assertNoContent(choice.message, 'message');
  assert.equal(choice.message.tool_calls?.length, 1, `one tool call in ${show(r)}`);
  assertToolCall(choice.message.tool_calls[0], script.tool_call, 'tool_calls[0]');
  firstAnswer = choice.message;
});

await check('openai: the returned assistant message and a tool message -> the final answer', async () => {
  assert.ok(firstAnswer, 'the previous check produced the assistant message');
  const messages = [
    { role: 'user', content: QUESTION },
    firstAnswer, // as the SDK returned it
    { role: 'tool', tool_call_id: firstAnswer.tool_calls[0].id, content: TOOL_RESULT },
  ];
  const r = await client.chat.completions.create({ model, temperature: 0, messages, tools: [weatherTool] });
  const [choice] = r.choices;
  assert.equal(choice.finish_reason, 'stop', `finish_reason in ${show(r)}`);
  assert.equal(choice.message.content, script.final_answer, `content in ${show(r)}`);
  assert.ok(!choice.message.tool_calls?.length, `no tool calls in ${show(r)}`);
});

await check('openai: two tools -> two calls with distinct ids', async () => {
  const r = await client.chat.completions.create({
    model, temperature: 0, messages: [{ role: 'user', content: QUESTION }],
    tools: [weatherTool, timeTool],
  });
  const [choice] = r.choices;
  assert.equal(choice.finish_reason, 'tool_calls', `finish_reason in ${show(r)}`);
  assert.equal(choice.message.tool_calls?.length, 2, `two tool calls in ${show(r)}`);
  script.two_tool_calls.forEach((want, i) => assertToolCall(choice.message.tool_calls[i], want, `tool_calls[${i}]`));
  assert.notEqual(choice.message.tool_calls[0].id, choice.message.tool_calls[1].id, 'distinct ids');
});

await check('openai: create({stream: true, tools}) streams the call in tool_calls deltas', async () => {
  const stream = await client.chat.completions.create({
    model, temperature: 0, messages: [{ role: 'user', content: QUESTION }],
    tools: [weatherTool, timeTool], stream: true,
  });
  const calls = [];
  let content = '';
  const finishes = [];
  for await (const chunk of stream) {
    for (const choice of chunk.choices) {
      content += choice.delta?.content ?? '';
      if (choice.finish_reason != null) finishes.push(choice.finish_reason);
      for (const delta of choice.delta?.tool_calls ?? []) {
        assert.equal(typeof delta.index, 'number', `index in ${show(delta)}`);
        if (!calls[delta.index]) {
          assert.ok(delta.id && delta.type === 'function' && delta.function?.name,
            `the first delta of a call has id, type and name: ${show(delta)}`);
          calls[delta.index] = { id: delta.id, type: delta.type, function: { name: delta.function.name, arguments: '' } };
        }
        calls[delta.index].function.arguments += delta.function?.arguments ?? '';
      }
    }
  }
  assert.deepEqual(finishes, ['tool_calls']);
  assert.equal(content, '', `no content beside the calls, got ${show(content)}`);
  assert.equal(calls.length, 2, `two calls: ${show(calls)}`);
  script.two_tool_calls.forEach((want, i) => assertToolCall(calls[i], want, `streamed call ${i}`));
});

await check('openai: chat.completions.stream({tools}) helper: finalChatCompletion(), finalMessage(), finalFunctionToolCall()', async () => {
  // strict: true makes the helper parse the arguments (parsed_arguments).
  const strictTool = { ...weatherTool, function: { ...weatherTool.function, strict: true } };
  strictTool.function.parameters = { ...strictTool.function.parameters, additionalProperties: false };
  const done = [];
  const runner = client.chat.completions.stream({
    model, temperature: 0, messages: [{ role: 'user', content: QUESTION }], tools: [strictTool],
  });
  runner.on('tool_calls.function.arguments.done', (event) => done.push(event));
  const final = await runner.finalChatCompletion();
  const [choice] = final.choices;
  assert.equal(choice.finish_reason, 'tool_calls', `finish_reason in ${show(final)}`);
  assert.equal(choice.message.tool_calls?.length, 1, `one tool call in ${show(final)}`);
  const call = choice.message.tool_calls[0];
  assertToolCall(call, script.tool_call, 'finalChatCompletion tool_calls[0]');
  assert.deepEqual(call.function.parsed_arguments, script.tool_call.arguments, 'parsed_arguments');
  const message = await runner.finalMessage();
  assert.equal(message.role, 'assistant');
  assertToolCall(message.tool_calls[0], script.tool_call, 'finalMessage tool_calls[0]');
  const fn = await runner.finalFunctionToolCall();
  assert.equal(fn?.name, script.tool_call.name, `finalFunctionToolCall ${show(fn)}`);
  assert.deepEqual(JSON.parse(fn.arguments), script.tool_call.arguments);
  assert.equal(done.length, 1, `one arguments.done event: ${show(done)}`);
  assert.deepEqual(done[0].parsed_arguments, script.tool_call.arguments, `arguments.done ${show(done[0])}`);
});

await check('openai: reasoning_content beside the content (non-stream)', async () => {
  const r = await client.chat.completions.create({ model, temperature: 0, messages: [{ role: 'user', content: 'Hello' }] });
  const [choice] = r.choices;
  assert.equal(choice.finish_reason, 'stop');
  assert.equal(choice.message.reasoning_content, script.reasoning, `reasoning_content in ${show(r)}`);
  assert.equal(choice.message.content, script.answer, `content in ${show(r)}`);
});

await check('openai: streamed reasoning_content and content deltas', async () => {
  const stream = await client.chat.completions.create({
    model, temperature: 0, messages: [{ role: 'user', content: 'Hello' }], stream: true,
  });
  let reasoning = '';
  let content = '';
  for await (const chunk of stream) {
    for (const choice of chunk.choices) {
      reasoning += choice.delta?.reasoning_content ?? '';
      content += choice.delta?.content ?? '';
    }
  }
  assert.equal(reasoning, script.reasoning);
  assert.equal(content, script.answer);
  const runner = client.chat.completions.stream({ model, temperature: 0, messages: [{ role: 'user', content: 'Hello' }] });
  assert.equal(await runner.finalContent(), script.answer, 'the stream helper\'s finalContent()');
});

await check('openai: chat_template_kwargs.enable_thinking false -> no reasoning', async () => {
  const r = await client.chat.completions.create({
    model, temperature: 0, messages: [{ role: 'user', content: 'Hello' }],
    chat_template_kwargs: { enable_thinking: false },
  });
  assert.equal(r.choices[0].message.content, script.answer, show(r));
  assert.ok(r.choices[0].message.reasoning_content == null, `no reasoning_content in ${show(r)}`);
});

await check('openai: tool_choice "required" is a 400 BadRequestError naming tool_choice', async () => {
  await assert.rejects(
    client.chat.completions.create({
      model, messages: [{ role: 'user', content: QUESTION }], tools: [weatherTool], tool_choice: 'required',
    }),
    (err) => {
      assert.ok(err instanceof OpenAI.BadRequestError, `BadRequestError, got ${err?.constructor?.name}: ${err}`);
      assert.equal(err.param, 'tool_choice');
      assert.match(err.message, /not supported/i);
      return true;
    });
});

// ---- LangChain JS ----------------------------------------------------------------------------

await check('langchain: ChatOpenAI.bindTools().invoke() -> AIMessage.tool_calls, ToolMessage -> answer', async () => {
  const withTools = langchain.bindTools([weatherTool]);
  const human = new HumanMessage(QUESTION);
  const ai = await withTools.invoke([human]);
  assert.equal(ai.tool_calls?.length, 1, `one tool call in ${show(ai)}`);
  const [call] = ai.tool_calls;
  assert.equal(call.name, script.tool_call.name, show(call));
  assert.deepEqual(call.args, script.tool_call.arguments, show(call));
  assert.match(call.id ?? '', /^call_/, show(call));
  assert.deepEqual(ai.invalid_tool_calls ?? [], [], `no invalid tool calls in ${show(ai)}`);
  assert.equal(ai.response_metadata?.finish_reason, 'tool_calls', show(ai.response_metadata));
  const final = await withTools.invoke([human, ai, new ToolMessage({ tool_call_id: call.id, content: TOOL_RESULT })]);
  assert.equal(final.content, script.final_answer, show(final));
  assert.equal(final.tool_calls?.length ?? 0, 0, show(final));
});

await check('langchain: bindTools with two tools -> two tool_calls', async () => {
  const ai = await langchain.bindTools([weatherTool, timeTool]).invoke(QUESTION);
  assert.equal(ai.tool_calls?.length, 2, `two tool calls in ${show(ai)}`);
  script.two_tool_calls.forEach((want, i) => {
    assert.equal(ai.tool_calls[i].name, want.name);
    assert.deepEqual(ai.tool_calls[i].args, want.arguments);
  });
  assert.notEqual(ai.tool_calls[0].id, ai.tool_calls[1].id);
});

await check('langchain: bindTools().stream() chunks concat to tool_call_chunks and tool_calls', async () => {
  let aggregate;
  let chunks = 0;
  for await (const chunk of await langchain.bindTools([weatherTool]).stream(QUESTION)) {
    assert.ok(chunk instanceof AIMessageChunk, `an AIMessageChunk: ${chunk?.constructor?.name}`);
    aggregate = aggregate === undefined ? chunk : aggregate.concat(chunk);
    chunks += 1;
  }
  assert.ok(chunks > 1, `several chunks (${chunks})`);
  assert.equal(aggregate.tool_call_chunks?.length, 1, `one tool call chunk in ${show(aggregate.tool_call_chunks)}`);
  const [callChunk] = aggregate.tool_call_chunks;
  assert.equal(callChunk.name, script.tool_call.name, show(callChunk));
  assert.match(callChunk.id ?? '', /^call_/, show(callChunk));
  assert.deepEqual(JSON.parse(callChunk.args), script.tool_call.arguments, show(callChunk));
  assert.equal(aggregate.tool_calls?.length, 1, show(aggregate.tool_calls));
  assert.equal(aggregate.tool_calls[0].name, script.tool_call.name);
  assert.deepEqual(aggregate.tool_calls[0].args, script.tool_call.arguments);
  assert.equal(aggregate.tool_calls[0].id, callChunk.id);
  assert.equal(aggregate.content, '', `no content: ${show(aggregate.content)}`);
});

await check('langchain: reasoning_content in additional_kwargs, the answer in content', async () => {
  const ai = await langchain.invoke('Hello');
  assert.equal(ai.content, script.answer, show(ai));
  assert.equal(ai.additional_kwargs?.reasoning_content, script.reasoning, show(ai.additional_kwargs));
});

if (failures > 0) {
  console.log(`${failures} check(s) failed`);
  process.exit(1);
}
console.log('all tool-calling client checks passed');
