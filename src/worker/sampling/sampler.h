#pragma once
// Turns one step's logits into one token per sequence, applying each request's settings.

#include <torch/types.h>

#include <cstdint>
#include <span>
#include <vector>

#include "protocol/sampling_params.h"
#include "worker/sampling/logit_adjuster.h"
#include "worker/sampling/request_rng.h"
#include "worker/sampling/sampled_token.h"

namespace fastchat::sampling {

/// One row of the batch to sample.
struct SamplingRow {
  const protocol::SamplingParams* params;
  std::span<const int32_t> prompt_tokens;      ///< for repetition_penalty
  std::span<const int32_t> output_tokens;      ///< for all penalties and min_tokens
  RequestRng* rng;                             ///< unused when greedy
  std::span<const int32_t> suppressed_tokens;  ///< ids forbidden this step (EOS+stop ids while
                                               ///< output < min_tokens)
};

/// Samples one token per row from logits [rows, vocab] (float32 or half on any device). Called
/// only by the engine thread. Fast path: when every row is plain greedy (temperature 0, no
/// penalties/bias/suppression/logprobs), a single batched argmax. Logprobs are the log-softmax
/// of the model's logits (after penalties and logit_bias, before temperature/top-k/top-p), as
/// vLLM does by default.
///
/// Order of operations: penalties, logit_bias, suppression; greedy rows take the argmax (first
/// index on ties); others divide by temperature, keep the top_k, then the top_p nucleus (ties at
/// either cut are kept, so the kept set never depends on kernel order), then drop tokens below
/// min_p * max prob, and draw by inverse CDF in token-id order with float64 on the host.
class Sampler {
 public:
  std::vector<SampledToken> sample(const torch::Tensor& logits, std::span<const SamplingRow> rows);

 private:
  /// Tokens for the non-greedy rows `indices` of the adjusted float32 logits.
  std::vector<int32_t> sample_rows(const torch::Tensor& logits, std::span<const SamplingRow> rows,
                                   const std::vector<int64_t>& indices);
  /// Fills logprob / top_logprobs for rows that asked for them.
  void fill_logprobs(const torch::Tensor& logits, std::span<const SamplingRow> rows,
                     std::vector<SampledToken>& out);

  LogitAdjuster adjuster_;
};

}  // namespace fastchat::sampling
