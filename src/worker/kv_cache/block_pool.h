#pragma once
// Fixed pool of KV block ids. Plain bookkeeping: the device memory lives in KvCacheStorage,
// which this never touches. Owned and used by the engine thread only.

#include <cstdint>
#include <optional>
#include <vector>

namespace fastchat::kv_cache {

using BlockId = int32_t;

class BlockPool {
 public:
  explicit BlockPool(int32_t num_blocks);

  int32_t num_blocks() const { return num_blocks_; }
  int32_t num_free() const { return static_cast<int32_t>(free_.size()); }

  /// Takes `count` blocks, or none at all when fewer are free (no partial allocations).
  std::optional<std::vector<BlockId>> allocate(int32_t count);
  /// Returns blocks to the pool; each must have come from allocate() and not been freed since.
  void free(const std::vector<BlockId>& blocks);

 private:
  int32_t num_blocks_;
  std::vector<BlockId> free_;  // LIFO: recently freed blocks are reused first (warm in cache)
  std::vector<bool> in_use_;
};

}  // namespace fastchat::kv_cache
