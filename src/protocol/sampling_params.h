#pragma once
// Per-request generation settings and their validation. Torch-free on purpose: the HTTP layer
// validates requests with it before anything reaches a worker.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fastchat::protocol {

/// Upper bound on temperature. OpenAI caps at 2; anything past a few is already close to uniform,
/// so 100 only guards against absurd values (and overflow-prone divisions) without refusing
/// clients that send e.g. 5.
inline constexpr float kMaxTemperature = 100.0f;
/// Temperatures below this are treated as greedy: dividing logits by ~0 gives inf/NaN (vLLM's
/// rule).
inline constexpr float kGreedyTemperature = 1e-5f;
/// OpenAI's limits on presence/frequency penalties and logit_bias values.
inline constexpr float kMaxAdditivePenalty = 2.0f;
inline constexpr float kMaxLogitBias = 100.0f;
/// Most top alternatives a request may ask for (OpenAI's top_logprobs cap).
inline constexpr int32_t kMaxLogprobs = 20;
/// Stop strings are checked against every decoded chunk, so their count is bounded.
inline constexpr size_t kMaxStopStrings = 16;
/// Each logit_bias entry costs a scatter; OpenAI accepts at most 300.
inline constexpr size_t kMaxLogitBiasEntries = 300;

/// Per-request generation settings, validated once at the edge (vLLM's SamplingParams).
/// Defaults are OpenAI's.
struct SamplingParams {
  float temperature = 1.0f;  ///< 0 (or < kGreedyTemperature) = greedy; [0, kMaxTemperature]
  float top_p = 1.0f;        ///< (0, 1]
  int32_t top_k = -1;        ///< -1 or 0 = off; else >= 1
  float min_p = 0.0f;        ///< [0, 1]
  float repetition_penalty =
      1.0f;                        ///< > 0; HF rule over prompt+output: logit>0 ? logit/p : logit*p
  float presence_penalty = 0.0f;   ///< [-2, 2]; OpenAI additive rule over output tokens
  float frequency_penalty = 0.0f;  ///< [-2, 2]
  std::vector<std::pair<int32_t, float>> logit_bias;  ///< id in [0, vocab), bias in [-100, 100]
  std::optional<uint64_t> seed;  ///< reproducible sampling regardless of batch composition
  int32_t logprobs = -1;         ///< -1: none; 0..20: chosen logprob + this many alternatives
  int32_t max_tokens = 16;       ///< >= 1
  int32_t min_tokens = 0;        ///< [0, max_tokens]: EOS/stop tokens suppressed until reached
  bool ignore_eos = false;
  std::vector<std::string> stop;        ///< at most kMaxStopStrings, each non-empty
  std::vector<int32_t> stop_token_ids;  ///< ids in [0, vocab)

  /// True when sampling reduces to argmax (temperature ~0 or top_k == 1).
  bool is_greedy() const { return temperature < kGreedyTemperature || top_k == 1; }
};

/// Checks every rule; throws ErrorException{InvalidRequest, "<field> must be ..., got <value>",
/// "<field>"}. vocab_size bounds the ids in logit_bias and stop_token_ids.
void validate(const SamplingParams& params, int32_t vocab_size);

}  // namespace fastchat::protocol
