#include "model/kv_cache_storage.h"

#include <torch/torch.h>

namespace fastchat::model {

KvCacheStorage::KvCacheStorage(const KvCacheShape& shape, int64_t num_blocks,
                               torch::ScalarType dtype, const torch::Device& device)
    : shape_(shape), num_blocks_(num_blocks) {
  auto options = torch::TensorOptions().dtype(dtype).device(device);
  for (int64_t layer = 0; layer < shape.num_layers; ++layer) {
    // Zeroed so that padding reads in reference kernels never see NaN garbage.
    keys_.push_back(
        torch::zeros({num_blocks, shape.num_kv_heads, shape.head_dim, shape.block_size}, options));
    values_.push_back(
        torch::zeros({num_blocks, shape.num_kv_heads, shape.block_size, shape.head_dim}, options));
  }
}

int64_t KvCacheStorage::bytes() const {
  int64_t total = 0;
  for (const auto& t : keys_) total += t.numel() * t.element_size();
  for (const auto& t : values_) total += t.numel() * t.element_size();
  return total;
}

}  // namespace fastchat::model
