#include "protocol/openai/generation_options.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "expect_error.h"

namespace fastchat::openai {
namespace {

using nlohmann::json;
using testing::expect_invalid;

GenerationOptions parse(const char* body, int32_t default_max_tokens = 16) {
  return parse_generation_options(json::parse(body), default_max_tokens);
}

void expect_field_error(const char* body, const std::string& param,
                        const std::string& fragment = {}) {
  SCOPED_TRACE(body);
  expect_invalid([&] { parse(body); }, param, fragment);
}

TEST(GenerationOptions, DefaultsAreOpenAis) {
  const GenerationOptions options = parse("{}", 16);
  EXPECT_FLOAT_EQ(options.sampling.temperature, 1.0f);
  EXPECT_FLOAT_EQ(options.sampling.top_p, 1.0f);
  EXPECT_EQ(options.sampling.top_k, -1);
  EXPECT_FLOAT_EQ(options.sampling.min_p, 0.0f);
  EXPECT_FLOAT_EQ(options.sampling.presence_penalty, 0.0f);
  EXPECT_FLOAT_EQ(options.sampling.frequency_penalty, 0.0f);
  EXPECT_FLOAT_EQ(options.sampling.repetition_penalty, 1.0f);
  EXPECT_EQ(options.sampling.max_tokens, 16);
  EXPECT_FALSE(options.max_tokens_set);
  EXPECT_EQ(options.sampling.min_tokens, 0);
  EXPECT_FALSE(options.sampling.ignore_eos);
  EXPECT_TRUE(options.sampling.stop.empty());
  EXPECT_TRUE(options.sampling.logit_bias.empty());
  EXPECT_FALSE(options.sampling.seed.has_value());
  EXPECT_EQ(options.sampling.logprobs, -1);
  EXPECT_EQ(options.n, 1);
  EXPECT_FALSE(options.stream);
  EXPECT_FALSE(options.include_usage);
  EXPECT_EQ(options.user, "");
  EXPECT_EQ(parse("{}", kUnboundedMaxTokens).sampling.max_tokens, kUnboundedMaxTokens);
}

TEST(GenerationOptions, NullMeansNotGiven) {
  const GenerationOptions options = parse(R"({"temperature": null, "n": null, "stop": null,
      "max_tokens": null, "seed": null, "logit_bias": null, "stream": null, "user": null,
      "stream_options": null, "response_format": null})");
  EXPECT_FLOAT_EQ(options.sampling.temperature, 1.0f);
  EXPECT_EQ(options.n, 1);
  EXPECT_FALSE(options.max_tokens_set);
}

TEST(GenerationOptions, ReadsEveryField) {
  const GenerationOptions options = parse(R"({
      "temperature": 0.5, "top_p": 0.9, "top_k": 40, "min_p": 0.05,
      "presence_penalty": -1.5, "frequency_penalty": 2, "repetition_penalty": 1.2,
      "n": 3, "max_tokens": 100, "min_tokens": 10, "ignore_eos": true,
      "stop": ["###", "\n\n"], "seed": 42, "logit_bias": {"50256": -100, "7": 2.5},
      "stream": true, "stream_options": {"include_usage": true}, "user": "u-1",
      "response_format": {"type": "text"}, "unknown_field": [1, 2]})");
  const auto& s = options.sampling;
  EXPECT_FLOAT_EQ(s.temperature, 0.5f);
  EXPECT_FLOAT_EQ(s.top_p, 0.9f);
  EXPECT_EQ(s.top_k, 40);
  EXPECT_FLOAT_EQ(s.min_p, 0.05f);
  EXPECT_FLOAT_EQ(s.presence_penalty, -1.5f);
  EXPECT_FLOAT_EQ(s.frequency_penalty, 2.0f);
  EXPECT_FLOAT_EQ(s.repetition_penalty, 1.2f);
  EXPECT_EQ(options.n, 3);
  EXPECT_EQ(s.max_tokens, 100);
  EXPECT_TRUE(options.max_tokens_set);
  EXPECT_EQ(s.min_tokens, 10);
  EXPECT_TRUE(s.ignore_eos);
  EXPECT_EQ(s.stop, (std::vector<std::string>{"###", "\n\n"}));
  EXPECT_EQ(s.seed, 42u);
  // Keys come back in the object's (sorted) key order.
  const std::vector<std::pair<int32_t, float>> bias = {{50256, -100.0f}, {7, 2.5f}};
  EXPECT_EQ(s.logit_bias, bias);
  EXPECT_TRUE(options.stream);
  EXPECT_TRUE(options.include_usage);
  EXPECT_EQ(options.user, "u-1");
}

