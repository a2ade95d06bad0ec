#include "worker/sampling/sampler.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <map>
#include <set>
#include <vector>

namespace fastchat::sampling {
using protocol::SamplingParams;
namespace {

SamplingParams greedy_params() {
  SamplingParams p;
  p.temperature = 0.0f;
  return p;
}

torch::Tensor row_tensor(const std::vector<float>& values) {
  return torch::tensor(values, torch::kFloat32).view({1, -1});
}

// Samples `draws` tokens from the same single row of logits.
std::vector<int32_t> draw_many(Sampler& sampler, const torch::Tensor& logits,
                               const SamplingParams& params, RequestRng& rng, int draws) {
  std::vector<int32_t> tokens;
  for (int i = 0; i < draws; ++i) {
    SamplingRow row{&params, {}, {}, &rng, {}};
    tokens.push_back(sampler.sample(logits, std::span(&row, 1))[0].token);
  }
  return tokens;
}

// Log-probabilities the sampler reports for every token of a tiny vocab (<= 20): exposes the
// logits after penalties, bias and suppression.
std::vector<float> adjusted_logprobs(const torch::Tensor& logits, SamplingParams params,
                                     std::span<const int32_t> prompt,
                                     std::span<const int32_t> output) {
  params.temperature = 0.0f;
  params.logprobs = static_cast<int32_t>(logits.size(1));
  SamplingRow row{&params, prompt, output, nullptr, {}};
  Sampler sampler;
  auto result = sampler.sample(logits, std::span(&row, 1))[0];
  std::vector<float> by_token(logits.size(1));
  for (const auto& top : result.top_logprobs) by_token[top.token] = top.logprob;
  return by_token;
}

std::vector<float> log_softmax(const std::vector<float>& logits) {
  auto t = torch::log_softmax(torch::tensor(logits, torch::kFloat32), 0);
  return std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
}

TEST(SamplerTest, GreedyEqualsArgmax) {
  torch::manual_seed(0);
  for (auto dtype : {torch::kFloat32, torch::kFloat16}) {
    auto logits = torch::randn({6, 1000}).to(dtype);
    auto params = greedy_params();
    std::vector<SamplingRow> rows(6, SamplingRow{&params, {}, {}, nullptr, {}});
    Sampler sampler;
    auto result = sampler.sample(logits, rows);
    auto expected = logits.argmax(-1);
    for (int r = 0; r < 6; ++r) {
      EXPECT_EQ(result[r].token, expected[r].item<int64_t>());
      EXPECT_TRUE(std::isnan(result[r].logprob));
      EXPECT_TRUE(result[r].top_logprobs.empty());
    }
  }
}

TEST(SamplerTest, TiesPickFirstIndex) {
  auto logits = row_tensor({1.0f, 5.0f, 5.0f, 2.0f, 5.0f});
  ASSERT_EQ(torch::argmax(logits, -1).item<int64_t>(), 1);  // the reference itself
  Sampler sampler;
  auto params = greedy_params();
  SamplingRow row{&params, {}, {}, nullptr, {}};
  EXPECT_EQ(sampler.sample(logits, std::span(&row, 1))[0].token, 1);
  params.logprobs = 0;  // forces the general (non fast) path
  EXPECT_EQ(sampler.sample(logits, std::span(&row, 1))[0].token, 1);
}

TEST(SamplerTest, RepetitionPenaltyDividesPositiveAndMultipliesNegative) {
  const std::vector<float> raw{2.0f, -2.0f, 1.0f, 0.5f, -1.0f};
  SamplingParams params;
  params.repetition_penalty = 2.0f;
  const std::vector<int32_t> prompt{0, 0};
  const std::vector<int32_t> output{1, 3};
  auto got = adjusted_logprobs(row_tensor(raw), params, prompt, output);
  auto expected = log_softmax({1.0f, -4.0f, 1.0f, 0.25f, -1.0f});
  for (size_t t = 0; t < raw.size(); ++t) EXPECT_NEAR(got[t], expected[t], 1e-5) << t;
}

TEST(SamplerTest, PresenceAndFrequencyPenaltiesUseOutputCounts) {
  const std::vector<float> raw{0.0f, 1.0f, 2.0f, 3.0f, 4.0f};
  SamplingParams params;
  params.presence_penalty = 0.5f;
  params.frequency_penalty = 0.25f;
  const std::vector<int32_t> prompt{4, 4, 4};  // prompt tokens are not penalized additively
  const std::vector<int32_t> output{2, 2, 3};
  auto got = adjusted_logprobs(row_tensor(raw), params, prompt, output);
  auto expected = log_softmax({0.0f, 1.0f, 2.0f - 0.5f - 0.5f, 3.0f - 0.5f - 0.25f, 4.0f});
  for (size_t t = 0; t < raw.size(); ++t) EXPECT_NEAR(got[t], expected[t], 1e-5) << t;
}

TEST(SamplerTest, LogitBiasBansAndForces) {
  auto logits = row_tensor({0.0f, 3.0f, 1.0f, 0.5f});
  Sampler sampler;
  auto params = greedy_params();
  params.logit_bias = {{1, -100.0f}};
  SamplingRow row{&params, {}, {}, nullptr, {}};
  EXPECT_EQ(sampler.sample(logits, std::span(&row, 1))[0].token, 2);

  SamplingParams forced;
  forced.logit_bias = {{0, 100.0f}};
  RequestRng rng(1);
  for (int32_t token : draw_many(sampler, logits, forced, rng, 50)) EXPECT_EQ(token, 0);
}

TEST(SamplerTest, SuppressedTokensAreNeverChosen) {
  auto logits = row_tensor({0.0f, 3.0f, 1.0f, 2.9f});
  Sampler sampler;
  const std::vector<int32_t> suppressed{1, 3};
  auto greedy = greedy_params();
  SamplingRow row{&greedy, {}, {}, nullptr, suppressed};
  EXPECT_EQ(sampler.sample(logits, std::span(&row, 1))[0].token, 2);

  SamplingParams sampled;
  RequestRng rng(2);
  row = SamplingRow{&sampled, {}, {}, &rng, suppressed};
  for (int i = 0; i < 100; ++i) {
    auto token = sampler.sample(logits, std::span(&row, 1))[0].token;
    EXPECT_TRUE(token == 0 || token == 2) << token;
  }
}

TEST(SamplerTest, TopKOneEqualsGreedy) {
  torch::manual_seed(1);
  auto logits = torch::randn({1, 3000});
  const auto expected = logits.argmax(-1).item<int64_t>();
  SamplingParams params;
  params.temperature = 1.5f;
  params.top_k = 1;
  Sampler sampler;
  RequestRng rng(3);
  for (int32_t token : draw_many(sampler, logits, params, rng, 20)) EXPECT_EQ(token, expected);
}

TEST(SamplerTest, TopKKeepsOnlyTheKLargest) {
  auto logits = row_tensor({1.0f, 1.2f, 0.9f, 1.1f, 0.0f, 0.5f});
  SamplingParams params;
  params.top_k = 3;
  Sampler sampler;
  RequestRng rng(4);
  std::set<int32_t> seen;
  for (int32_t token : draw_many(sampler, logits, params, rng, 300)) seen.insert(token);
  EXPECT_EQ(seen, (std::set<int32_t>{0, 1, 3}));
}

TEST(SamplerTest, TinyTopPKeepsOnlyTheMax) {
  torch::manual_seed(2);
  auto logits = torch::randn({1, 2000}) * 0.1;  // nearly flat
  const auto expected = logits.argmax(-1).item<int64_t>();
  SamplingParams params;
  params.top_p = 1e-6f;
  Sampler sampler;
  RequestRng rng(5);
  for (int32_t token : draw_many(sampler, logits, params, rng, 50)) EXPECT_EQ(token, expected);
}

TEST(SamplerTest, TopPKeepsSmallestSetReachingTheMass) {
  auto logits = torch::log(torch::tensor({0.1f, 0.4f, 0.2f, 0.3f})).view({1, -1});
  SamplingParams params;
  params.top_p = 0.6f;  // 0.4 + 0.3 >= 0.6: tokens 1 and 3
  Sampler sampler;
  RequestRng rng(6);
  std::set<int32_t> seen;
  for (int32_t token : draw_many(sampler, logits, params, rng, 300)) seen.insert(token);
  EXPECT_EQ(seen, (std::set<int32_t>{1, 3}));
}

TEST(SamplerTest, MinPDropsTokensBelowFractionOfMax) {
  auto logits = torch::log(torch::tensor({0.5f, 0.3f, 0.15f, 0.05f})).view({1, -1});
  SamplingParams params;
  params.min_p = 0.2f;  // threshold 0.1: token 3 goes
  Sampler sampler;
  RequestRng rng(7);
  std::set<int32_t> seen;
  for (int32_t token : draw_many(sampler, logits, params, rng, 500)) seen.insert(token);
  EXPECT_EQ(seen, (std::set<int32_t>{0, 1, 2}));
}

TEST(SamplerTest, TemperatureSamplingMatchesSoftmax) {
  const std::vector<float> raw{1.0f, 0.0f, 0.5f, -0.5f, 1.5f, 0.2f, -1.0f, 0.8f};
  auto logits = row_tensor(raw);
  SamplingParams params;
  params.temperature = 0.7f;
  Sampler sampler;
  RequestRng rng(8);
  constexpr int kDraws = 20000;
  std::map<int32_t, int> counts;
  for (int32_t token : draw_many(sampler, logits, params, rng, kDraws)) ++counts[token];
  auto expected = torch::softmax(logits / 0.7, -1)[0];
  double chi_square = 0.0;
  for (int t = 0; t < static_cast<int>(raw.size()); ++t) {
    const double e = expected[t].item<double>() * kDraws;
    chi_square += (counts[t] - e) * (counts[t] - e) / e;
  }
  // 7 degrees of freedom: mean 7, P(chi2 > 60) ~ 1e-10. A wrong temperature gives hundreds.
  EXPECT_LT(chi_square, 60.0);
}

TEST(SamplerTest, LogprobsMatchLogSoftmax) {
  torch::manual_seed(3);
  auto logits = torch::randn({2, 50});
  SamplingParams params;
  params.logprobs = 5;
  SamplingParams none;
  RequestRng rng(9);
  RequestRng rng2(10);
  std::vector<SamplingRow> rows{{&params, {}, {}, &rng, {}}, {&none, {}, {}, &rng2, {}}};
  Sampler sampler;
  auto result = sampler.sample(logits, rows);
  auto reference = torch::log_softmax(logits[0], -1);
  EXPECT_NEAR(result[0].logprob, reference[result[0].token].item<float>(), 1e-5);
  auto [values, indices] = reference.topk(5);
  ASSERT_EQ(result[0].top_logprobs.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(result[0].top_logprobs[i].token, indices[i].item<int64_t>());
    EXPECT_NEAR(result[0].top_logprobs[i].logprob, values[i].item<float>(), 1e-5);
    if (i > 0) {
      EXPECT_GE(result[0].top_logprobs[i - 1].logprob, result[0].top_logprobs[i].logprob);
    }
  }
  EXPECT_TRUE(std::isnan(result[1].logprob));
  EXPECT_TRUE(result[1].top_logprobs.empty());
}

TEST(SamplerTest, LogprobsZeroGivesOnlyChosen) {
  auto logits = row_tensor({0.0f, 1.0f, 2.0f});
  auto params = greedy_params();
  params.logprobs = 0;
  SamplingRow row{&params, {}, {}, nullptr, {}};
  Sampler sampler;
  auto result = sampler.sample(logits, std::span(&row, 1))[0];
  EXPECT_EQ(result.token, 2);
  EXPECT_NEAR(result.logprob, log_softmax({0.0f, 1.0f, 2.0f})[2], 1e-6);
  EXPECT_TRUE(result.top_logprobs.empty());
}

TEST(SamplerTest, SeededRowIsReproducibleAloneOrBatched) {
  torch::manual_seed(4);
  constexpr int64_t kVocab = 3000;  // spans several CDF blocks
  auto batch = torch::randn({5, kVocab});
  // A peaked row (nucleus inside the top candidates) batched with a flat top_p row that needs
  // the full sort: each row must still take its own path.
  batch[3] *= 4.0;
  auto target = batch.slice(0, 3, 4).clone();
  SamplingParams seeded;
  seeded.seed = 42;
  seeded.temperature = 0.9f;
  seeded.top_p = 0.9f;
  seeded.top_k = 2000;
  constexpr int kSteps = 30;

  Sampler alone_sampler;
  RequestRng alone_rng(seeded.seed);
  auto alone = draw_many(alone_sampler, target, seeded, alone_rng, kSteps);

  SamplingParams unseeded;
  unseeded.top_p = 0.99f;
  unseeded.min_p = 0.0001f;
  SamplingParams nucleus;
  nucleus.top_p = 0.5f;
  nucleus.top_k = 10;
  auto greedy = greedy_params();
  SamplingParams penalized;
  penalized.repetition_penalty = 1.3f;
  const std::vector<int32_t> history{1, 2, 3, 2999};
  RequestRng r0(std::nullopt), r1(std::nullopt), r3(seeded.seed), r4(std::nullopt);
  std::vector<SamplingRow> rows{{&unseeded, {}, {}, &r0, {}},
                                {&nucleus, history, {}, &r1, {}},
                                {&greedy, {}, {}, nullptr, {}},
                                {&seeded, {}, {}, &r3, {}},
                                {&penalized, history, history, &r4, history}};
  Sampler batch_sampler;
  std::vector<int32_t> batched;
  for (int i = 0; i < kSteps; ++i) batched.push_back(batch_sampler.sample(batch, rows)[3].token);
  EXPECT_EQ(alone, batched);
  EXPECT_GT(std::set<int32_t>(alone.begin(), alone.end()).size(), 1u);  // really sampled
}

TEST(SamplerTest, UnseededRngsDiffer) {
  auto logits = torch::zeros({1, 512});
  SamplingParams params;
  Sampler sampler;
  RequestRng a(std::nullopt);
  RequestRng b(std::nullopt);
  // Same sequence by chance: 512^-20.
  EXPECT_NE(draw_many(sampler, logits, params, a, 20), draw_many(sampler, logits, params, b, 20));
}

TEST(SamplerTest, HalfLogitsAndCallerTensorUntouched) {
  torch::manual_seed(5);
  auto logits = torch::randn({2, 1500});
  auto before = logits.clone();
  SamplingParams params;
  params.repetition_penalty = 2.0f;
  params.logit_bias = {{7, 100.0f}};
  const std::vector<int32_t> history{7, 8};
  RequestRng rng(11);
  std::vector<SamplingRow> rows(2, SamplingRow{&params, history, history, &rng, {}});
  Sampler sampler;
  for (const auto& result : sampler.sample(logits, rows)) EXPECT_EQ(result.token, 7);
  EXPECT_TRUE(torch::equal(logits, before));
  for (const auto& result : sampler.sample(logits.to(torch::kFloat16), rows)) {
    EXPECT_EQ(result.token, 7);
  }
}

}  // namespace
}  // namespace fastchat::sampling
