#include "worker/kv_cache/block_pool.h"

#include <stdexcept>
#include <string>

namespace fastchat::kv_cache {

BlockPool::BlockPool(int32_t num_blocks) : num_blocks_(num_blocks) {
  if (num_blocks <= 0) throw std::invalid_argument("BlockPool needs at least one block");
  blocks_.resize(num_blocks);
  empty_.reserve(num_blocks);
  // Highest id at the bottom so that block 0 is handed out first (easier to read in logs).
  for (BlockId id = num_blocks - 1; id >= 0; --id) empty_.push_back(id);
}

void BlockPool::evict(BlockId id) {
  BlockState& block = blocks_[id];
  evictable_.erase(block.lru_position);
  auto it = cached_.find(block.key->hash);
  if (it != cached_.end() && it->second == id) cached_.erase(it);
  block.key.reset();
}

std::optional<std::vector<BlockId>> BlockPool::allocate(int32_t count) {
  if (count < 0 || count > num_free()) return std::nullopt;
  std::vector<BlockId> blocks;
  blocks.reserve(count);
  while (static_cast<int32_t>(blocks.size()) < count) {
    BlockId id;
    if (!empty_.empty()) {
      id = empty_.back();
      empty_.pop_back();
    } else {
      id = evictable_.front();
      evict(id);
    }
    blocks_[id].ref_count = 1;
    blocks.push_back(id);
  }
  return blocks;
}

void BlockPool::acquire(BlockId id) {
  BlockState& block = blocks_.at(id);
  if (!block.key) {
    throw std::logic_error("BlockPool::acquire: block " + std::to_string(id) + " is not cached");
  }
  if (block.ref_count++ == 0) evictable_.erase(block.lru_position);
}

void BlockPool::release(std::span<const BlockId> blocks) {
  for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) {
    const BlockId id = *it;
    // A double free would hand one block to two sequences and corrupt both: fail loudly.
    if (id < 0 || id >= num_blocks_ || blocks_[id].ref_count <= 0) {
      throw std::logic_error("BlockPool::release: block " + std::to_string(id) + " is not in use");
    }
    BlockState& block = blocks_[id];
    if (--block.ref_count > 0) continue;
    if (block.key) {
      block.lru_position = evictable_.insert(evictable_.end(), id);
    } else {
      empty_.push_back(id);
    }
  }
}

std::optional<BlockId> BlockPool::find_cached(const BlockKey& key) const {
  auto it = cached_.find(key.hash);
  if (it == cached_.end() || *blocks_[it->second].key != key) return std::nullopt;
  return it->second;
}

void BlockPool::cache(BlockId id, BlockKey key) {
  BlockState& block = blocks_.at(id);
  if (block.ref_count <= 0) {
    throw std::logic_error("BlockPool::cache: block " + std::to_string(id) + " is not in use");
  }
  if (block.key || cached_.count(key.hash)) return;
  cached_.emplace(key.hash, id);
  block.key = std::move(key);
}

}  // namespace fastchat::kv_cache
