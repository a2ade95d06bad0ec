#pragma once
// RMSNorm as in Hugging Face Llama: statistics in float32, result in the input dtype.

#include <torch/types.h>

namespace fastchat::model::layers {

/// x [rows, hidden] -> normalized copy. `fast` selects the float32 CPU kernel; otherwise
/// plain torch ops run on any device and dtype.
torch::Tensor rms_norm(const torch::Tensor& x, const torch::Tensor& weight, double eps, bool fast);

}  // namespace fastchat::model::layers
