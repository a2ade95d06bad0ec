// Drives a running fastchat-server with the official OpenAI Node SDK (openai@^6) and checks real
// values: the model list and retrieve, chat completions (plain, streamed with usage, and through
// the SDK's stream helper), text completions (plain and streamed), and embeddings (the SDK's and
// LangChain JS's OpenAIEmbeddings). Greedy outputs are compared with the
// model folder's reference.json (a float64 reference implementation's continuation).
//
// Usage: node openai_client_test.mjs BASE_URL [MODEL_DIR] [MODEL_NAME]
//   BASE_URL    e.g. http://127.0.0.1:8000/v1
//   MODEL_DIR   model folder holding reference.json (default <repo>/models/stories260K)
//   MODEL_NAME  served model name (default stories260K)
// Exits 0 when every check passes, 1 otherwise (each check prints "ok" or "FAIL").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { OpenAIEmbeddings } from '@langchain/openai';

const here = path.dirname(fileURLToPath(import.meta.url));
const baseURL = process.argv[2];
if (!baseURL) {
  console.error('usage: node openai_client_test.mjs BASE_URL [MODEL_DIR] [MODEL_NAME]');
  process.exit(2);
}
const modelDir = process.argv[3] ?? path.resolve(here, '../../models/stories260K');
const model = process.argv[4] ?? 'stories260K';
const reference = JSON.parse(readFileSync(path.join(modelDir, 'reference.json'), 'utf8'));
const onceUponATime = reference.results.find((r) => r.prompt === 'Once upon a time');
assert.ok(onceUponATime, 'reference.json has no "Once upon a time" result');

// maxRetries 0: a failure must show up as a failure, not be retried away.
const client = new OpenAI({ baseURL, apiKey: 'sk-unused', maxRetries: 0, timeout: 60_000 });

const MAX_TOKENS = 32;
const messages = [{ role: 'user', content: onceUponATime.prompt }];
const now = () => Math.floor(Date.now() / 1000);
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

function assertCreated(created) {
  assert.equal(typeof created, 'number', 'created is a number');
  assert.ok(Math.abs(created - now()) < 600, `created ${created} is close to now`);
}

function assertUsage(usage, completionTokens) {
  assert.ok(usage, 'usage is present');
  assert.equal(usage.prompt_tokens, onceUponATime.prompt_ids.length, 'prompt_tokens (BOS + prompt)');
  assert.equal(usage.completion_tokens, completionTokens, 'completion_tokens');
  assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens, 'total_tokens');
}

// The greedy continuation of MAX_TOKENS tokens is a prefix of the reference's 64-token one.
function assertReferencePrefix(text) {
  assert.equal(typeof text, 'string');
  assert.ok(text.length > 20, `text is not trivially short: ${JSON.stringify(text)}`);
  assert.ok(onceUponATime.generated_text.startsWith(text),
    `text ${JSON.stringify(text)} is not a prefix of the reference ` +
    `${JSON.stringify(onceUponATime.generated_text)}`);
}

await check('models.list() lists the served model', async () => {
  const ids = [];
  for await (const m of client.models.list()) {
    assert.equal(m.object, 'model');
    assert.equal(typeof m.owned_by, 'string');
    assertCreated(m.created);
    ids.push(m.id);
  }
  assert.ok(ids.includes(model), `model ids ${JSON.stringify(ids)} include ${model}`);
});

await check('models.retrieve() returns the served model; an unknown one is a NotFoundError', async () => {
  const m = await client.models.retrieve(model);
  assert.equal(m.id, model);
  assert.equal(m.object, 'model');
  assertCreated(m.created);
  await assert.rejects(client.models.retrieve('no-such-model'), (err) => {
    assert.ok(err instanceof OpenAI.NotFoundError, `NotFoundError, got ${err?.constructor?.name}`);
    assert.equal(err.code, 'model_not_found');
    return true;
  });
});

