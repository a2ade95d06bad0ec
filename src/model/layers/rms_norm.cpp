#include "model/layers/rms_norm.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <cmath>

namespace fastchat::model::layers {
namespace {

torch::Tensor rms_norm_reference(const torch::Tensor& x, const torch::Tensor& weight, double eps) {
  auto x32 = x.to(torch::kFloat32);
  auto normed = x32 * torch::rsqrt(x32.pow(2).mean(-1, /*keepdim=*/true) + eps);
  return weight * normed.to(x.scalar_type());
}

torch::Tensor rms_norm_cpu(const torch::Tensor& x, const torch::Tensor& weight, double eps) {
  auto input = x.contiguous();
  const int64_t rows = input.size(0);
  const int64_t hidden = input.size(1);
  auto out = torch::empty_like(input);
  const float* src = input.data_ptr<float>();
  const float* w = weight.data_ptr<float>();
  float* dst = out.data_ptr<float>();
  // Small batches stay on the calling thread: waking the pool costs more than the work.
  const int64_t grain = std::max<int64_t>(1, 32768 / hidden);
  at::parallel_for(0, rows, grain, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const float* in = src + r * hidden;
      float* o = dst + r * hidden;
      float sum = 0.0f;
      for (int64_t i = 0; i < hidden; ++i) sum += in[i] * in[i];
      const float scale =
          1.0f / std::sqrt(sum / static_cast<float>(hidden) + static_cast<float>(eps));
      for (int64_t i = 0; i < hidden; ++i) o[i] = w[i] * (in[i] * scale);
    }
  });
  return out;
}

}  // namespace

torch::Tensor rms_norm(const torch::Tensor& x, const torch::Tensor& weight, double eps, bool fast) {
  return fast ? rms_norm_cpu(x, weight, eps) : rms_norm_reference(x, weight, eps);
}

}  // namespace fastchat::model::layers
