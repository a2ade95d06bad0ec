#include "worker/model/layers/linear.h"

#include <torch/torch.h>

namespace fastchat::model::layers {

torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
  if (x.size(0) == 1) {
    auto row = bias.defined() ? torch::addmv(bias, weight, x[0]) : torch::mv(weight, x[0]);
    return row.unsqueeze(0);
  }
  return bias.defined() ? torch::addmm(bias, x, weight.t()) : torch::mm(x, weight.t());
}

void linear_accumulate(torch::Tensor& out, const torch::Tensor& x, const torch::Tensor& weight) {
  if (x.size(0) == 1) {
    auto row = out[0];
    row.addmv_(weight, x[0]);
    return;
  }
  out.addmm_(x, weight.t());
}

}  // namespace fastchat::model::layers
