#pragma once
// How many KV blocks fit a memory budget: pure arithmetic, shared by the engine and the
// benchmark so both size the cache the same way.

#include <cstdint>

namespace fastchat::model {

struct KvCacheShape {
  int64_t num_layers = 0;
  int64_t num_kv_heads = 0;
  int64_t head_dim = 0;
  int64_t block_size = 16;
  int64_t dtype_bytes = 4;
};

/// Bytes one block takes across all layers, keys and values.
int64_t bytes_per_block(const KvCacheShape& shape);
/// Blocks that fit in `budget_bytes` (at least 0).
int64_t blocks_for_budget(const KvCacheShape& shape, int64_t budget_bytes);

}  // namespace fastchat::model
