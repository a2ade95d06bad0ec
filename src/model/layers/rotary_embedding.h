#pragma once
// Rotary position embedding in Hugging Face's rotate_half convention (pairs i and i + d/2),
// with Llama 3.1's frequency scaling when the config asks for it. The cos/sin tables are
// computed once for every position up to the context limit and live on the model's device.

#include <torch/types.h>

#include <span>

#include "model/loader/model_config.h"

namespace fastchat::model::layers {

class RotaryEmbedding {
 public:
  RotaryEmbedding(const loader::ModelConfig& config, const torch::Device& device);

  /// Rotates, in place, the query and key heads of `qkv` [tokens, (heads + 2 kv_heads) * head_dim]
  /// (queries first, then keys, then values) at the given positions.
  void apply(torch::Tensor& qkv, std::span<const int32_t> positions,
             const torch::Tensor& positions_on_device, bool fast) const;

 private:
  int64_t num_heads_;
  int64_t num_kv_heads_;
  int64_t head_dim_;
  torch::Tensor cos_;  // [max_positions, head_dim / 2], float32
  torch::Tensor sin_;
};

}  // namespace fastchat::model::layers