let chatText = null;
let chatFinish = null;
await check('chat.completions.create() (non-stream, temperature 0)', async () => {
  const r = await client.chat.completions.create({ model, messages, temperature: 0, max_tokens: MAX_TOKENS });
  assert.equal(r.object, 'chat.completion');
  assert.match(r.id, /^chatcmpl-/);
  assert.equal(r.model, model);
  assertCreated(r.created);
  assert.equal(r.choices.length, 1);
  const [c] = r.choices;
  assert.equal(c.index, 0);
  assert.equal(c.message.role, 'assistant');
  assert.equal(c.finish_reason, 'length');
  assertReferencePrefix(c.message.content);
  assertUsage(r.usage, MAX_TOKENS);
  chatText = c.message.content;
  chatFinish = c.finish_reason;
});

await check('chat.completions.create({stream: true, stream_options.include_usage})', async () => {
  const stream = await client.chat.completions.create({
    model, messages, temperature: 0, max_tokens: MAX_TOKENS, stream: true,
    stream_options: { include_usage: true },
  });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  assert.ok(chunks.length >= 2, `at least two chunks (got ${chunks.length})`);
  const ids = new Set(chunks.map((ch) => ch.id));
  assert.equal(ids.size, 1, 'every chunk has the same id');
  assert.match(chunks[0].id, /^chatcmpl-/);
  for (const ch of chunks) {
    assert.equal(ch.object, 'chat.completion.chunk');
    assert.equal(ch.model, model);
    assertCreated(ch.created);
  }
  const withChoices = chunks.filter((ch) => ch.choices.length > 0);
  assert.equal(withChoices[0].choices[0].delta.role, 'assistant', 'first delta carries role assistant');
  let text = '';
  const finishes = [];
  for (const ch of withChoices) {
    assert.equal(ch.choices.length, 1);
    assert.equal(ch.choices[0].index, 0);
    text += ch.choices[0].delta.content ?? '';
    if (ch.choices[0].finish_reason != null) finishes.push(ch.choices[0].finish_reason);
  }
  assert.deepEqual(finishes, ['length'], 'exactly one finish_reason, "length"');
  assert.equal(text, chatText, 'streamed text equals the non-stream text');
  const last = chunks.at(-1);
  assert.deepEqual(last.choices, [], 'the usage chunk has no choices');
  assertUsage(last.usage, MAX_TOKENS);
  assert.equal(chunks.filter((ch) => ch.usage).length, 1, 'usage is sent once, in the last chunk');
});

await check('chat.completions.stream().finalChatCompletion() (SDK stream helper)', async () => {
  const deltas = [];
  const runner = client.chat.completions.stream({ model, messages, temperature: 0, max_tokens: MAX_TOKENS });
  runner.on('content', (delta) => deltas.push(delta));
  const final = await runner.finalChatCompletion();
  assert.equal(final.choices.length, 1);
  const [c] = final.choices;
  assert.equal(c.message.role, 'assistant');
  assert.equal(c.message.content, chatText, 'helper text equals the non-stream text');
  assert.equal(c.finish_reason, chatFinish);
  assert.equal(deltas.join(''), chatText, 'content events add up to the text');
  assert.equal(await runner.finalContent(), chatText);
});

let completionText = null;
await check('completions.create() (non-stream, temperature 0)', async () => {
  const r = await client.completions.create({
    model, prompt: onceUponATime.prompt, temperature: 0, max_tokens: MAX_TOKENS,
  });
  assert.equal(r.object, 'text_completion');
  assert.match(r.id, /^cmpl-/);
  assert.equal(r.model, model);
  assertCreated(r.created);
  assert.equal(r.choices.length, 1);
  assert.equal(r.choices[0].index, 0);
  assert.equal(r.choices[0].finish_reason, 'length');
  assertReferencePrefix(r.choices[0].text);
  assertUsage(r.usage, MAX_TOKENS);
  completionText = r.choices[0].text;
});

