#include "worker/kv_cache/block_pool.h"

#include <stdexcept>
#include <string>

namespace fastchat::kv_cache {

BlockPool::BlockPool(int32_t num_blocks) : num_blocks_(num_blocks), in_use_(num_blocks, false) {
  if (num_blocks <= 0) throw std::invalid_argument("BlockPool needs at least one block");
  free_.reserve(num_blocks);
  // Highest id at the bottom so that block 0 is handed out first (easier to read in logs).
  for (BlockId id = num_blocks - 1; id >= 0; --id) free_.push_back(id);
}

std::optional<std::vector<BlockId>> BlockPool::allocate(int32_t count) {
  if (count < 0 || count > num_free()) return std::nullopt;
  std::vector<BlockId> blocks(free_.end() - count, free_.end());
  free_.resize(free_.size() - count);
  for (BlockId id : blocks) in_use_[id] = true;
  return blocks;
}

void BlockPool::free(const std::vector<BlockId>& blocks) {
  for (BlockId id : blocks) {
    // A double free would hand one block to two sequences and corrupt both: fail loudly.
    if (id < 0 || id >= num_blocks_ || !in_use_[id]) {
      throw std::logic_error("BlockPool::free: block " + std::to_string(id) + " is not in use");
    }
    in_use_[id] = false;
    free_.push_back(id);
  }
}

}  // namespace fastchat::kv_cache
