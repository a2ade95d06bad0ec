#include "protocol/openai/responses.h"

#include <gtest/gtest.h>

#include <cctype>
#include <limits>
#include <set>
#include <thread>

#include "protocol/openai/chunk_encoder.h"
#include "protocol/openai/json_text.h"
#include "protocol/openai/logprobs_json.h"

namespace fastchat::openai {
namespace {

using nlohmann::json;

TokenLogprob token(std::string text, float logprob,
                   std::vector<std::pair<std::string, float>> top = {}) {
  return TokenLogprob{std::move(text), logprob, std::move(top)};
}

void expect_envelope(const json& body, std::string_view object) {
  EXPECT_EQ(body.at("id"), "id-1");
  EXPECT_EQ(body.at("object"), object);
  EXPECT_EQ(body.at("created"), 1700000000);
  EXPECT_EQ(body.at("model"), "vicuna");
}

TEST(Responses, ChatCompletion) {
  std::vector<ChoiceResult> choices = {{0, "Hello", "stop", std::nullopt},
                                       {1, "Hi", "length", std::vector{token("Hi", -0.5f)}}};
  const json body = chat_completion("id-1", 1700000000, "vicuna", choices, Usage{10, 7});
  expect_envelope(body, "chat.completion");
  ASSERT_EQ(body.at("choices").size(), 2u);
  const json& first = body["choices"][0];
  EXPECT_EQ(first.at("index"), 0);
  EXPECT_EQ(first.at("message"), (json{{"role", "assistant"}, {"content", "Hello"}}));
  EXPECT_TRUE(first.at("logprobs").is_null());
  EXPECT_EQ(first.at("finish_reason"), "stop");
  const json& second = body["choices"][1];
  EXPECT_EQ(second.at("index"), 1);
  EXPECT_EQ(second.at("finish_reason"), "length");
  EXPECT_EQ(second.at("logprobs").at("content")[0].at("token"), "Hi");
  EXPECT_EQ(body.at("usage"),
            (json{{"prompt_tokens", 10}, {"completion_tokens", 7}, {"total_tokens", 17}}));
}

TEST(Responses, ChatCompletionWithReasoningAndToolCalls) {
  ChoiceResult calls{
      0,
      "",
      "tool_calls",
      std::nullopt,
      "I should look it up.",
      {{0, "call_1", "get_weather", R"({"city":"Paris"})"}, {1, "call_2", "get_time", "{}"}}};
  ChoiceResult answer{1, "Sunny.", "stop", std::nullopt, "", {}};
  const json body = chat_completion("id-1", 1700000000, "vicuna", {calls, answer}, Usage{1, 2});
  const json& message = body["choices"][0].at("message");
  EXPECT_TRUE(message.at("content").is_null());  // OpenAI's shape of a calls-only turn
  EXPECT_EQ(message.at("reasoning_content"), "I should look it up.");
  EXPECT_EQ(message.at("tool_calls"),
            json::parse(R"([{"id": "call_1", "type": "function", "function": {"name":
                "get_weather", "arguments": "{\"city\":\"Paris\"}"}}, {"id": "call_2", "type":
                "function", "function": {"name": "get_time", "arguments": "{}"}}])"));
  EXPECT_EQ(body["choices"][0].at("finish_reason"), "tool_calls");
  EXPECT_EQ(body["choices"][1].at("message"), (json{{"role", "assistant"}, {"content", "Sunny."}}));
}

