#include "protocol/generate_request.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "expect_error.h"

namespace fastchat::protocol {
namespace {

using nlohmann::json;
using testing::expect_invalid;

TEST(FastChatRequest, DefaultsAreFastChatsWorkerDefaults) {
  auto request = parse_fastchat_request(json{{"prompt", "Hello"}});
  EXPECT_EQ(request.prompt, "Hello");
  EXPECT_TRUE(request.echo);
  EXPECT_EQ(request.sampling.max_tokens, 256);
  EXPECT_FALSE(request.max_tokens_set);  // FastChat clamps to the context instead of failing
  EXPECT_FLOAT_EQ(request.sampling.temperature, 1.0f);
  EXPECT_EQ(request.sampling.logprobs, -1);
}

TEST(FastChatRequest, ReadsItsFields) {
  auto request = parse_fastchat_request(json{{"model", "m"},
                                             {"prompt", "p"},
                                             {"temperature", 0.5},
                                             {"top_p", 0.9},
                                             {"top_k", 0},
                                             {"repetition_penalty", 1.2},
                                             {"max_new_tokens", 32},
                                             {"stop", "###"},
                                             {"stop_token_ids", {2, 7}},
                                             {"echo", false},
                                             {"logprobs", 1},
                                             {"seed", 42}});
  EXPECT_FLOAT_EQ(request.sampling.top_p, 0.9f);
  EXPECT_EQ(request.sampling.top_k, -1);  // 0 means off
  EXPECT_EQ(request.sampling.max_tokens, 32);
  EXPECT_EQ(request.sampling.stop, std::vector<std::string>{"###"});
  EXPECT_EQ(request.sampling.stop_token_ids, (std::vector<int32_t>{2, 7}));
  EXPECT_FALSE(request.echo);
  EXPECT_EQ(request.sampling.logprobs, 1);
  EXPECT_EQ(request.sampling.seed, 42u);
}

TEST(FastChatRequest, TinyTopPMeansGreedyAsInFastChat) {
  auto request =
      parse_fastchat_request(json{{"prompt", "p"}, {"top_p", 0.0}, {"temperature", 0.7}});
  EXPECT_TRUE(request.sampling.is_greedy());
  EXPECT_FLOAT_EQ(request.sampling.top_p, 1.0f);
}

TEST(FastChatRequest, RejectsBadFieldsByName) {
  expect_invalid([] { parse_fastchat_request(json::object()); }, "prompt", "is required");
  expect_invalid([] { parse_fastchat_request(json{{"prompt", 3}}); }, "prompt", "must be a string");
  expect_invalid(
      [] {
        parse_fastchat_request(json{{"prompt", "p"}, {"temperature", "hot"}});
      },
      "temperature", "must be a number");
  expect_invalid(
      [] {
        parse_fastchat_request(json{{"prompt", "p"}, {"max_new_tokens", 0}});
      },
      "max_new_tokens");
  expect_invalid([] { parse_fastchat_request(json{{"prompt", "p"}, {"stop", {1}}}); }, "stop[0]");
  expect_invalid(
      [] {
        parse_fastchat_request(json{{"prompt", "p"}, {"stop_token_ids", {-1}}});
      },
      "stop_token_ids[0]");
  // Range rules come from protocol::validate, with the same field names.
  try {
    parse_fastchat_request(json{{"prompt", "p"}, {"temperature", -1}});
    FAIL();
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().param, "temperature");
  }
}

TEST(NativeRequest, NeedsExactlyOneOfPromptAndMessages) {
  expect_invalid([] { parse_native_request(json::object()); }, "prompt", "exactly one");
  expect_invalid(
      [] {
        parse_native_request(json{{"prompt", "a"}, {"messages", json::array()}});
      },
      "prompt", "exactly one");
  expect_invalid(
      [] {
        parse_native_request(json{{"messages", json::array()}});
      },
      "messages", "at least one message");
  auto chat = parse_native_request(
      json{{"messages", {{{"role", "user"}, {"content", "hi"}}}}, {"max_tokens", 5}});
  ASSERT_TRUE(chat.messages.has_value());
  EXPECT_EQ(chat.messages->at(0).content, "hi");
  EXPECT_TRUE(chat.max_tokens_set);
  EXPECT_FALSE(chat.echo);
}

TEST(NativeRequest, RoundTripsEveryField) {
  GenerateRequest request;
  request.prompt = "Once upon a time";
  request.echo = true;
  request.max_tokens_set = false;  // a default that may be clamped
  auto& s = request.sampling;
  s.temperature = 0.3f;
  s.top_p = 0.8f;
  s.top_k = 40;
  s.min_p = 0.05f;
  s.repetition_penalty = 1.1f;
  s.presence_penalty = 0.5f;
  s.frequency_penalty = -0.5f;
  s.logit_bias = {{5, -100.0f}, {9, 2.5f}};
  s.seed = 18446744073709551615ull;
  s.logprobs = 3;
  s.max_tokens = 16;
  s.min_tokens = 2;
  s.ignore_eos = true;
  s.stop = {"\n\n", "END"};
  s.stop_token_ids = {1};
  auto back = parse_native_request(to_native_json(request));
  EXPECT_EQ(back.prompt, request.prompt);
  EXPECT_TRUE(back.echo);
  EXPECT_FALSE(back.max_tokens_set);
  const auto& b = back.sampling;
  EXPECT_FLOAT_EQ(b.temperature, s.temperature);
  EXPECT_FLOAT_EQ(b.top_p, s.top_p);
  EXPECT_EQ(b.top_k, s.top_k);
  EXPECT_FLOAT_EQ(b.min_p, s.min_p);
  EXPECT_FLOAT_EQ(b.repetition_penalty, s.repetition_penalty);
  EXPECT_FLOAT_EQ(b.presence_penalty, s.presence_penalty);
  EXPECT_FLOAT_EQ(b.frequency_penalty, s.frequency_penalty);
  EXPECT_EQ(b.logit_bias, s.logit_bias);
  EXPECT_EQ(b.seed, s.seed);
  EXPECT_EQ(b.logprobs, 3);
  EXPECT_EQ(b.max_tokens, 16);
  EXPECT_EQ(b.min_tokens, 2);
  EXPECT_TRUE(b.ignore_eos);
  EXPECT_EQ(b.stop, s.stop);
  EXPECT_EQ(b.stop_token_ids, s.stop_token_ids);

  request.max_tokens_set = true;
  EXPECT_TRUE(parse_native_request(to_native_json(request)).max_tokens_set);
}

TEST(NativeRequest, ChatInputsRoundTripInTheClientsKeyOrder) {
  GenerateRequest request;
  request.messages = parse_chat_messages(json::parse(R"([
      {"role": "user", "content": "Weather?"},
      {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function",
          "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}]},
      {"role": "tool", "tool_call_id": "c1", "content": "sunny"}])"));
  request.tools = nlohmann::ordered_json::parse(
      R"([{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"},
          "description": "d"}}])");
  request.chat_template_kwargs = nlohmann::ordered_json::parse(R"({"z": 1, "a": false})");
  request.parallel_tool_calls = false;
  // Through a key-sorting JSON value and its text, as the server sends it and the worker reads it.
  auto back = parse_native_request(json::parse(to_native_json(request).dump()));
  EXPECT_EQ(back.messages, request.messages);
  EXPECT_EQ(back.tools.dump(), request.tools.dump());
  EXPECT_EQ(back.chat_template_kwargs.dump(), R"({"z":1,"a":false})");
  EXPECT_FALSE(back.parallel_tool_calls);

  GenerateRequest plain;
  plain.messages = request.messages;
  auto plain_back = parse_native_request(to_native_json(plain));
  EXPECT_TRUE(plain_back.tools.is_null());
  EXPECT_TRUE(plain_back.chat_template_kwargs.empty());
  EXPECT_TRUE(plain_back.parallel_tool_calls);
}

