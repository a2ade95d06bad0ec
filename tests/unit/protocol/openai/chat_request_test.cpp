#include "protocol/openai/chat_request.h"

#include <gtest/gtest.h>

#include <string>

#include "expect_error.h"

namespace fastchat::openai {
namespace {

using testing::expect_invalid;

void expect_chat_error(const std::string& body, const std::string& param,
                       const std::string& fragment = {}) {
  SCOPED_TRACE(body);
  expect_invalid([&] { parse_chat_completion_request(body); }, param, fragment);
}

// A valid body with `extra` fields spliced in.
std::string chat_body(const std::string& extra) {
  return R"({"model": "vicuna", "messages": [{"role": "user", "content": "Hi"}])" +
         (extra.empty() ? std::string() : ", " + extra) + "}";
}

TEST(ChatRequest, MinimalRequestGetsDefaults) {
  const auto request = parse_chat_completion_request(chat_body(""));
  EXPECT_EQ(request.model, "vicuna");
  ASSERT_EQ(request.messages.size(), 1u);
  EXPECT_EQ(request.messages[0], (protocol::ChatMessage{"user", "Hi"}));
  EXPECT_FALSE(request.raw_prompt.has_value());
  EXPECT_FALSE(request.options.max_tokens_set);
  EXPECT_EQ(request.options.sampling.max_tokens, kUnboundedMaxTokens);
  EXPECT_FLOAT_EQ(request.options.sampling.temperature, 1.0f);
  EXPECT_FALSE(request.logprobs);
  EXPECT_EQ(request.top_logprobs, 0);
  EXPECT_EQ(request.options.sampling.logprobs, -1);
}

TEST(ChatRequest, SharedOptionsAreParsed) {
  const auto request = parse_chat_completion_request(chat_body(
      R"("temperature": 0, "max_completion_tokens": 32, "stop": "\n", "n": 2, "stream": true)"));
  EXPECT_FLOAT_EQ(request.options.sampling.temperature, 0.0f);
  EXPECT_EQ(request.options.sampling.max_tokens, 32);
  EXPECT_TRUE(request.options.max_tokens_set);
  EXPECT_EQ(request.options.sampling.stop, std::vector<std::string>{"\n"});
  EXPECT_EQ(request.options.n, 2);
  EXPECT_TRUE(request.options.stream);
  expect_chat_error(chat_body(R"("top_p": 1.5)"), "top_p", "'top_p' must be in (0, 1], got 1.5");
}

TEST(ChatRequest, StringMessagesAreARawPrompt) {
  const auto request =
      parse_chat_completion_request(R"({"model": "m", "messages": "USER: hi ASSISTANT:"})");
  EXPECT_TRUE(request.messages.empty());
  EXPECT_EQ(request.raw_prompt, "USER: hi ASSISTANT:");
}

TEST(ChatRequest, MessagesErrorsCarryTheJsonPath) {
  expect_chat_error(R"({"model": "m"})", "messages", "is required");
  expect_chat_error(R"({"model": "m", "messages": null})", "messages", "is required");
  expect_chat_error(R"({"model": "m", "messages": 5})", "messages",
                    "must be an array of messages or a string, got number");
  expect_chat_error(R"({"model": "m", "messages": []})", "messages", "at least one");
  expect_chat_error(
      R"({"model": "m", "messages": [{"role": "user", "content": "a"},
                                     {"role": "user", "content": 5}]})",
      "messages[1].content");
  expect_chat_error(R"({"model": "m", "messages": [{"role": "tool", "content": "a"}]})",
                    "messages[0].tool_call_id");
}

TEST(ChatRequest, ModelIsRequired) {
  expect_chat_error(R"({"messages": [{"role": "user", "content": "a"}]})", "model", "required");
  expect_chat_error(R"({"model": "", "messages": "x"})", "model", "must not be empty");
  expect_chat_error(R"({"model": ["m"], "messages": "x"})", "model", "must be a string");
}

TEST(ChatRequest, BodyErrorsHaveNoParam) {
  expect_chat_error("{\"model\": ", "", "request body is not valid JSON");
  expect_chat_error("[]", "", "must be a JSON object");
}

