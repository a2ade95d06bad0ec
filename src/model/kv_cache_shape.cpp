#include "model/kv_cache_shape.h"

namespace fastchat::model {

int64_t bytes_per_block(const KvCacheShape& shape) {
  return 2 * shape.num_layers * shape.block_size * shape.num_kv_heads * shape.head_dim *
         shape.dtype_bytes;
}

int64_t blocks_for_budget(const KvCacheShape& shape, int64_t budget_bytes) {
  int64_t per_block = bytes_per_block(shape);
  if (per_block <= 0 || budget_bytes <= 0) return 0;
  return budget_bytes / per_block;
}

}  // namespace fastchat::model