TEST(GenerationOptions, RangeBoundsAreAccepted) {
  EXPECT_FLOAT_EQ(parse(R"({"temperature": 0})").sampling.temperature, 0.0f);
  EXPECT_FLOAT_EQ(parse(R"({"temperature": 2})").sampling.temperature, 2.0f);
  EXPECT_FLOAT_EQ(parse(R"({"top_p": 1})").sampling.top_p, 1.0f);
  EXPECT_FLOAT_EQ(parse(R"({"min_p": 1})").sampling.min_p, 1.0f);
  EXPECT_FLOAT_EQ(parse(R"({"presence_penalty": -2})").sampling.presence_penalty, -2.0f);
  EXPECT_EQ(parse(R"({"n": 16})").n, kMaxChoices);
  EXPECT_EQ(parse(R"({"n": 2.0})").n, 2);
  EXPECT_EQ(parse(R"({"max_tokens": 1})").sampling.max_tokens, 1);
}

TEST(GenerationOptions, WrongTypesNameTheFieldAndTheType) {
  expect_field_error(R"({"temperature": "0.5"})", "temperature",
                     "'temperature' must be a number, got string");
  expect_field_error(R"({"temperature": true})", "temperature", "must be a number, got boolean");
  expect_field_error(R"({"top_p": [1]})", "top_p", "got array");
  expect_field_error(R"({"top_k": 1.5})", "top_k", "must be an integer");
  expect_field_error(R"({"min_p": {}})", "min_p", "got object");
  expect_field_error(R"({"presence_penalty": "x"})", "presence_penalty", "must be a number");
  expect_field_error(R"({"frequency_penalty": false})", "frequency_penalty", "must be a number");
  expect_field_error(R"({"repetition_penalty": "1"})", "repetition_penalty", "must be a number");
  expect_field_error(R"({"n": "2"})", "n", "must be an integer, got string");
  expect_field_error(R"({"n": 1.5})", "n", "must be an integer, got 1.5");
  expect_field_error(R"({"max_tokens": "10"})", "max_tokens", "must be an integer");
  expect_field_error(R"({"max_completion_tokens": true})", "max_completion_tokens",
                     "must be an integer, got boolean");
  expect_field_error(R"({"min_tokens": "1"})", "min_tokens", "must be an integer");
  expect_field_error(R"({"ignore_eos": 1})", "ignore_eos", "must be a boolean, got number");
  expect_field_error(R"({"stop": 5})", "stop", "must be a string or an array of strings");
  expect_field_error(R"({"stop": ["a", 5]})", "stop[1]", "must be a string, got number");
  expect_field_error(R"({"seed": "42"})", "seed", "must be an integer, got string");
  expect_field_error(R"({"seed": 4.2})", "seed", "must be an integer");
  expect_field_error(R"({"logit_bias": [1]})", "logit_bias", "must be an object");
  expect_field_error(R"({"logit_bias": {"5": "x"}})", "logit_bias.5", "must be a number");
  expect_field_error(R"({"stream": "true"})", "stream", "must be a boolean, got string");
  expect_field_error(R"({"stream": true, "stream_options": true})", "stream_options",
                     "must be an object");
  expect_field_error(R"({"stream": true, "stream_options": {"include_usage": 1}})",
                     "stream_options.include_usage", "must be a boolean");
  expect_field_error(R"({"user": 7})", "user", "must be a string, got number");
}

