#pragma once
// Fixed pool of KV block ids with reference counts and a prefix cache (vLLM's BlockPool).
// A block whose keys and values are those of a known token prefix carries that prefix's
// hash; when its last user lets go it stays cached, still holding the data, until memory is
// needed: blocks that were never cached are handed out first, then cached ones in least
// recently released order. Plain bookkeeping: the device memory lives in KvCacheStorage,
// which this never touches. Engine thread only.

#include <cstdint>
#include <list>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "worker/kv_cache/block_hash.h"

namespace fastchat::kv_cache {

using BlockId = int32_t;

class BlockPool {
 public:
  explicit BlockPool(int32_t num_blocks);

  int32_t num_blocks() const { return num_blocks_; }
  /// Blocks allocate() can hand out: never used or released, cached ones included.
  int32_t num_free() const { return static_cast<int32_t>(empty_.size() + evictable_.size()); }
  /// Released blocks still holding a cached prefix.
  int32_t num_cached_free() const { return static_cast<int32_t>(evictable_.size()); }
  int32_t ref_count(BlockId id) const { return blocks_.at(id).ref_count; }

  /// Takes `count` blocks (reference count 1 each), evicting least recently released cached
  /// blocks when no empty ones are left; or none at all when fewer are free.
  std::optional<std::vector<BlockId>> allocate(int32_t count);
  /// One more user of a cached block (which may be free, waiting for eviction).
  void acquire(BlockId id);
  /// One user fewer for each block. `blocks` is a block table in prefix order: its tail
  /// blocks are evicted before its head, which more later requests are likely to share.
  void release(std::span<const BlockId> blocks);

  /// The cached block holding `key`, or none. The key's tokens are compared, so a hash
  /// collision reads as a miss rather than as someone else's keys and values.
  std::optional<BlockId> find_cached(const BlockKey& key) const;
  /// Records that `id` (in use) now holds the keys and values of `key`. When another block
  /// already holds them, nothing changes: one copy is enough.
  void cache(BlockId id, BlockKey key);

 private:
  struct BlockState {
    int32_t ref_count = 0;
    std::optional<BlockKey> key;
    std::list<BlockId>::iterator lru_position;  // valid while in evictable_
  };
  void evict(BlockId id);

  int32_t num_blocks_;
  std::vector<BlockState> blocks_;
  std::vector<BlockId> empty_;    // free, nothing cached; LIFO (recently used: warm)
  std::list<BlockId> evictable_;  // free, cached; front = least recently released
  std::unordered_map<uint64_t, BlockId> cached_;  // BlockKey::hash -> block
};

}  // namespace fastchat::kv_cache
