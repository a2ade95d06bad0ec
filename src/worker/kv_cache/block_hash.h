#pragma once
// Identity of a full KV block for the prefix cache: a hash chained over the token ids of every
// block before it (so equal blocks after different prefixes differ) and seeded with the
// model, plus the block's own tokens and its parent's hash to check candidates exactly.

#include <cstdint>
#include <span>
#include <vector>

namespace fastchat::kv_cache {

struct BlockKey {
  uint64_t hash = 0;
  uint64_t parent_hash = 0;
  std::vector<int32_t> tokens;

  bool operator==(const BlockKey&) const = default;
};

/// The key of the block holding `tokens` right after the block whose hash is `parent_hash`
/// (the first block's parent is the model seed).
BlockKey make_block_key(uint64_t parent_hash, std::span<const int32_t> tokens);

/// A seed that separates caches of different models (e.g. a hash of the model's config).
uint64_t hash_bytes(std::span<const char> bytes);

}  // namespace fastchat::kv_cache
