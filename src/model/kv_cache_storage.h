#pragma once
// Device memory of the paged KV cache, allocated once: per layer a key tensor of shape
// [num_blocks, num_kv_heads, head_dim, block_size] and a value tensor of shape
// [num_blocks, num_kv_heads, block_size, head_dim]. Keys are stored transposed inside a block
// so that one query's scores against a whole block are a contiguous, vectorizable loop over
// the block's tokens; values keep a token's head_dim contiguous for the weighted sum.
// Which block belongs to whom is KvCacheManager's business, not this one's. Engine thread only.

#include <torch/types.h>

#include <vector>

#include "model/kv_cache_shape.h"

namespace fastchat::model {

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

}  // namespace fastchat::model
