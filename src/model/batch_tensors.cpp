#include "model/batch_tensors.h"

#include <torch/torch.h>

namespace fastchat::model {
namespace {

torch::Tensor to_index_tensor(const std::vector<int64_t>& values, const torch::Device& device) {
  auto host = torch::from_blob(const_cast<int64_t*>(values.data()),
                               {static_cast<int64_t>(values.size())}, torch::kInt64);
  return host.to(device, /*non_blocking=*/false, /*copy=*/true);
}

template <typename T>
std::vector<int64_t> widen(const std::vector<T>& values) {
  return std::vector<int64_t>(values.begin(), values.end());
}

}  // namespace

BatchTensors make_batch_tensors(const ForwardBatch& batch, int64_t block_size,
                                const torch::Device& device) {
  std::vector<int64_t> blocks(batch.slots.size());
  std::vector<int64_t> offsets(batch.slots.size());
  for (size_t i = 0; i < batch.slots.size(); ++i) {
    blocks[i] = batch.slots[i] / block_size;
    offsets[i] = batch.slots[i] % block_size;
  }
  BatchTensors tensors;
  tensors.token_ids = to_index_tensor(widen(batch.token_ids), device);
  tensors.positions = to_index_tensor(widen(batch.positions), device);
  tensors.slot_blocks = to_index_tensor(blocks, device);
  tensors.slot_offsets = to_index_tensor(offsets, device);
  tensors.logits_rows = to_index_tensor(widen(batch.logits_rows), device);
  return tensors;
}

}  // namespace fastchat::model
