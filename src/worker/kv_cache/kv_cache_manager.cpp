#include "worker/kv_cache/kv_cache_manager.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace fastchat::kv_cache {

KvCacheManager::KvCacheManager(int32_t num_blocks, int32_t block_size, bool enable_prefix_caching,
                               uint64_t model_seed, int32_t sliding_window)
    : block_size_(block_size),
      sliding_window_(sliding_window),
      prefix_caching_(enable_prefix_caching),
      model_seed_(model_seed),
      pool_(num_blocks) {
  if (block_size <= 0) throw std::invalid_argument("block size must be positive");
  if (sliding_window < 0) throw std::invalid_argument("sliding window must not be negative");
}

double KvCacheManager::usage() const {
  return 1.0 - static_cast<double>(pool_.num_free()) / pool_.num_blocks();
}

int32_t KvCacheManager::blocks_for_tokens(int64_t num_tokens) const {
  return static_cast<int32_t>((num_tokens + block_size_ - 1) / block_size_);
}

PrefixMatch KvCacheManager::match_prefix(std::span<const int32_t> tokens) const {
  PrefixMatch match;
  match.last_hash = model_seed_;
  match.num_queried = static_cast<int32_t>(tokens.size());
  if (!prefix_caching_ || tokens.empty()) return match;
  const size_t max_blocks = (tokens.size() - 1) / block_size_;
  for (size_t i = 0; i < max_blocks; ++i) {
    const BlockKey key =
        make_block_key(match.last_hash, tokens.subspan(i * block_size_, block_size_));
    auto block = pool_.find_cached(key);
    if (!block) break;
    match.blocks.push_back(*block);
    match.last_hash = key.hash;
  }
  match.num_tokens = static_cast<int32_t>(match.blocks.size()) * block_size_;
  return match;
}

bool KvCacheManager::allocate(SequenceId sequence, int64_t num_tokens, const PrefixMatch& prefix) {
  auto it = tables_.find(sequence);
  const bool is_new = it == tables_.end();
  const std::vector<BlockId> no_prefix;
  const auto& shared = is_new ? prefix.blocks : no_prefix;
  const int32_t have =
      is_new ? static_cast<int32_t>(shared.size()) : static_cast<int32_t>(it->second.blocks.size());
  const int32_t missing = blocks_for_tokens(num_tokens) - have;
  if (missing <= 0 && !is_new) return true;
  // Shared blocks nobody holds right now are counted as free: taking them leaves less.
  int32_t available = pool_.num_free();
  for (BlockId id : shared) available -= pool_.ref_count(id) == 0 ? 1 : 0;
  if (missing > available) return false;

  if (is_new) {
    Table table;
    for (BlockId id : shared) pool_.acquire(id);
    table.blocks = shared;
    table.num_cached = static_cast<int32_t>(shared.size());
    table.last_hash = shared.empty() ? model_seed_ : prefix.last_hash;
    it = tables_.emplace(sequence, std::move(table)).first;
    if (prefix_caching_) {
      stats_.queried_tokens += prefix.num_queried;
      stats_.hit_tokens += prefix.num_tokens;
    }
  }
  if (missing > 0) {
    auto blocks = pool_.allocate(missing);  // cannot fail: checked above
    it->second.blocks.insert(it->second.blocks.end(), blocks->begin(), blocks->end());
  }
  return true;
}

void KvCacheManager::cache_full_blocks(SequenceId sequence, std::span<const int32_t> tokens,
                                       int32_t num_computed) {
  if (!prefix_caching_) return;
  auto it = tables_.find(sequence);
  if (it == tables_.end()) return;
  Table& table = it->second;
  const int32_t full =
      std::min<int32_t>(num_computed / block_size_, static_cast<int32_t>(table.blocks.size()));
  for (; table.num_cached < full; ++table.num_cached) {
    BlockKey key = make_block_key(
        table.last_hash,
        tokens.subspan(static_cast<size_t>(table.num_cached) * block_size_, block_size_));
    table.last_hash = key.hash;
    pool_.cache(table.blocks[table.num_cached], std::move(key));
  }
}

void KvCacheManager::release_outside_window(SequenceId sequence, int32_t num_computed) {
  if (sliding_window_ == 0) return;
  auto it = tables_.find(sequence);
  if (it == tables_.end()) return;
  Table& table = it->second;
  // The next query sits at position num_computed and reads keys from num_computed + 1 - W on.
  const int64_t first_key = int64_t{num_computed} + 1 - sliding_window_;
  const auto outside = static_cast<int32_t>(std::min<int64_t>(
      std::max<int64_t>(0, first_key) / block_size_, static_cast<int64_t>(table.blocks.size())));
  if (outside <= table.num_released) return;
  auto leaving = std::span(table.blocks).subspan(table.num_released, outside - table.num_released);
  pool_.release(leaving);
  std::fill(leaving.begin(), leaving.end(), kReleasedBlock);
  table.num_released = outside;
}

void KvCacheManager::free(SequenceId sequence) {
  auto it = tables_.find(sequence);
  if (it == tables_.end()) return;
  const Table& table = it->second;
  pool_.release(std::span(table.blocks).subspan(table.num_released));
  tables_.erase(it);
}

const std::vector<BlockId>& KvCacheManager::block_table(SequenceId sequence) const {
  auto it = tables_.find(sequence);
  if (it == tables_.end()) {
    throw std::logic_error("no block table for sequence " + std::to_string(sequence));
  }
  return it->second.blocks;
}

}  // namespace fastchat::kv_cache
