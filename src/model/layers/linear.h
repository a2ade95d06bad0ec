#pragma once
// Projections by a weight stored as in Hugging Face files, [out_features, in_features].
// A single row (decode at batch 1) against a large weight goes through BLAS gemv: OpenBLAS's
// sgemm with one row is several times slower than its gemv there (0.5-4 vs 10-12 GB/s).
// The weight may be bfloat16 while x is float32 (CPU): the product is then computed in
// bfloat16 (AVX512-BF16 where the CPU has it) and returned in x's dtype.

#include <torch/types.h>

namespace fastchat::model::layers {

/// x [rows, in] -> x W^T (+ bias) [rows, out].
torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight,
                     const torch::Tensor& bias = {});
/// out [rows, out] += x W^T (+ bias), in place (the residual adds).
void linear_accumulate(torch::Tensor& out, const torch::Tensor& x, const torch::Tensor& weight,
                       const torch::Tensor& bias = {});

}  // namespace fastchat::model::layers