TEST(Responses, ChatLogprobsCarryUtf8Bytes) {
  const json logprobs = chat_logprobs({token("é", -0.25f, {{"é", -0.25f}, {"e", -2.0f}}),
                                       token("\xe4", -std::numeric_limits<float>::infinity())});
  const json& content = logprobs.at("content");
  ASSERT_EQ(content.size(), 2u);
  EXPECT_EQ(content[0].at("token"), "é");
  EXPECT_DOUBLE_EQ(content[0].at("logprob").get<double>(), -0.25);
  EXPECT_EQ(content[0].at("bytes"), (json{0xC3, 0xA9}));
  ASSERT_EQ(content[0].at("top_logprobs").size(), 2u);
  EXPECT_EQ(content[0]["top_logprobs"][1],
            (json{{"token", "e"}, {"logprob", -2.0}, {"bytes", json{101}}}));
  // A partial UTF-8 token keeps its raw byte; -inf becomes OpenAI's -9999.
  EXPECT_EQ(content[1].at("bytes"), json{0xE4});
  EXPECT_EQ(content[1].at("logprob"), kMinLogprob);
  EXPECT_TRUE(content[1].at("top_logprobs").empty());
  // Serializing replaces the invalid byte instead of throwing.
  EXPECT_NE(dump_json(logprobs).find("\xEF\xBF\xBD"), std::string::npos);
}

// A chunk as the client reads it: the JSON of one "data: ...\n\n" event.
json chunk_of(const ChunkEncoder& encoder, const ChoiceDelta& delta, std::size_t text_offset = 0) {
  const std::string event = encoder.event(delta, text_offset);
  EXPECT_EQ(event.rfind("data: ", 0), 0u) << event;
  EXPECT_EQ(event.substr(event.size() - 2), "\n\n") << event;
  return json::parse(event.substr(6, event.size() - 8));
}

TEST(Responses, ChatChunks) {
  const ChunkEncoder with_logprobs(true, "id-1", 1700000000, "vicuna", true);
  const ChunkEncoder plain(true, "id-1", 1700000000, "vicuna", false);
  ChoiceDelta first{0, "", {}, std::nullopt, true};
  json chunk = chunk_of(plain, first);
  expect_envelope(chunk, "chat.completion.chunk");
  ASSERT_EQ(chunk.at("choices").size(), 1u);
  EXPECT_EQ(chunk["choices"][0].at("index"), 0);
  EXPECT_EQ(chunk["choices"][0].at("delta"), (json{{"role", "assistant"}, {"content", ""}}));
  EXPECT_TRUE(chunk["choices"][0].at("logprobs").is_null());
  EXPECT_TRUE(chunk["choices"][0].at("finish_reason").is_null());

  ChoiceDelta middle{2, "lo", {token("lo", -0.1f)}, std::nullopt, false};
  chunk = chunk_of(with_logprobs, middle);
  expect_envelope(chunk, "chat.completion.chunk");
  EXPECT_EQ(chunk["choices"][0].at("index"), 2);
  EXPECT_EQ(chunk["choices"][0].at("delta"), (json{{"content", "lo"}}));
  EXPECT_EQ(chunk["choices"][0].at("logprobs").at("content")[0].at("token"), "lo");
  // Without with_logprobs the tokens are not sent.
  EXPECT_TRUE(chunk_of(plain, middle)["choices"][0]["logprobs"].is_null());

  ChoiceDelta finish{2, "", {}, "stop", false};
  chunk = chunk_of(with_logprobs, finish);
  expect_envelope(chunk, "chat.completion.chunk");
  EXPECT_EQ(chunk["choices"][0].at("delta"), json::object());
  EXPECT_EQ(chunk["choices"][0].at("finish_reason"), "stop");
  EXPECT_TRUE(chunk["choices"][0].at("logprobs").is_null());

  ChoiceDelta thought{0, "", {}, std::nullopt, false, "hmm"};
  chunk = chunk_of(plain, thought);
  EXPECT_EQ(chunk["choices"][0].at("delta"), (json{{"content", ""}, {"reasoning_content", "hmm"}}));

  // A tool call in pieces: id, type and name first (role and content null on a choice's first
  // chunk), then argument fragments.
  ChoiceDelta call_start{0, "", {}, std::nullopt, true, "", ToolCallDelta{0, "call_1", "f", ""}};
  EXPECT_EQ(chunk_of(plain, call_start)["choices"][0].at("delta"),
            json::parse(R"({"role": "assistant", "content": null, "tool_calls": [{"index": 0,
                "id": "call_1", "type": "function", "function": {"name": "f", "arguments": ""}}]})"));
  call_start.first = false;
  EXPECT_EQ(chunk_of(plain, call_start)["choices"][0].at("delta"),
            json::parse(R"({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                "function": {"name": "f", "arguments": ""}}]})"));
  ChoiceDelta call_args{0, "", {}, "tool_calls", false, "", ToolCallDelta{1, "", "", "{\"a\":"}};
  chunk = chunk_of(plain, call_args);
  EXPECT_EQ(chunk["choices"][0].at("delta"),
            json::parse(R"({"tool_calls": [{"index": 1, "function": {"arguments": "{\"a\":"}}]})"));
  EXPECT_EQ(chunk["choices"][0].at("finish_reason"), "tool_calls");

  ChoiceDelta last_text{0, "!", {}, "length", false};
  chunk = chunk_of(plain, last_text);
  EXPECT_EQ(chunk["choices"][0].at("delta"), (json{{"content", "!"}}));
  EXPECT_EQ(chunk["choices"][0].at("finish_reason"), "length");
}