await check('completions.create() with max_tokens 64 equals reference.json exactly', async () => {
  const n = onceUponATime.generated_ids.length;
  const r = await client.completions.create({ model, prompt: onceUponATime.prompt, temperature: 0, max_tokens: n });
  assert.equal(r.choices[0].text, onceUponATime.generated_text);
  assertUsage(r.usage, n);
});

await check('completions.create({stream: true})', async () => {
  const stream = await client.completions.create({
    model, prompt: onceUponATime.prompt, temperature: 0, max_tokens: MAX_TOKENS, stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let usage = null;
  const finishes = [];
  for await (const chunk of stream) {
    assert.equal(chunk.object, 'text_completion');
    assert.equal(chunk.model, model);
    for (const c of chunk.choices) {
      text += c.text ?? '';
      if (c.finish_reason != null) finishes.push(c.finish_reason);
    }
    if (chunk.usage) usage = chunk.usage;
  }
  assert.equal(text, completionText, 'streamed text equals the non-stream text');
  assert.deepEqual(finishes, ['length']);
  assertUsage(usage, MAX_TOKENS);
});

await check('unknown model is a 404 NotFoundError with an OpenAI error body', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'no-such-model', messages }),
    (err) => {
      assert.ok(err instanceof OpenAI.NotFoundError, `NotFoundError, got ${err?.constructor?.name}: ${err}`);
      assert.equal(err.status, 404);
      assert.equal(err.code, 'model_not_found');
      assert.equal(err.param, 'model');
      assert.match(err.message, /no-such-model/);
      return true;
    });
});

await check('max_tokens beyond the context is a 400 BadRequestError', async () => {
  await assert.rejects(
    client.chat.completions.create({ model, messages, max_tokens: 100000 }),
    (err) => {
      assert.ok(err instanceof OpenAI.BadRequestError, `BadRequestError, got ${err?.constructor?.name}: ${err}`);
      assert.equal(err.status, 400);
      assert.equal(err.code, 'context_length_exceeded');
      assert.match(err.message, /512/);
      return true;
    });
});

function assertUnitVector(vector, length) {
  assert.equal(vector.length, length);
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
  assert.ok(Math.abs(norm - 1) < 1e-4, `norm ${norm}`);
}

await check('embeddings.create() (base64 by default, as the SDK asks) equals the float format', async () => {
  const input = ['Once upon a time', 'The cat sat.'];
  const sdkDefault = await client.embeddings.create({ model, input });
  const floats = await client.embeddings.create({ model, input, encoding_format: 'float' });
  assert.equal(sdkDefault.object, 'list');
  assert.equal(sdkDefault.data.length, 2);
  assert.ok(sdkDefault.usage.prompt_tokens > 0);
  assert.equal(sdkDefault.usage.total_tokens, sdkDefault.usage.prompt_tokens);
  for (let i = 0; i < 2; i += 1) {
    assert.equal(sdkDefault.data[i].index, i);
    assertUnitVector(sdkDefault.data[i].embedding, 64);
    sdkDefault.data[i].embedding.forEach((v, d) =>
      assert.ok(Math.abs(v - floats.data[i].embedding[d]) < 1e-6, `dimension ${d}`));
  }
});

await check("LangChain JS OpenAIEmbeddings: embedQuery and embedDocuments agree", async () => {
  const embeddings = new OpenAIEmbeddings({
    model, apiKey: 'sk-unused', maxRetries: 0, configuration: { baseURL },
  });
  const query = await embeddings.embedQuery('Once upon a time');
  const documents = await embeddings.embedDocuments(['The cat sat.', 'Once upon a time']);
  assertUnitVector(query, 64);
  assert.equal(documents.length, 2);
  query.forEach((v, d) => assert.ok(Math.abs(v - documents[1][d]) < 1e-5, `dimension ${d}`));
});

if (failures > 0) {
  console.log(`${failures} check(s) failed`);
  process.exit(1);
}
console.log('all OpenAI SDK checks passed');
