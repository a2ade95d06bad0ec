#pragma once
// Device copies of the ForwardBatch index arrays that torch ops need (the CPU kernels read the
// host vectors directly). Built once per forward step.

#include <torch/types.h>

#include "model/forward_batch.h"

namespace fastchat::model {

struct BatchTensors {
  torch::Tensor token_ids;     // [T] int64
  torch::Tensor positions;     // [T] int64
  torch::Tensor slot_blocks;   // [T] int64: block of each token's cache slot
  torch::Tensor slot_offsets;  // [T] int64: offset inside that block
  torch::Tensor logits_rows;   // [R] int64
};

BatchTensors make_batch_tensors(const ForwardBatch& batch, int64_t block_size,
                                const torch::Device& device);

}  // namespace fastchat::model
