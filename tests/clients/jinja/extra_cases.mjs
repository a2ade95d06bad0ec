// Conversations the chat templates are rendered over by make_references.mjs, beyond the three of
// tests/data/chat-templates/renderings.json: tools, tool calls and tool results, thinking
// on and off, no system message, many turns, no generation prompt, unicode, long and awkward
// content. Each case renders with every template unless it lists `templates`; bos_token and
// eos_token come from each template's tokenizer_config.json.
//
// The reference ignores the argument of str.strip/lstrip/rstrip and strips all whitespace, where
// Python (and the C++ interpreter) strip only the characters given: no case puts spaces or tabs
// right after the newlines Qwen3's template strips with lstrip('\n') (the unit tests check
// Python's behaviour there, JinjaStringMethods.StripWithCharsStripsOnlyThose).

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Get the current weather in a city.",
    parameters: {
      type: "object",
      properties: {
        city: { type: "string", description: "City name, e.g. Paris" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"], default: "celsius" },
        days: { type: "integer", minimum: 1, maximum: 7 },
      },
      required: ["city"],
    },
  },
};

const searchTool = {
  type: "function",
  function: {
    name: "search_docs",
    description: "Recherche plein texte — « documents » 文档 🔎 with \"quotes\" and \\ slashes.",
    parameters: {
      type: "object",
      properties: {
        query: { type: "string" },
        filters: {
          type: "object",
          properties: {
            tags: { type: "array", items: { type: "string" } },
            score: { type: "number", minimum: 0.5, maximum: 2.25 },
            exact: { type: "boolean", default: false },
            owner: { type: ["string", "null"], default: null },
          },
        },
      },
      required: [],
    },
  },
};

function toolCall(id, name, args, asString) {
  return {
    id,
    type: "function",
    function: { name, arguments: asString ? JSON.stringify(args) : args },
  };
}

// One tool round trip in the OpenAI shape: the assistant's call, the tool's answer, the reply.
function toolRoundTrip(assistantContent, asString) {
  return [
    { role: "system", content: "You are a weather bot." },
    { role: "user", content: "Weather in Paris and Tokyo?" },
    {
      role: "assistant",
      content: assistantContent,
      tool_calls: [
        toolCall("call_1", "get_weather", { city: "Paris", unit: "celsius" }, asString),
        toolCall("call_2", "get_weather", { city: "東京", days: 2 }, asString),
      ],
    },
    { role: "tool", tool_call_id: "call_1", content: '{"temperature": 21.5, "sky": "clear"}' },
    { role: "tool", tool_call_id: "call_2", content: '{"temperature": 18, "sky": "rain"}' },
    { role: "assistant", content: "Paris: 21.5 °C and clear. Tokyo: 18 °C with rain." },
    { role: "user", content: "Thanks!" },
  ];
}

function manyTurns(count) {
  const messages = [{ role: "system", content: "You are a concise assistant." }];
  for (let i = 0; i < count; ++i) {
    messages.push(
      i % 2 === 0
        ? { role: "user", content: `Question ${i / 2 + 1}: what is ${i} + ${i}?` }
        : { role: "assistant", content: `The answer is ${2 * (i - 1)}.\nAnything else?` },
    );
  }
  return messages;
}

const longText = Array.from(
  { length: 120 },
  (_, i) => `Line ${i}: the quick brown fox jumps over the lazy dog. ${"é".repeat(i % 5)}`,
).join("\n");

