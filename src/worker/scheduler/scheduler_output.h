#pragma once
// What one engine step runs: a chunk of uncomputed tokens for each scheduled sequence.
// Plain data from Scheduler::schedule() to the model runner.

#include <cstdint>
#include <vector>

#include "worker/scheduler/sequence.h"

namespace fastchat::scheduler {

struct ScheduledChunk {
  Sequence* sequence = nullptr;
  /// First token of the chunk (== sequence->num_computed when scheduled).
  int32_t start = 0;
  int32_t num_tokens = 0;
  /// The chunk reaches the sequence's last token, so its logits give the next token.
  bool samples = false;
};

struct SchedulerOutput {
  std::vector<ScheduledChunk> chunks;
  /// Sequences that lost their blocks this step (to be recomputed later).
  std::vector<uint64_t> preempted;
  int32_t num_batched_tokens = 0;

  bool empty() const { return chunks.empty(); }
};

}  // namespace fastchat::scheduler
