#include "worker/kv_cache/kv_cache_manager.h"

#include <stdexcept>
#include <string>

namespace fastchat::kv_cache {

KvCacheManager::KvCacheManager(int32_t num_blocks, int32_t block_size)
    : block_size_(block_size), pool_(num_blocks) {
  if (block_size <= 0) throw std::invalid_argument("block size must be positive");
}

double KvCacheManager::usage() const {
  return 1.0 - static_cast<double>(pool_.num_free()) / pool_.num_blocks();
}

int32_t KvCacheManager::blocks_for_tokens(int64_t num_tokens) const {
  return static_cast<int32_t>((num_tokens + block_size_ - 1) / block_size_);
}

bool KvCacheManager::can_allocate(SequenceId sequence, int64_t num_tokens) const {
  auto it = tables_.find(sequence);
  int32_t have = it == tables_.end() ? 0 : static_cast<int32_t>(it->second.size());
  return blocks_for_tokens(num_tokens) - have <= pool_.num_free();
}

bool KvCacheManager::allocate(SequenceId sequence, int64_t num_tokens) {
  auto& table = tables_[sequence];
  int32_t missing = blocks_for_tokens(num_tokens) - static_cast<int32_t>(table.size());
  if (missing <= 0) return true;
  auto blocks = pool_.allocate(missing);
  if (!blocks) {
    if (table.empty()) tables_.erase(sequence);
    return false;
  }
  table.insert(table.end(), blocks->begin(), blocks->end());
  return true;
}

void KvCacheManager::free(SequenceId sequence) {
  auto it = tables_.find(sequence);
  if (it == tables_.end()) return;
  pool_.free(it->second);
  tables_.erase(it);
}

const std::vector<BlockId>& KvCacheManager::block_table(SequenceId sequence) const {
  auto it = tables_.find(sequence);
  if (it == tables_.end()) {
    throw std::logic_error("no block table for sequence " + std::to_string(sequence));
  }
  return it->second;
}

}  // namespace fastchat::kv_cache