export const cases = [
  {
    name: "no_generation_prompt",
    context: {
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!" },
      ],
      add_generation_prompt: false,
    },
  },
  {
    name: "no_system_many_turns",
    context: {
      messages: manyTurns(10).slice(1).concat([{ role: "user", content: "Last one." }]),
      add_generation_prompt: true,
    },
  },
  {
    name: "twenty_messages",
    context: {
      messages: manyTurns(19).concat([{ role: "user", content: "Bye?" }]),
      add_generation_prompt: true,
    },
  },
  {
    name: "unicode",
    context: {
      messages: [
        { role: "system", content: "Réponds en français — ou en 日本語. Emoji ok: 🤖✨" },
        { role: "user", content: "Ça va? 你好 👋🏽 مرحبا שלום e\u0301 \u00a0nbsp\u2028sep" },
        { role: "assistant", content: "Très bien ! 元気です。🙂" },
        { role: "user", content: "Ünïcödé ∑ ∞ ≠ \t tab" },
      ],
      add_generation_prompt: true,
    },
  },
  {
    name: "whitespace_content",
    context: {
      messages: [
        { role: "system", content: "  \n  padded system  \n\n" },
        { role: "user", content: "\n\n  spaced question?  \t\n" },
        { role: "assistant", content: "   " },
        { role: "user", content: "" },
      ],
      add_generation_prompt: true,
    },
  },
  {
    name: "template_syntax_in_content",
    context: {
      messages: [
        {
          role: "user",
          content: "Print {{ messages }} and {% if x %}raw{% endif %} {# no #} \\n \"q\" 'a'",
        },
        { role: "assistant", content: "<|im_end|> <think>not really</think>{{ x }} {%- raw -%}" },
        { role: "user", content: "<tool_response>\nfake\n</tool_response>" },
      ],
      add_generation_prompt: true,
    },
  },
  {
    name: "long_content",
    context: {
      messages: [
        { role: "system", content: longText },
        { role: "user", content: longText.split("\n").reverse().join("\n") },
      ],
      add_generation_prompt: true,
    },
  },
  {
    name: "tools_defined",
    context: {
      messages: [
        { role: "system", content: "Use tools when helpful." },
        { role: "user", content: "What's the weather in Paris?" },
      ],
      tools: [weatherTool, searchTool],
      add_generation_prompt: true,
    },
  },
  {
    name: "tools_without_system",
    context: {
      messages: [{ role: "user", content: "Find docs about rust." }],
      tools: [searchTool],
      add_generation_prompt: true,
    },
  },
  {
    name: "tool_calls_arguments_object",
    context: {
      messages: toolRoundTrip("", false),
      tools: [weatherTool],
      add_generation_prompt: true,
    },
  },
  {
    name: "tool_calls_arguments_string",
    context: {
      messages: toolRoundTrip("Let me check.", true),
      tools: [weatherTool],
      add_generation_prompt: true,
    },
  },
  {
    // DeepSeek's template writes tool calls only for an assistant message whose content is
    // none; Qwen3's cannot take a none content (`'</think>' in none`), as in Python's Jinja2.
    name: "tool_calls_content_none",
    templates: ["llama3", "llama3_1", "deepseek_v3"],
    context: { messages: toolRoundTrip(null, true), add_generation_prompt: true },
  },
  {
    name: "tool_result_last",
    context: {
      messages: toolRoundTrip("", false).slice(0, 5),
      tools: [weatherTool],
      add_generation_prompt: true,
    },
  },
  {
    name: "thinking_disabled",
    context: {
      messages: [{ role: "user", content: "Quick answer: 2+2?" }],
      add_generation_prompt: true,
      enable_thinking: false,
    },
  },
  {
    name: "thinking_enabled",
    context: {
      messages: [{ role: "user", content: "Think: 2+2?" }],
      add_generation_prompt: true,
      enable_thinking: true,
    },
  },
  {
    name: "reasoning_in_history",
    context: {
      messages: [
        { role: "user", content: "First?" },
        { role: "assistant", content: "<think>\nOld reasoning.\n</think>\n\nFirst answer." },
        { role: "user", content: "Second?" },
        { role: "assistant", content: "<think>\nNew reasoning.\n</think>\n\nSecond answer." },
      ],
      add_generation_prompt: false,
    },
  },
  {
    name: "reasoning_content_field",
    context: {
      messages: [
        { role: "user", content: "Why?" },
        { role: "assistant", content: "Because.", reasoning_content: "\nLet me think.\n" },
      ],
      add_generation_prompt: false,
    },
  },
  {
    name: "gemma_content_parts",
    templates: ["gemma3"],
    context: {
      messages: [
        { role: "system", content: [{ type: "text", text: "System as parts." }] },
        {
          role: "user",
          content: [
            { type: "image" },
            { type: "text", text: "  What is in this picture?  " },
          ],
        },
      ],
      add_generation_prompt: true,
    },
  },
  {
    name: "roles_not_alternating",
    context: {
      messages: [
        { role: "user", content: "One" },
        { role: "user", content: "Two" },
      ],
      add_generation_prompt: true,
    },
  },
  {
    name: "assistant_first",
    context: {
      messages: [
        { role: "assistant", content: "I speak first." },
        { role: "user", content: "Fine." },
      ],
      add_generation_prompt: true,
    },
  },
  {
    name: "several_system_messages",
    context: {
      messages: [
        { role: "system", content: "Rule one." },
        { role: "system", content: "Rule two." },
        { role: "user", content: "Go." },
      ],
      add_generation_prompt: true,
    },
  },
];
