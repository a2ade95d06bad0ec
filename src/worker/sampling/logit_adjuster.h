#pragma once
// Penalties, logit_bias and suppression: the per-request edits made to raw logits before any
// filtering or sampling.

#include <torch/types.h>

#include <cstdint>
#include <span>
#include <vector>

#include "protocol/sampling_params.h"

namespace fastchat::sampling {

struct SamplingRow;

/// Applies repetition/presence/frequency penalties, logit_bias and suppressed tokens to a batch
/// of logits. The per-token work is gathered on the host (only touched ids, through dense
/// scratch arrays reused across calls), then applied to the device with one gather and one
/// scatter, whatever the number of rows. Not thread-safe: owned by one Sampler.
class LogitAdjuster {
 public:
  /// True when the row's logits would change (a penalty with tokens to act on, a bias, or a
  /// suppressed id).
  static bool needs_adjustment(const SamplingRow& row);

  /// In-place edits of `logits` ([rows, vocab], float32, contiguous). Ids outside the vocab are
  /// ignored: validation already rejected them for bias/stop ids.
  void apply(torch::Tensor& logits, std::span<const SamplingRow> rows);

 private:
  /// Edit of one (row, token): logit -> (logit>0 ? logit/divisor : logit*divisor) + delta,
  /// then -inf when suppressed.
  struct Edit {
    int64_t flat_index;
    float divisor;
    float delta;
    bool suppress;
  };

  void collect_row(int64_t row_index, const SamplingRow& row, int64_t vocab);
  void touch(int32_t token);

  std::vector<Edit> edits_;
  // Dense per-token scratch of size vocab, reset after each row through touched_.
  std::vector<int32_t> counts_;
  std::vector<uint8_t> flags_;
  std::vector<float> delta_;
  std::vector<int32_t> touched_;
};

}  // namespace fastchat::sampling
