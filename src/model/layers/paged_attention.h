#pragma once
// Attention over a paged KV cache for a ragged batch: every sequence brings its own number of
// new tokens (prefill chunk or single decode token) and reads only its own blocks.
// Two implementations behind one call: a float32 CPU kernel that streams blocks with
// vectorized loops and an online-free two-pass softmax, and a torch-op reference that runs on
// any device and dtype (and is what the CPU kernel is tested against).

#include <torch/types.h>

#include "model/batch_tensors.h"
#include "model/forward_batch.h"

namespace fastchat::model::layers {

struct AttentionShape {
  int64_t num_heads = 0;
  int64_t num_kv_heads = 0;
  int64_t head_dim = 0;
  int64_t block_size = 0;
  /// W > 0: the query at position i attends the keys at positions i - W < j <= i (Mistral's
  /// sliding window); 0: every earlier key.
  int64_t sliding_window = 0;
};

/// Writes the keys and values of `qkv` [T, (H + 2 KV) * D] into the cache slots of `batch`,
/// then returns causal attention outputs [T, H * D] (scale 1/sqrt(D), grouped-query heads).
/// Key cache [num_blocks, KV, D, block_size], value cache [num_blocks, KV, block_size, D].
/// With a sliding window, block table entries wholly before every query's window are never
/// read, so their blocks may have been given back.
torch::Tensor paged_attention(const torch::Tensor& qkv, torch::Tensor& key_cache,
                              torch::Tensor& value_cache, const ForwardBatch& batch,
                              const BatchTensors& tensors, const AttentionShape& shape, bool fast);

}  // namespace fastchat::model::layers
