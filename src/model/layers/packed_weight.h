#pragma once
// Projection weights re-laid once, at load time, for the CPU GEMM kernel: [out/16][in][16]
// panels, so that each step of the kernel reads the weights of 16 consecutive outputs for one
// input as one vector, straight from memory in the order it uses them. BLAS sgemm instead
// packs its operand on every call; at decode batch sizes (a few dozen rows) that packing and
// the unoverlapped memory traffic cost as much as the arithmetic (fastchat-bench, 110M model).

#include <torch/types.h>

namespace fastchat::model::layers {

/// Output features per panel: one AVX-512 register of floats.
inline constexpr int64_t kPanelWidth = 16;

/// True for float32 CPU matrices whose row count is a multiple of kPanelWidth.
bool can_pack(const torch::Tensor& weight);

/// [out, in] -> [out/16, in, 16]. A packed weight is recognised by having three dimensions.
torch::Tensor pack_weight(const torch::Tensor& weight);

/// Rows `ids` of the unpacked matrix, read from its packed form (embedding lookup of a tied
/// model whose only copy is the packed lm_head).
torch::Tensor packed_rows(const torch::Tensor& packed, const torch::Tensor& ids);

/// y[M, N] (=, or += when accumulate) x[M, K] W^T + bias, W packed. x and y are contiguous
/// float32; bias (N floats) may be null.
void packed_gemm(const float* x, int64_t rows, int64_t in, const float* packed, int64_t out,
                 const float* bias, float* y, bool accumulate);

}  // namespace fastchat::model::layers
