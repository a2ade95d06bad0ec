#include "protocol/openai/completion_request.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "expect_error.h"

namespace fastchat::openai {
namespace {

using nlohmann::json;
using testing::expect_invalid;

void expect_completion_error(const std::string& body, const std::string& param,
                             const std::string& fragment = {}) {
  SCOPED_TRACE(body);
  expect_invalid([&] { parse_completion_request(body); }, param, fragment);
}

std::string completion_body(const std::string& extra) {
  return R"({"model": "m", "prompt": "Once upon")" +
         (extra.empty() ? std::string() : ", " + extra) + "}";
}

TEST(CompletionRequest, MinimalRequestGetsOpenAiDefaults) {
  const auto request = parse_completion_request(completion_body(""));
  EXPECT_EQ(request.model, "m");
  EXPECT_EQ(request.prompts, std::vector<std::string>{"Once upon"});
  EXPECT_FALSE(request.echo);
  EXPECT_EQ(request.logprobs, -1);
  EXPECT_EQ(request.options.sampling.logprobs, -1);
  EXPECT_EQ(request.options.sampling.max_tokens, 16);
  EXPECT_FALSE(request.options.max_tokens_set);
  EXPECT_FLOAT_EQ(request.options.sampling.temperature, 1.0f);
  EXPECT_EQ(request.options.n, 1);
}

TEST(CompletionRequest, PromptIsAStringOrAListOfStrings) {
  const auto request = parse_completion_request(R"({"model": "m", "prompt": ["a", "", "c"]})");
  EXPECT_EQ(request.prompts, (std::vector<std::string>{"a", "", "c"}));
  EXPECT_EQ(parse_completion_request(R"({"model": "m", "prompt": ""})").prompts,
            std::vector<std::string>{""});
  expect_completion_error(R"({"model": "m"})", "prompt", "is required");
  expect_completion_error(R"({"model": "m", "prompt": null})", "prompt", "is required");
  expect_completion_error(R"({"model": "m", "prompt": []})", "prompt",
                          "must not be an empty array");
  expect_completion_error(R"({"model": "m", "prompt": {"a": 1}})", "prompt",
                          "must be a string or an array of strings, got object");
  expect_completion_error(R"({"model": "m", "prompt": ["a", true]})", "prompt[1]",
                          "must be a string, got boolean");
}

TEST(CompletionRequest, TokenIdPromptsAreRefusedForLackOfATokenizer) {
  expect_completion_error(R"({"model": "m", "prompt": [1, 2, 3]})", "prompt", "no tokenizer");
  expect_completion_error(R"({"model": "m", "prompt": [[1, 2], [3]]})", "prompt", "token ids");
  expect_completion_error(R"({"model": "m", "prompt": ["a", [3]]})", "prompt[1]", "token ids");
}

TEST(CompletionRequest, PromptCountIsBounded) {
  json body{{"model", "m"}, {"prompt", std::vector<std::string>(kMaxPrompts, "p")}};
  EXPECT_EQ(parse_completion_request(body.dump()).prompts.size(), kMaxPrompts);
  body["prompt"].push_back("p");
  expect_completion_error(body.dump(), "prompt", "at most 256 prompts");
}

TEST(CompletionRequest, LogprobsIsAnIntegerUpTo20) {
  const auto request = parse_completion_request(completion_body(R"("logprobs": 5)"));
  EXPECT_EQ(request.logprobs, 5);
  EXPECT_EQ(request.options.sampling.logprobs, 5);
  EXPECT_EQ(parse_completion_request(completion_body(R"("logprobs": 0)")).logprobs, 0);
  EXPECT_EQ(parse_completion_request(completion_body(R"("logprobs": 20)")).logprobs, 20);
  expect_completion_error(completion_body(R"("logprobs": 21)"), "logprobs", "[0, 20], got 21");
  expect_completion_error(completion_body(R"("logprobs": -1)"), "logprobs", "[0, 20]");
  expect_completion_error(completion_body(R"("logprobs": true)"), "logprobs",
                          "must be an integer, got boolean");
}

TEST(CompletionRequest, EchoIsABoolButNotWithLogprobs) {
  EXPECT_TRUE(parse_completion_request(completion_body(R"("echo": true)")).echo);
  expect_completion_error(completion_body(R"("echo": "yes")"), "echo", "must be a boolean");
  expect_completion_error(completion_body(R"("echo": true, "logprobs": 1)"), "echo",
                          "not supported");
  EXPECT_NO_THROW(parse_completion_request(completion_body(R"("echo": false, "logprobs": 1)")));
}

TEST(CompletionRequest, UnsupportedFeaturesAreRefused) {
  expect_completion_error(completion_body(R"("suffix": "end")"), "suffix", "not supported");
  expect_completion_error(completion_body(R"("best_of": 2)"), "best_of", "not supported");
  expect_completion_error(completion_body(R"("best_of": 0)"), "best_of", "at least 1");
  expect_completion_error(completion_body(R"("best_of": "2")"), "best_of", "must be an integer");
  expect_completion_error(completion_body(R"("use_beam_search": true)"), "use_beam_search",
                          "not supported");
  EXPECT_NO_THROW(parse_completion_request(
      completion_body(R"("suffix": "", "best_of": 1, "use_beam_search": false)")));
  EXPECT_NO_THROW(parse_completion_request(completion_body(R"("suffix": null, "best_of": null)")));
}

TEST(CompletionRequest, SharedOptionsUseTheSameRules) {
  const auto request =
      parse_completion_request(completion_body(R"("max_tokens": 50, "stop": ["\n"], "stream": true,
                         "stream_options": {"include_usage": true}, "seed": -1)"));
  EXPECT_EQ(request.options.sampling.max_tokens, 50);
  EXPECT_TRUE(request.options.max_tokens_set);
  EXPECT_TRUE(request.options.include_usage);
  EXPECT_EQ(request.options.sampling.seed, UINT64_MAX);
  expect_completion_error(completion_body(R"("temperature": "hot")"), "temperature",
                          "'temperature' must be a number, got string");
  expect_completion_error(completion_body(R"("n": 100)"), "n", "[1, 16]");
  expect_completion_error(completion_body(R"("min_tokens": 17)"), "min_tokens", "[0, 16]");
}

}  // namespace
}  // namespace fastchat::openai