TEST(GenerationOptions, OutOfRangeValuesNameTheRangeAndTheValue) {
  expect_field_error(R"({"temperature": 2.5})", "temperature",
                     "'temperature' must be in [0, 2], got 2.5");
  expect_field_error(R"({"temperature": -0.1})", "temperature", "[0, 2]");
  expect_field_error(R"({"top_p": 1.5})", "top_p", "'top_p' must be in (0, 1], got 1.5");
  expect_field_error(R"({"top_p": 0})", "top_p", "(0, 1]");
  expect_field_error(R"({"top_k": -2})", "top_k", "got -2");
  expect_field_error(R"({"top_k": 3000000000})", "top_k", "[1, 2147483647], got 3000000000");
  expect_field_error(R"({"min_p": 1.01})", "min_p", "[0, 1]");
  expect_field_error(R"({"presence_penalty": 2.1})", "presence_penalty", "[-2, 2]");
  expect_field_error(R"({"frequency_penalty": -3})", "frequency_penalty", "[-2, 2]");
  expect_field_error(R"({"repetition_penalty": 0})", "repetition_penalty", "(0, ");
  expect_field_error(R"({"n": 0})", "n", "[1, 16], got 0");
  expect_field_error(R"({"n": 17})", "n", "'n' must be in [1, 16], got 17");
  expect_field_error(R"({"max_tokens": 0})", "max_tokens", "[1, 2147483647], got 0");
  expect_field_error(R"({"max_tokens": 3000000000})", "max_tokens", "got 3000000000");
  expect_field_error(R"({"max_completion_tokens": -1})", "max_completion_tokens", "got -1");
  expect_field_error(R"({"min_tokens": -1})", "min_tokens", "[0, 16]");
  expect_field_error(R"({"max_tokens": 5, "min_tokens": 6})", "min_tokens",
                     "'min_tokens' must be in [0, 5], got 6");
  expect_field_error(R"({"logit_bias": {"5": 100.5}})", "logit_bias.5", "[-100, 100]");
}

TEST(GenerationOptions, ResultPassesTheWorkersValidation) {
  // What the API accepts must never be refused later by protocol::validate (with a vocab that
  // holds the biased ids), for either endpoint default.
  const char* body = R"({"temperature": 2, "top_p": 0.1, "top_k": 0, "min_p": 1,
      "presence_penalty": 2, "frequency_penalty": -2, "repetition_penalty": 1000,
      "min_tokens": 16, "stop": ["x"], "seed": -1, "logit_bias": {"31999": 100}})";
  for (const int32_t default_max_tokens : {kCompletionDefaultMaxTokens, kUnboundedMaxTokens}) {
    const GenerationOptions options = parse(body, default_max_tokens);
    EXPECT_NO_THROW(protocol::validate(options.sampling, 32000));
  }
}

TEST(GenerationOptions, TopKZeroAndMinusOneMeanOff) {
  EXPECT_EQ(parse(R"({"top_k": 0})").sampling.top_k, -1);
  EXPECT_EQ(parse(R"({"top_k": -1})").sampling.top_k, -1);
  EXPECT_EQ(parse(R"({"top_k": 1})").sampling.top_k, 1);
}

TEST(GenerationOptions, MaxCompletionTokensAndMaxTokens) {
  const auto newer = parse(R"({"max_completion_tokens": 64})", kUnboundedMaxTokens);
  EXPECT_EQ(newer.sampling.max_tokens, 64);
  EXPECT_TRUE(newer.max_tokens_set);
  const auto both = parse(R"({"max_completion_tokens": 64, "max_tokens": 64.0})");
  EXPECT_EQ(both.sampling.max_tokens, 64);
  expect_field_error(R"({"max_completion_tokens": 64, "max_tokens": 32})", "max_completion_tokens",
                     "disagree");
  // min_tokens is bounded by whichever was given; with chat's unbounded default it is free.
  expect_field_error(R"({"max_completion_tokens": 4, "min_tokens": 5})", "min_tokens", "[0, 4]");
  EXPECT_EQ(parse(R"({"min_tokens": 500})", kUnboundedMaxTokens).sampling.min_tokens, 500);
}

