#pragma once

#include <cstdint>

namespace fastchat::scheduler {

struct SchedulerConfig {
  /// Most sequences in one step (vLLM's max_num_seqs).
  int32_t max_num_seqs = 256;
  /// Most tokens in one forward pass; long prompts are prefilled in chunks of at most this.
  int32_t max_num_batched_tokens = 2048;
};

}  // namespace fastchat::scheduler
