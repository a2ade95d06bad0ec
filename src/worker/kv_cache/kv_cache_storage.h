#pragma once
// Device memory of the paged KV cache: per layer one key and one value tensor of shape
// [num_blocks, num_kv_heads, block_size, head_dim], allocated once. Keeping a head's tokens
// contiguous inside a block lets attention stream them without gathers. Which block belongs
// to whom is KvCacheManager's business, not this one's. Engine thread only.

#include <torch/types.h>

#include <vector>

#include "worker/kv_cache/kv_cache_sizing.h"

namespace fastchat::kv_cache {

class KvCacheStorage {
 public:
  KvCacheStorage(const KvCacheShape& shape, int64_t num_blocks, torch::ScalarType dtype,
                 const torch::Device& device);

  const KvCacheShape& shape() const { return shape_; }
  int64_t num_blocks() const { return num_blocks_; }
  torch::Tensor& keys(int64_t layer) { return keys_[layer]; }
  torch::Tensor& values(int64_t layer) { return values_[layer]; }
  int64_t bytes() const;

 private:
  KvCacheShape shape_;
  int64_t num_blocks_;
  std::vector<torch::Tensor> keys_;
  std::vector<torch::Tensor> values_;
};

}  // namespace fastchat::kv_cache