TEST(GenerationOptions, StopIsAStringOrAListOfUpTo16) {
  EXPECT_EQ(parse(R"({"stop": "###"})").sampling.stop, std::vector<std::string>{"###"});
  EXPECT_TRUE(parse(R"({"stop": []})").sampling.stop.empty());
  expect_field_error(R"({"stop": ""})", "stop", "must not be empty");
  expect_field_error(R"({"stop": ["a", ""]})", "stop[1]", "must not be empty");
  json sixteen = json::array();
  for (int i = 0; i < 16; ++i) sixteen.push_back(std::to_string(i));
  EXPECT_EQ(parse_generation_options(json{{"stop", sixteen}}, 16).sampling.stop.size(), 16u);
  sixteen.push_back("16");
  expect_invalid(
      [&] {
        parse_generation_options(json{{"stop", sixteen}}, 16);
      },
      "stop", "at most 16 strings, got 17");
}

TEST(GenerationOptions, SeedMapsNegativesDeterministically) {
  EXPECT_EQ(parse(R"({"seed": 0})").sampling.seed, 0u);
  EXPECT_EQ(parse(R"({"seed": -1})").sampling.seed, UINT64_MAX);
  EXPECT_EQ(parse(R"({"seed": -2})").sampling.seed, UINT64_MAX - 1);
  EXPECT_EQ(parse(R"({"seed": 18446744073709551615})").sampling.seed, UINT64_MAX);
  EXPECT_EQ(parse(R"({"seed": 7.0})").sampling.seed, 7u);
  EXPECT_EQ(parse(R"({"seed": -5})").sampling.seed, parse(R"({"seed": -5})").sampling.seed);
}

TEST(GenerationOptions, LogitBiasKeysAreTokenIds) {
  for (const char* key : {"-1", "abc", "1.5", "", "+3", " 3", "3 ", "99999999999", "0x10"}) {
    const json body = json{{"logit_bias", json{{key, 1}}}};
    SCOPED_TRACE(key);
    expect_invalid([&] { parse_generation_options(body, 16); }, "logit_bias", "token ids");
  }
  EXPECT_EQ(parse(R"({"logit_bias": {"0": 0}})").sampling.logit_bias.size(), 1u);
  EXPECT_TRUE(parse(R"({"logit_bias": {}})").sampling.logit_bias.empty());
}

TEST(GenerationOptions, LogitBiasHasAtMost300Entries) {
  json bias = json::object();
  for (int i = 0; i < 300; ++i) bias[std::to_string(i)] = -1;
  EXPECT_EQ(parse_generation_options(json{{"logit_bias", bias}}, 16).sampling.logit_bias.size(),
            300u);
  bias["300"] = 1;
  expect_invalid(
      [&] {
        parse_generation_options(json{{"logit_bias", bias}}, 16);
      },
      "logit_bias", "at most 300 entries, got 301");
}

TEST(GenerationOptions, StreamOptionsNeedStream) {
  expect_field_error(R"({"stream_options": {"include_usage": true}})", "stream_options",
                     "only allowed when 'stream' is true");
  expect_field_error(R"({"stream": false, "stream_options": {}})", "stream_options",
                     "'stream' is true");
  const auto options = parse(R"({"stream": true, "stream_options": {}})");
  EXPECT_TRUE(options.stream);
  EXPECT_FALSE(options.include_usage);
}

TEST(GenerationOptions, ResponseFormatOtherThanTextIsRefused) {
  expect_field_error(R"({"response_format": {"type": "json_object"}})", "response_format",
                     "\"json_object\" is not supported");
  expect_field_error(R"({"response_format": {"type": "json_schema", "json_schema": {}}})",
                     "response_format", "not supported");
  expect_field_error(R"({"response_format": "json"})", "response_format", "not supported");
  expect_field_error(R"({"response_format": {}})", "response_format", "not supported");
  EXPECT_NO_THROW(parse(R"({"response_format": {"type": "text"}})"));
}

}  // namespace
}  // namespace fastchat::openai
