#pragma once
// The scheduler's view of one request: its tokens and how many of them have keys and values
// in the cache. Plain data, torch-free; owned by the engine, pointed to by the scheduler.

#include <cstdint>
#include <vector>

namespace fastchat::scheduler {

enum class SequenceStatus { Waiting, Running, Finished };

struct Sequence {
  uint64_t id = 0;
  /// Prompt followed by every generated token.
  std::vector<int32_t> tokens;
  int32_t num_prompt_tokens = 0;
  /// Leading tokens whose K/V are cached; the rest still need a forward pass.
  int32_t num_computed = 0;
  SequenceStatus status = SequenceStatus::Waiting;
  /// Prompt tokens found in the prefix cache when the sequence was first admitted.
  int32_t num_cached_prompt_tokens = 0;
  /// Times this sequence lost its blocks and was recomputed (for metrics and tests).
  int32_t num_preemptions = 0;
  /// Whether cached prefix blocks may stand in for computing the prompt. An embedding request
  /// needs every token's hidden state, which the cache does not keep, so it computes them all.
  bool reuse_prefix = true;

  int32_t num_tokens() const { return static_cast<int32_t>(tokens.size()); }
  int32_t num_output_tokens() const { return num_tokens() - num_prompt_tokens; }
  int32_t num_uncomputed() const { return num_tokens() - num_computed; }
};

}  // namespace fastchat::scheduler
