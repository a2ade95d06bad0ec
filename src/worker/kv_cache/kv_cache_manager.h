#pragma once
// Block tables of the running sequences: which pool blocks hold each sequence's keys and
// values. Hands out block ids only (vLLM's KVCacheManager); torch-free. Engine thread only.

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "worker/kv_cache/block_pool.h"

namespace fastchat::kv_cache {

using SequenceId = uint64_t;

class KvCacheManager {
 public:
  KvCacheManager(int32_t num_blocks, int32_t block_size);

  int32_t block_size() const { return block_size_; }
  int32_t num_blocks() const { return pool_.num_blocks(); }
  int32_t num_free_blocks() const { return pool_.num_free(); }
  /// Fraction of blocks in use, for metrics.
  double usage() const;

  /// Blocks needed to hold `num_tokens` tokens.
  int32_t blocks_for_tokens(int64_t num_tokens) const;
  /// Whether `sequence` (new or known) could grow to `num_tokens` tokens right now.
  bool can_allocate(SequenceId sequence, int64_t num_tokens) const;
  /// Grows the sequence's table to cover `num_tokens` tokens; false (and no change) when the
  /// pool cannot supply the extra blocks.
  bool allocate(SequenceId sequence, int64_t num_tokens);
  /// Returns every block of the sequence to the pool; unknown ids are ignored (already freed).
  void free(SequenceId sequence);

  /// NOTE: append-only while the sequence runs, so callers may cache prefixes of it.
  const std::vector<BlockId>& block_table(SequenceId sequence) const;
  bool contains(SequenceId sequence) const { return tables_.count(sequence) != 0; }
  size_t num_sequences() const { return tables_.size(); }

 private:
  int32_t block_size_;
  BlockPool pool_;
  std::unordered_map<SequenceId, std::vector<BlockId>> tables_;
};

}  // namespace fastchat::kv_cache
