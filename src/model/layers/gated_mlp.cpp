#include "model/layers/gated_mlp.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "model/layers/fast_math.h"

namespace fastchat::model::layers {

torch::Tensor silu_and_mul(const torch::Tensor& gate_up, bool fast) {
  const int64_t inter = gate_up.size(1) / 2;
  if (!fast) {
    auto halves = gate_up.chunk(2, /*dim=*/1);
    return torch::silu(halves[0]) * halves[1];
  }
  auto input = gate_up.contiguous();
  const int64_t rows = input.size(0);
  auto out = torch::empty({rows, inter}, input.options());
  const float* src = input.data_ptr<float>();
  float* dst = out.data_ptr<float>();
  const int64_t grain = std::max<int64_t>(1, 65536 / inter);
  at::parallel_for(0, rows, grain, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const float* gate = src + r * 2 * inter;
      const float* up = gate + inter;
      float* o = dst + r * inter;
      for (int64_t i = 0; i < inter; ++i) o[i] = gate[i] / (1.0f + fast_exp(-gate[i])) * up[i];
    }
  });
  return out;
}

}  // namespace fastchat::model::layers
