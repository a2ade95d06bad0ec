#include "model/layers/linear.h"

#include <torch/torch.h>

#include "model/layers/packed_weight.h"

namespace fastchat::model::layers {
namespace {

// gemv wins only once the weight is large enough to be memory-bound; on small ones (stories260K)
// its threading costs more than it saves (batch-1 decode fell from 11k to 1k tokens/s).
bool use_gemv(const torch::Tensor& x, const torch::Tensor& weight) {
  return x.size(0) == 1 && weight.numel() >= (int64_t{1} << 20);
}

}  // namespace

torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight,
                     const torch::Tensor& bias) {
  if (weight.dim() == 3) {
    auto in = x.contiguous();
    auto y = torch::empty({in.size(0), weight.size(0) * kPanelWidth}, in.options());
    packed_gemm(in.data_ptr<float>(), in.size(0), in.size(1), weight.data_ptr<float>(), y.size(1),
                bias.defined() ? bias.data_ptr<float>() : nullptr, y.data_ptr<float>(), false);
    return y;
  }
  if (x.scalar_type() != weight.scalar_type()) {
    // bf16 weights with float32 activations (CPU): the matmul runs in the weights' dtype.
    auto y = layers::linear(x.to(weight.scalar_type()), weight).to(x.scalar_type());
    return bias.defined() ? y.add_(bias) : y;
  }
  if (use_gemv(x, weight)) {
    auto row = bias.defined() ? torch::addmv(bias, weight, x[0]) : torch::mv(weight, x[0]);
    return row.unsqueeze(0);
  }
  return bias.defined() ? torch::addmm(bias, x, weight.t()) : torch::mm(x, weight.t());
}

void linear_accumulate(torch::Tensor& out, const torch::Tensor& x, const torch::Tensor& weight,
                       const torch::Tensor& bias) {
  if (weight.dim() == 3 && out.is_contiguous()) {
    auto in = x.contiguous();
    packed_gemm(in.data_ptr<float>(), in.size(0), in.size(1), weight.data_ptr<float>(), out.size(1),
                bias.defined() ? bias.data_ptr<float>() : nullptr, out.data_ptr<float>(), true);
    return;
  }
  if (x.scalar_type() != weight.scalar_type()) {
    out.add_(layers::linear(x, weight, bias));
    return;
  }
  if (use_gemv(x, weight)) {
    auto row = out[0];
    row.addmv_(weight, x[0]);
  } else {
    out.addmm_(x, weight.t());
  }
  if (bias.defined()) out.add_(bias);
}

}  // namespace fastchat::model::layers
