#pragma once
// The SwiGLU activation of Llama's MLP: silu(gate) * up, with gate and up produced by one
// fused matmul as the two halves of `gate_up` [rows, 2 * intermediate].

#include <torch/types.h>

namespace fastchat::model::layers {

torch::Tensor silu_and_mul(const torch::Tensor& gate_up, bool fast);

}  // namespace fastchat::model::layers