TEST(ChatRequest, LogprobsIsABoolAndTopLogprobsNeedsIt) {
  const auto request =
      parse_chat_completion_request(chat_body(R"("logprobs": true, "top_logprobs": 5)"));
  EXPECT_TRUE(request.logprobs);
  EXPECT_EQ(request.top_logprobs, 5);
  EXPECT_EQ(request.options.sampling.logprobs, 5);
  EXPECT_EQ(
      parse_chat_completion_request(chat_body(R"("logprobs": true)")).options.sampling.logprobs, 0);
  EXPECT_EQ(
      parse_chat_completion_request(chat_body(R"("top_logprobs": 0)")).options.sampling.logprobs,
      -1);
  expect_chat_error(chat_body(R"("logprobs": 1)"), "logprobs", "must be a boolean, got number");
  expect_chat_error(chat_body(R"("top_logprobs": 3)"), "top_logprobs",
                    "requires 'logprobs' to be true");
  expect_chat_error(chat_body(R"("logprobs": false, "top_logprobs": 3)"), "top_logprobs",
                    "requires");
  expect_chat_error(chat_body(R"("logprobs": true, "top_logprobs": 21)"), "top_logprobs",
                    "[0, 20], got 21");
  expect_chat_error(chat_body(R"("logprobs": true, "top_logprobs": "2")"), "top_logprobs",
                    "must be an integer");
}

TEST(ChatRequest, ToolsKeepTheClientsKeyOrder) {
  const auto request = parse_chat_completion_request(chat_body(
      R"("tools": [{"type": "function", "function": {"name": "get_weather", "parameters":
         {"type": "object", "properties": {"city": {"type": "string"}}}, "description": "d"}}],
         "parallel_tool_calls": false, "chat_template_kwargs": {"enable_thinking": false, "a": 1})"));
  // tojson in a template prints them, so the order is the client's, not sorted.
  EXPECT_EQ(request.tools.dump(),
            R"([{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",)"
            R"("properties":{"city":{"type":"string"}}},"description":"d"}}])");
  EXPECT_FALSE(request.parallel_tool_calls);
  EXPECT_EQ(request.chat_template_kwargs.dump(), R"({"enable_thinking":false,"a":1})");
}

TEST(ChatRequest, ToolChoiceNoneDropsTheToolsAndAutoKeepsThem) {
  const std::string tools = R"("tools": [{"type": "function", "function": {"name": "f"}}])";
  EXPECT_TRUE(parse_chat_completion_request(chat_body(tools + R"(, "tool_choice": "none")"))
                  .tools.is_null());
  EXPECT_EQ(
      parse_chat_completion_request(chat_body(tools + R"(, "tool_choice": "auto")")).tools.size(),
      1u);
  EXPECT_EQ(parse_chat_completion_request(chat_body(tools)).tools.size(), 1u);
  EXPECT_TRUE(parse_chat_completion_request(chat_body(R"("tools": [])")).tools.is_null());
}

TEST(ChatRequest, ForcedToolCallsAreRefusedUntilConstrainedDecoding) {
  const std::string tools = R"("tools": [{"type": "function", "function": {"name": "f"}}])";
  expect_chat_error(chat_body(tools + R"(, "tool_choice": "required")"), "tool_choice",
                    "constrained decoding");
  expect_chat_error(
      chat_body(tools + R"(, "tool_choice": {"type": "function", "function": {"name": "f"}})"),
      "tool_choice", "constrained decoding");
  expect_chat_error(
      chat_body(tools + R"(, "tool_choice": {"type": "function", "function": {"name": "g"}})"),
      "tool_choice.function.name", "does not offer");
  expect_chat_error(chat_body(tools + R"(, "tool_choice": {"type": "function"})"),
                    "tool_choice.function.name", "is required");
  expect_chat_error(chat_body(tools + R"(, "tool_choice": "sometimes")"), "tool_choice",
                    "\"sometimes\"");
  expect_chat_error(chat_body(tools + R"(, "tool_choice": 3)"), "tool_choice", "a string");
}