TEST(NativeRequest, ChatInputsAreValidated) {
  const json messages = json::parse(R"([{"role": "user", "content": "x"}])");
  auto expect_invalid = [](const json& body, const std::string& param) {
    try {
      parse_native_request(body);
      ADD_FAILURE() << body.dump();
    } catch (const ErrorException& e) {
      EXPECT_EQ(e.error().code, ErrorCode::InvalidRequest) << body.dump();
      EXPECT_EQ(e.error().param, param) << e.error().message;
    }
  };
  expect_invalid({{"messages", messages}, {"tools", "not json"}}, "tools");
  expect_invalid({{"messages", messages}, {"tools", R"([{"type": "function"}])"}},
                 "tools[0].function");
  expect_invalid({{"messages", messages}, {"tools", json::array()}}, "tools");
  expect_invalid({{"prompt", "x"}, {"tools", "[]"}}, "tools");
  expect_invalid({{"messages", messages}, {"chat_template_kwargs", R"({"tools": 1})"}},
                 "chat_template_kwargs.tools");
  expect_invalid({{"messages", messages}, {"parallel_tool_calls", 1}}, "parallel_tool_calls");
}

TEST(NativeRequest, UnsetMaxTokensMeansAsManyAsFit) {
  auto request = parse_native_request(json{{"prompt", "x"}});
  EXPECT_FALSE(request.max_tokens_set);
  EXPECT_EQ(request.sampling.max_tokens, std::numeric_limits<int32_t>::max());
  EXPECT_FALSE(to_native_json(request).contains("max_tokens"));
}

}  // namespace
}  // namespace fastchat::protocol
