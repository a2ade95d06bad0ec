#pragma once
// A Hugging Face model folder's config.json (+ generation_config.json), parsed and validated
// once at load time. Torch-free so that components without libtorch can read model limits.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fastchat::loader {

/// rope_scaling of config.json. Only "llama3" (Llama 3.1 frequency smoothing) is represented;
/// no scaling and "default" are both std::nullopt in ModelConfig::rope_scaling.
struct RopeScaling {
  std::string type;  ///< "llama3"
  double factor = 1.0;
  double low_freq_factor = 1.0;
  double high_freq_factor = 4.0;
  int64_t original_max_position_embeddings = 8192;
};

/// The architecture hyper-parameters the model code needs. Plain value type.
struct ModelConfig {
  std::string architecture;  ///< LlamaForCausalLM | MistralForCausalLM | Qwen2ForCausalLM
  std::string model_type;    ///< "llama", "mistral", "qwen2" ("" when absent)
  int64_t hidden_size = 0;
  int64_t intermediate_size = 0;
  int64_t num_hidden_layers = 0;
  int64_t num_attention_heads = 0;
  int64_t num_key_value_heads = 0;  ///< defaults to num_attention_heads
  int64_t head_dim = 0;             ///< defaults to hidden_size / num_attention_heads
  int64_t vocab_size = 0;
  int64_t max_position_embeddings = 0;  ///< HF class default when absent (2048 llama, 32768 qwen2)
  double rms_norm_eps = 1e-6;           ///< HF class default when absent
  double rope_theta = 10000.0;
  std::optional<RopeScaling> rope_scaling;
  bool tie_word_embeddings = false;
  bool qkv_bias = false;  ///< q/k/v projections have a bias (Llama attention_bias; always Qwen2)
  bool o_bias = false;    ///< o_proj has a bias (Llama attention_bias)
  bool mlp_bias = false;  ///< gate/up/down projections have a bias (Llama mlp_bias)
  std::string torch_dtype = "float32";  ///< "float32" | "bfloat16" | "float16"
  std::optional<int32_t> bos_token_id;  ///< config.json's, else generation_config.json's
  std::vector<int32_t> eos_token_ids;   ///< generation_config's first, then config's; deduped
  /// Each token attends to itself and the W - 1 tokens before it (Mistral); none: all of them.
  std::optional<int64_t> sliding_window;
};

/// The architectures this build can run, in the order listed in error messages.
const std::vector<std::string>& supported_architectures();

/// Reads folder/config.json and the optional folder/generation_config.json, applies HF defaults
/// and validates. Throws ErrorException{InvalidModel, "config.json: <field> ...", "<field>"};
/// file-level failures (missing, not JSON) name the file as param. A field that changes the
/// computation is either read here and honoured by the model, or refused here by name: a model
/// is computed as Hugging Face transformers computes it, or not loaded at all.
ModelConfig load_model_config(const std::filesystem::path& folder);

}  // namespace fastchat::loader
