#pragma once
// A random-weight Llama written as a Hugging Face folder (config.json + model.safetensors),
// so benchmarks can measure model shapes no one can download here.

#include <cstdint>
#include <filesystem>
#include <string>

namespace fastchat::model_writer {

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

/// Known shapes by name: "110M" (llama2.c stories110M: 768 hidden, 12 layers, 12 heads, 32000
/// vocab).
SyntheticShape synthetic_shape(const std::string& name);

struct SyntheticOptions {
  /// Ids from this one up (to vocab_size) get all-zero lm_head rows, as in a model whose
  /// vocabulary is padded past its tokenizer's: with random weights their logit is 0 while
  /// the maximum over the real ids is well above it, so greedy decoding only picks ids the
  /// tokenizer can spell. -1: every row random (ids past a tokenizer decode as empty text).
  int64_t zero_lm_head_from = -1;
  int64_t bos_token_id = 1;
  int64_t eos_token_id = 2;
};

/// Writes the folder (fixed seed, N(0, 0.02) weights) and returns it.
std::filesystem::path write_synthetic_model(const SyntheticShape& shape,
                                            const std::filesystem::path& folder,
                                            const SyntheticOptions& options = {});

/// A servable folder: the synthetic model plus the tokenizer files of `tokenizer_from` (a model
/// or tokenizer folder: tokenizer.json / tokenizer.model, tokenizer_config.json,
/// special_tokens_map.json, added_tokens.json, whichever exist), its BOS/EOS ids in config.json.
/// With `zero_padding_rows`, the lm_head rows past the tokenizer's vocabulary are zero (see
/// SyntheticOptions). Throws ErrorException{InvalidConfig} when the tokenizer does not load or
/// is larger than the model's vocabulary (its ids would be refused as prompt tokens).
std::filesystem::path write_servable_synthetic_model(const SyntheticShape& shape,
                                                     const std::filesystem::path& folder,
                                                     const std::filesystem::path& tokenizer_from,
                                                     bool zero_padding_rows);

/// Parameters of the shape, embeddings and lm_head included (untied).
int64_t parameter_count(const SyntheticShape& shape);

}  // namespace fastchat::model_writer