TEST(ChatRequest, MalformedToolsNameThePath) {
  expect_chat_error(chat_body(R"("tools": {"type": "function"})"), "tools", "an array");
  expect_chat_error(chat_body(R"("tools": ["f"])"), "tools[0]", "an object");
  expect_chat_error(chat_body(R"("tools": [{"type": "code", "function": {"name": "f"}}])"),
                    "tools[0].type", "\"function\"");
  expect_chat_error(chat_body(R"("tools": [{"type": "function"}])"), "tools[0].function",
                    "is required");
  expect_chat_error(chat_body(R"("tools": [{"type": "function", "function": {}}])"),
                    "tools[0].function.name", "is required");
  expect_chat_error(chat_body(R"("tools": [{"type": "function", "function": {"name": "a b"}}])"),
                    "tools[0].function.name", "a-z");
  expect_chat_error(chat_body(R"("tools": [{"type": "function", "function": {"name": "f",
                    "parameters": "x"}}])"),
                    "tools[0].function.parameters", "JSON Schema object");
  expect_chat_error(chat_body(R"("tools": [{"type": "function", "function": {"name": "f"}},
                    {"type": "function", "function": {"name": "f"}}])"),
                    "tools[1].function.name", "repeats");
  expect_chat_error(chat_body(R"("chat_template_kwargs": [1])"), "chat_template_kwargs",
                    "an object");
  expect_chat_error(chat_body(R"("chat_template_kwargs": {"messages": []})"),
                    "chat_template_kwargs.messages", "cannot be overridden");
  expect_chat_error(chat_body(R"("parallel_tool_calls": "yes")"), "parallel_tool_calls", "boolean");
  expect_chat_error(
      R"({"model": "m", "messages": "raw", "tools": [{"type": "function", "function": {"name": "f"}}]})",
      "tools", "untemplated");
}

TEST(ChatRequest, FastChatsOwnApiTakesStringContentAndDefaultsTemperatureTo07) {
  const auto fastchat = parse_chat_completion_request(chat_body(""), ChatDialect::FastChat);
  EXPECT_FLOAT_EQ(fastchat.options.sampling.temperature, 0.7f);
  EXPECT_FLOAT_EQ(
      parse_chat_completion_request(chat_body(R"("temperature": 0.2)"), ChatDialect::FastChat)
          .options.sampling.temperature,
      0.2f);
  EXPECT_FLOAT_EQ(parse_chat_completion_request(chat_body("")).options.sampling.temperature, 1.0f);
  const std::string parts =
      R"({"model": "m", "messages": [{"role": "user", "content": "a"},
          {"role": "user", "content": [{"type": "text", "text": "b"}]}]})";
  EXPECT_NO_THROW(parse_chat_completion_request(parts));
  try {
    parse_chat_completion_request(parts, ChatDialect::FastChat);
    ADD_FAILURE() << "content parts are OpenAI's, not FastChat's";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().param, "messages[1].content");
  }
}

TEST(ChatRequest, LegacyFunctionCallingIsRefused) {
  expect_chat_error(chat_body(R"("functions": [{"name": "f"}])"), "functions", "use 'tools'");
  expect_chat_error(chat_body(R"("function_call": "auto")"), "function_call", "not supported");
  EXPECT_NO_THROW(parse_chat_completion_request(chat_body(R"("tools": null, "functions": null)")));
  EXPECT_NO_THROW(
      parse_chat_completion_request(chat_body(R"("functions": [], "function_call": "none")")));
}

TEST(ChatRequest, ResponseFormatJsonIsRefused) {
  expect_chat_error(chat_body(R"("response_format": {"type": "json_object"})"), "response_format",
                    "not supported");
  EXPECT_NO_THROW(
      parse_chat_completion_request(chat_body(R"("response_format": {"type": "text"})")));
}

TEST(ChatRequest, UnknownFieldsAreIgnored) {
  EXPECT_NO_THROW(parse_chat_completion_request(
      chat_body(R"("metadata": {"a": 1}, "store": false, "service_tier": "auto", "x": [[1]])")));
}

}  // namespace
}  // namespace fastchat::openai