TEST(Responses, Completion) {
  std::vector<ChoiceResult> choices = {{0, "a b", "length",
                                        std::vector{token("a", -1.0f, {{"a", -1.0f}, {"x", -3.0f}}),
                                                    token(" b", -0.5f, {{" b", -0.5f}})}},
                                       {1, "c", "stop", std::nullopt}};
  const json body = completion("id-1", 1700000000, "vicuna", choices, Usage{3, 4});
  expect_envelope(body, "text_completion");
  const json& first = body.at("choices")[0];
  EXPECT_EQ(first.at("index"), 0);
  EXPECT_EQ(first.at("text"), "a b");
  EXPECT_EQ(first.at("finish_reason"), "length");
  const json& logprobs = first.at("logprobs");
  EXPECT_EQ(logprobs.at("tokens"), (json{"a", " b"}));
  EXPECT_EQ(logprobs.at("token_logprobs"), (json{-1.0, -0.5}));
  EXPECT_EQ(logprobs.at("top_logprobs"), (json{{{"a", -1.0}, {"x", -3.0}}, {{" b", -0.5}}}));
  EXPECT_EQ(logprobs.at("text_offset"), (json{0, 1}));
  EXPECT_TRUE(body["choices"][1].at("logprobs").is_null());
  EXPECT_EQ(body.at("usage").at("total_tokens"), 7);
}

TEST(Responses, CompletionChunksContinueTextOffsets) {
  const ChunkEncoder encoder(false, "id-1", 1700000000, "vicuna", true);
  ChoiceDelta delta{1, "éa", {token("é", -1.0f), token("a", -2.0f)}, std::nullopt, false};
  const json chunk = chunk_of(encoder, delta, 5);
  expect_envelope(chunk, "text_completion");
  const json& choice = chunk.at("choices")[0];
  EXPECT_EQ(choice.at("index"), 1);
  EXPECT_EQ(choice.at("text"), "éa");
  EXPECT_TRUE(choice.at("finish_reason").is_null());
  // "é" is one character though two bytes.
  EXPECT_EQ(choice.at("logprobs").at("text_offset"), (json{5, 6}));
  EXPECT_FALSE(choice.contains("usage"));
  EXPECT_FALSE(chunk.contains("usage"));

  ChoiceDelta finish{1, "", {}, "stop", false};
  const json last = chunk_of(encoder, finish);
  EXPECT_EQ(last["choices"][0].at("text"), "");
  EXPECT_EQ(last["choices"][0].at("finish_reason"), "stop");
  EXPECT_TRUE(last["choices"][0].at("logprobs").is_null());
}

