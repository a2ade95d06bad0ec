#include "protocol/sampling_params.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "common/error/error.h"

namespace fastchat::protocol {
namespace {

constexpr int32_t kVocab = 100;

// Runs validate() on defaults edited by `edit`; returns the rejected param ("" if accepted).
std::string rejected_param(const std::function<void(SamplingParams&)>& edit) {
  SamplingParams params;
  edit(params);
  try {
    validate(params, kVocab);
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::InvalidRequest);
    EXPECT_NE(e.error().message.find(e.error().param), std::string::npos) << e.error().message;
    EXPECT_NE(e.error().message.find("got"), std::string::npos) << e.error().message;
    return e.error().param;
  }
  return "";
}

TEST(ValidateTest, DefaultsAreValid) { EXPECT_NO_THROW(validate(SamplingParams{}, kVocab)); }

TEST(ValidateTest, AcceptsEdgeValues) {
  EXPECT_EQ(rejected_param([](auto& p) {
              p.temperature = 0.0f;
              p.top_p = 1.0f;
              p.top_k = 0;
              p.min_p = 1.0f;
              p.presence_penalty = -2.0f;
              p.frequency_penalty = 2.0f;
              p.logit_bias = {{0, -100.0f}, {kVocab - 1, 100.0f}};
              p.logprobs = 20;
              p.max_tokens = 5;
              p.min_tokens = 5;
              p.stop = {"a"};
              p.stop_token_ids = {0, kVocab - 1};
              p.seed = 7;
            }),
            "");
  EXPECT_EQ(rejected_param([](auto& p) { p.top_k = 1; }), "");
  EXPECT_EQ(rejected_param([](auto& p) { p.temperature = kMaxTemperature; }), "");
}

TEST(ValidateTest, RejectsTemperature) {
  EXPECT_EQ(rejected_param([](auto& p) { p.temperature = -0.1f; }), "temperature");
  EXPECT_EQ(rejected_param([](auto& p) { p.temperature = 1000.0f; }), "temperature");
  EXPECT_EQ(rejected_param([](auto& p) { p.temperature = std::nanf(""); }), "temperature");
}

TEST(ValidateTest, RejectsTopP) {
  EXPECT_EQ(rejected_param([](auto& p) { p.top_p = 0.0f; }), "top_p");
  EXPECT_EQ(rejected_param([](auto& p) { p.top_p = 1.5f; }), "top_p");
}

TEST(ValidateTest, RejectsTopK) {
  EXPECT_EQ(rejected_param([](auto& p) { p.top_k = -2; }), "top_k");
}

TEST(ValidateTest, RejectsMinP) {
  EXPECT_EQ(rejected_param([](auto& p) { p.min_p = 1.5f; }), "min_p");
  EXPECT_EQ(rejected_param([](auto& p) { p.min_p = -0.1f; }), "min_p");
}

TEST(ValidateTest, RejectsPenalties) {
  EXPECT_EQ(rejected_param([](auto& p) { p.repetition_penalty = 0.0f; }), "repetition_penalty");
  EXPECT_EQ(rejected_param([](auto& p) { p.repetition_penalty = -1.0f; }), "repetition_penalty");
  EXPECT_EQ(rejected_param([](auto& p) { p.presence_penalty = 2.5f; }), "presence_penalty");
  EXPECT_EQ(rejected_param([](auto& p) { p.presence_penalty = -2.5f; }), "presence_penalty");
  EXPECT_EQ(rejected_param([](auto& p) { p.frequency_penalty = 3.0f; }), "frequency_penalty");
  EXPECT_EQ(rejected_param([](auto& p) { p.frequency_penalty = -3.0f; }), "frequency_penalty");
}

TEST(ValidateTest, RejectsLogitBias) {
  EXPECT_EQ(rejected_param([](auto& p) { p.logit_bias = {{kVocab, 1.0f}}; }), "logit_bias");
  EXPECT_EQ(rejected_param([](auto& p) { p.logit_bias = {{-1, 1.0f}}; }), "logit_bias");
  EXPECT_EQ(rejected_param([](auto& p) { p.logit_bias = {{3, 200.0f}}; }), "logit_bias");
  EXPECT_EQ(rejected_param([](auto& p) { p.logit_bias = {{3, -200.0f}}; }), "logit_bias");
}

TEST(ValidateTest, RejectsLogprobs) {
  EXPECT_EQ(rejected_param([](auto& p) { p.logprobs = 21; }), "logprobs");
  EXPECT_EQ(rejected_param([](auto& p) { p.logprobs = -2; }), "logprobs");
}

TEST(ValidateTest, RejectsTokenCounts) {
  EXPECT_EQ(rejected_param([](auto& p) { p.max_tokens = 0; }), "max_tokens");
  EXPECT_EQ(rejected_param([](auto& p) { p.min_tokens = -1; }), "min_tokens");
  EXPECT_EQ(rejected_param([](auto& p) {
              p.max_tokens = 4;
              p.min_tokens = 5;
            }),
            "min_tokens");
}

TEST(ValidateTest, RejectsStops) {
  EXPECT_EQ(rejected_param([](auto& p) { p.stop = {"ok", ""}; }), "stop");
  EXPECT_EQ(rejected_param([](auto& p) { p.stop.assign(kMaxStopStrings + 1, "x"); }), "stop");
  EXPECT_EQ(rejected_param([](auto& p) { p.stop_token_ids = {kVocab}; }), "stop_token_ids");
}

TEST(SamplingParamsTest, GreedyWhenTemperatureZeroOrTopKOne) {
  SamplingParams p;
  EXPECT_FALSE(p.is_greedy());
  p.temperature = 0.0f;
  EXPECT_TRUE(p.is_greedy());
  p.temperature = 0.7f;
  p.top_k = 1;
  EXPECT_TRUE(p.is_greedy());
}

}  // namespace
}  // namespace fastchat::protocol
