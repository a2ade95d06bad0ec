#include "model/layers/rotary_embedding.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <cmath>
#include <numbers>

namespace fastchat::model::layers {
namespace {

// Llama 3.1: long wavelengths are slowed down by `factor`, short ones kept, the band between
// blended smoothly (the "llama3" rope_type of transformers).
void apply_llama3_scaling(std::vector<double>& inv_freq, const loader::RopeScaling& scaling) {
  const double old_context = static_cast<double>(scaling.original_max_position_embeddings);
  const double low_freq_wavelen = old_context / scaling.low_freq_factor;
  const double high_freq_wavelen = old_context / scaling.high_freq_factor;
  for (double& freq : inv_freq) {
    const double wavelen = 2.0 * std::numbers::pi / freq;
    if (wavelen < high_freq_wavelen) continue;
    if (wavelen > low_freq_wavelen) {
      freq /= scaling.factor;
      continue;
    }
    const double smooth = (old_context / wavelen - scaling.low_freq_factor) /
                          (scaling.high_freq_factor - scaling.low_freq_factor);
    freq = (1.0 - smooth) * freq / scaling.factor + smooth * freq;
  }
}

}  // namespace

RotaryEmbedding::RotaryEmbedding(const loader::ModelConfig& config, const torch::Device& device)
    : num_heads_(config.num_attention_heads),
      num_kv_heads_(config.num_key_value_heads),
      head_dim_(config.head_dim) {
  const int64_t half = head_dim_ / 2;
  std::vector<double> inv_freq(half);
  for (int64_t i = 0; i < half; ++i) {
    inv_freq[i] = 1.0 / std::pow(config.rope_theta, static_cast<double>(2 * i) / head_dim_);
  }
  if (config.rope_scaling && config.rope_scaling->type == "llama3") {
    apply_llama3_scaling(inv_freq, *config.rope_scaling);
  }
  const int64_t positions = config.max_position_embeddings;
  auto cos = torch::empty({positions, half}, torch::kFloat32);
  auto sin = torch::empty({positions, half}, torch::kFloat32);
  float* c = cos.data_ptr<float>();
  float* s = sin.data_ptr<float>();
  for (int64_t p = 0; p < positions; ++p) {
    for (int64_t i = 0; i < half; ++i) {
      // float32 angle, as transformers computes it, so long positions round the same way.
      const float angle = static_cast<float>(p) * static_cast<float>(inv_freq[i]);
      c[p * half + i] = std::cos(angle);
      s[p * half + i] = std::sin(angle);
    }
  }
  cos_ = cos.to(device);
  sin_ = sin.to(device);
}

void RotaryEmbedding::apply(torch::Tensor& qkv, std::span<const int32_t> positions,
                            const torch::Tensor& positions_on_device, bool fast) const {
  const int64_t half = head_dim_ / 2;
  const int64_t rotated_heads = num_heads_ + num_kv_heads_;
  if (!fast) {
    const int64_t tokens = qkv.size(0);
    auto cos = cos_.index_select(0, positions_on_device).unsqueeze(1).to(qkv.scalar_type());
    auto sin = sin_.index_select(0, positions_on_device).unsqueeze(1).to(qkv.scalar_type());
    auto heads =
        qkv.narrow(1, 0, rotated_heads * head_dim_).view({tokens, rotated_heads, head_dim_});
    auto x1 = heads.narrow(2, 0, half);
    auto x2 = heads.narrow(2, half, half);
    auto r1 = x1 * cos - x2 * sin;
    auto r2 = x2 * cos + x1 * sin;
    heads.copy_(torch::cat({r1, r2}, 2));
    return;
  }
  float* data = qkv.data_ptr<float>();
  const int64_t stride = qkv.stride(0);
  const float* cos = cos_.data_ptr<float>();
  const float* sin = sin_.data_ptr<float>();
  const int64_t tokens = static_cast<int64_t>(positions.size());
  const int64_t grain = std::max<int64_t>(1, 16384 / (rotated_heads * head_dim_));
  at::parallel_for(0, tokens, grain, [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; ++t) {
      const float* c = cos + static_cast<int64_t>(positions[t]) * half;
      const float* s = sin + static_cast<int64_t>(positions[t]) * half;
      for (int64_t h = 0; h < rotated_heads; ++h) {
        float* x = data + t * stride + h * head_dim_;
        for (int64_t i = 0; i < half; ++i) {
          const float a = x[i];
          const float b = x[i + half];
          x[i] = a * c[i] - b * s[i];
          x[i + half] = b * c[i] + a * s[i];
        }
      }
    }
  });
}

}  // namespace fastchat::model::layers
