#pragma once
// A random-weight Llama written as a Hugging Face folder (config.json + model.safetensors),
// so benchmarks can measure model shapes no one can download here.

#include <cstdint>
#include <filesystem>
#include <string>

namespace fastchat::bench {

struct SyntheticShape {
  std::string name;
  int64_t hidden_size;
  int64_t intermediate_size;
  int64_t num_layers;
  int64_t num_heads;
  int64_t num_kv_heads;
  int64_t vocab_size;
  int64_t max_position_embeddings;
};

/// Known shapes by name: "110M" (llama2.c stories110M: 768 hidden, 12 layers, 12 heads, 32000 vocab).
SyntheticShape synthetic_shape(const std::string& name);

/// Writes the folder (fixed seed, N(0, 0.02) weights) and returns it.
std::filesystem::path write_synthetic_model(const SyntheticShape& shape,
                                            const std::filesystem::path& folder);

/// Parameters of the shape, embeddings and lm_head included (untied).
int64_t parameter_count(const SyntheticShape& shape);

}  // namespace fastchat::bench
