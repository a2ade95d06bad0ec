#pragma once
// What the sampler returns per sequence and step. Torch-free: the engine's request streams carry
// these to the HTTP threads, which must not depend on libtorch's headers.

#include <cstdint>
#include <vector>

namespace fastchat::sampling {

/// One alternative returned with logprobs.
struct TopLogprob {
  int32_t token;
  float logprob;
};

/// The token drawn for one row, with its logprob (NaN unless requested) and top alternatives
/// (sorted by descending logprob, params.logprobs of them).
struct SampledToken {
  int32_t token;
  float logprob;
  std::vector<TopLogprob> top_logprobs;
};

}  // namespace fastchat::sampling