TEST(Responses, ChunkTextIsEscapedAndInvalidUtf8Replaced) {
  const ChunkEncoder encoder(false, "id-\"1", 1, "a/\\model", false);
  ChoiceDelta delta{
      0, "quote \" backslash \\ newline \n tab \t bell \x07 bad \xE4 end", {}, "stop", false};
  const json chunk = chunk_of(encoder, delta);
  EXPECT_EQ(chunk.at("id"), "id-\"1");
  EXPECT_EQ(chunk.at("model"), "a/\\model");
  EXPECT_EQ(chunk["choices"][0].at("text"),
            "quote \" backslash \\ newline \n tab \t bell \x07 bad \xEF\xBF\xBD end");
}

TEST(Responses, Utf8Length) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("é😀"), 2u);
}

TEST(Responses, UsageChunkHasEmptyChoices) {
  const json chunk =
      usage_chunk("id-1", 1700000000, "vicuna", kChatCompletionChunkObject, Usage{12, 30});
  expect_envelope(chunk, "chat.completion.chunk");
  ASSERT_TRUE(chunk.at("choices").is_array());
  EXPECT_TRUE(chunk.at("choices").empty());
  EXPECT_EQ(chunk.at("usage"),
            (json{{"prompt_tokens", 12}, {"completion_tokens", 30}, {"total_tokens", 42}}));
  EXPECT_EQ(usage_chunk("id-1", 1, "m", kTextCompletionObject, Usage{}).at("object"),
            "text_completion");
}

TEST(Responses, ModelList) {
  const json list = model_list({"a", "b"}, 1700000000);
  EXPECT_EQ(list.at("object"), "list");
  ASSERT_EQ(list.at("data").size(), 2u);
  EXPECT_EQ(
      list["data"][1],
      (json{{"id", "b"}, {"object", "model"}, {"created", 1700000000}, {"owned_by", "fastchat"}}));
  EXPECT_EQ(model_list({}, 0).at("data"), json::array());
}

TEST(Responses, ErrorBodies) {
  json body = error_body(Error{ErrorCode::InvalidRequest, "'n' must be ...", "n"});
  EXPECT_EQ(body, (json{{"error",
                         {{"message", "'n' must be ..."},
                          {"type", "invalid_request_error"},
                          {"param", "n"},
                          {"code", "invalid_request_error"}}}}));
  body = error_body(Error{ErrorCode::InvalidRequest, "bad json", ""});
  EXPECT_TRUE(body.at("error").at("param").is_null());
  body = error_body(Error{ErrorCode::ContextLengthExceeded, "too long", "messages"});
  EXPECT_EQ(body["error"]["type"], "invalid_request_error");
  EXPECT_EQ(body["error"]["code"], "context_length_exceeded");
  body = error_body(Error{ErrorCode::NotFound, "no such model", "model"});
  EXPECT_EQ(body["error"]["type"], "not_found_error");
  EXPECT_EQ(body["error"]["code"], "model_not_found");
  body = error_body(Error{ErrorCode::NotFound, "no route", ""});
  EXPECT_EQ(body["error"]["code"], "not_found_error");
  body = error_body(Error{ErrorCode::Unauthorized, "bad key", ""});
  EXPECT_EQ(body["error"]["code"], "invalid_api_key");
  body = error_body(Error{ErrorCode::Overloaded, "busy", ""});
  EXPECT_EQ(body["error"]["type"], "rate_limit_exceeded");
  EXPECT_EQ(body["error"]["code"], "rate_limit_exceeded");
  // A message echoing invalid UTF-8 still serializes.
  EXPECT_NO_THROW(dump_json(error_body(Error{ErrorCode::InvalidRequest, "bad \xff", ""})));
}

TEST(Responses, IdsArePrefixedRandomAlphanumerics) {
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    const std::string id = make_id("chatcmpl-");
    ASSERT_EQ(id.size(), 9u + 24u);
    EXPECT_EQ(id.substr(0, 9), "chatcmpl-");
    for (const char c : id.substr(9)) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)));
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 100u);
  std::string other;
  std::thread([&] { other = make_id("cmpl-"); }).join();
  EXPECT_EQ(other.size(), 5u + 24u);
  EXPECT_EQ(ids.count("chatcmpl-" + other.substr(5)), 0u);
}

}  // namespace
}  // namespace fastchat::openai
