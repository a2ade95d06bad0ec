#pragma once
// Block tables of the running sequences: which pool blocks hold each sequence's keys and
// values (vLLM's KVCacheManager); torch-free, engine thread only. With prefix caching on, a
// new sequence starts from the cached blocks of its longest known prefix, shared with
// whoever else holds them, and every block its computed tokens fill is offered to the cache.
// Shared blocks are always full, and a sequence writes only past its computed tokens, so a
// shared block is never written again. With a sliding window of W tokens, a block whose tokens
// all lie before the window of the sequence's next token is given back at once: a sequence then
// holds about W / block_size blocks however long it grows.

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "worker/kv_cache/block_pool.h"

namespace fastchat::kv_cache {

using SequenceId = uint64_t;

/// The block-table entry of a block given back because it left the sliding window.
inline constexpr BlockId kReleasedBlock = -1;

/// The cached blocks a sequence may start from.
struct PrefixMatch {
  std::vector<BlockId> blocks;
  uint64_t last_hash = 0;   // hash of the last matched block (the seed when none)
  int32_t num_tokens = 0;   // tokens the blocks cover
  int32_t num_queried = 0;  // tokens looked up
};

struct PrefixCacheStats {
  int64_t queried_tokens = 0;
  int64_t hit_tokens = 0;
};

class KvCacheManager {
 public:
  /// `model_seed` separates the cache keys of different models (see hash_bytes).
  /// `sliding_window` > 0: the model's attention window in tokens (0: none).
  KvCacheManager(int32_t num_blocks, int32_t block_size, bool enable_prefix_caching = false,
                 uint64_t model_seed = 0, int32_t sliding_window = 0);

  int32_t block_size() const { return block_size_; }
  int32_t num_blocks() const { return pool_.num_blocks(); }
  /// Blocks a new allocation may take, including released blocks still cached.
  int32_t num_free_blocks() const { return pool_.num_free(); }
  int32_t num_cached_free_blocks() const { return pool_.num_cached_free(); }
  bool prefix_caching() const { return prefix_caching_; }
  /// Fraction of blocks held by sequences, for metrics.
  double usage() const;
  PrefixCacheStats prefix_cache_stats() const { return stats_; }

  /// Blocks needed to hold `num_tokens` tokens.
  int32_t blocks_for_tokens(int64_t num_tokens) const;
  /// The cached blocks of the longest prefix of `tokens` that leaves at least the last token
  /// to compute (its logits are needed); empty when prefix caching is off.
  PrefixMatch match_prefix(std::span<const int32_t> tokens) const;
  /// Grows the sequence's table to cover `num_tokens` tokens; a sequence without a table
  /// starts from `prefix`. False, with nothing changed, when the pool cannot supply the
  /// extra blocks.
  bool allocate(SequenceId sequence, int64_t num_tokens, const PrefixMatch& prefix = {});
  /// Offers to the cache every block of `sequence` its first `num_computed` tokens fill.
  void cache_full_blocks(SequenceId sequence, std::span<const int32_t> tokens,
                         int32_t num_computed);
  /// With a sliding window, gives back the blocks of `sequence` that lie wholly before the window
  /// of its next token (position `num_computed`): no later query reads them. Their entries
  /// become kReleasedBlock. Does nothing without a window.
  void release_outside_window(SequenceId sequence, int32_t num_computed);
  /// Lets go of every block of the sequence; unknown ids are ignored (already freed).
  void free(SequenceId sequence);

  /// Entry i holds tokens [i * block_size, (i + 1) * block_size); entries grow at the end, and
  /// leading ones turn to kReleasedBlock as they leave a sliding window.
  const std::vector<BlockId>& block_table(SequenceId sequence) const;
  bool contains(SequenceId sequence) const { return tables_.count(sequence) != 0; }
  size_t num_sequences() const { return tables_.size(); }

 private:
  struct Table {
    std::vector<BlockId> blocks;
    int32_t num_cached = 0;    // leading blocks already offered to the cache
    int32_t num_released = 0;  // leading blocks given back (out of the sliding window)
    uint64_t last_hash = 0;    // hash of block num_cached - 1 (the seed when none)
  };

  int32_t block_size_;
  int32_t sliding_window_;
  bool prefix_caching_;
  uint64_t model_seed_;
  BlockPool pool_;
  std::unordered_map<SequenceId, Table> tables_;
  PrefixCacheStats stats_;
};

}  // namespace fastchat::kv_cache
