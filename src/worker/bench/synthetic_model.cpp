#include "worker/bench/synthetic_model.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <fstream>

#include "common/error/error.h"
#include "worker/loader/safetensors_writer.h"

namespace fastchat::bench {

SyntheticShape synthetic_shape(const std::string& name) {
  if (name == "110M") return {"110M", 768, 2048, 12, 12, 12, 32000, 1024};
  throw_error(ErrorCode::InvalidConfig, "--synthetic: unknown shape '" + name + "' (known: 110M)",
              "synthetic");
}

int64_t parameter_count(const SyntheticShape& s) {
  const int64_t head_dim = s.hidden_size / s.num_heads;
  const int64_t attn = s.hidden_size * head_dim * (2 * s.num_heads + 2 * s.num_kv_heads);
  const int64_t mlp = 3 * s.hidden_size * s.intermediate_size;
  return s.num_layers * (attn + mlp + 2 * s.hidden_size) + 2 * s.vocab_size * s.hidden_size +
         s.hidden_size;
}

std::filesystem::path write_synthetic_model(const SyntheticShape& s,
                                            const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder);
  nlohmann::json config = {{"architectures", {"LlamaForCausalLM"}}, {"model_type", "llama"},
                           {"hidden_size", s.hidden_size}, {"intermediate_size", s.intermediate_size},
                           {"num_hidden_layers", s.num_layers}, {"num_attention_heads", s.num_heads},
                           {"num_key_value_heads", s.num_kv_heads}, {"vocab_size", s.vocab_size},
                           {"max_position_embeddings", s.max_position_embeddings},
                           {"rms_norm_eps", 1e-5}, {"rope_theta", 10000.0},
                           {"tie_word_embeddings", false}, {"torch_dtype", "float32"},
                           {"bos_token_id", 1}, {"eos_token_id", 2}};
  std::ofstream(folder / "config.json") << config.dump(2);

  torch::manual_seed(0);
  const int64_t head_dim = s.hidden_size / s.num_heads;
  auto normal = [](std::vector<int64_t> shape) { return torch::randn(shape) * 0.02; };
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  tensors.emplace_back("model.embed_tokens.weight", normal({s.vocab_size, s.hidden_size}));
  for (int64_t l = 0; l < s.num_layers; ++l) {
    const std::string p = "model.layers." + std::to_string(l) + ".";
    tensors.emplace_back(p + "input_layernorm.weight", torch::ones({s.hidden_size}));
    tensors.emplace_back(p + "post_attention_layernorm.weight", torch::ones({s.hidden_size}));
    tensors.emplace_back(p + "self_attn.q_proj.weight", normal({s.num_heads * head_dim, s.hidden_size}));
    tensors.emplace_back(p + "self_attn.k_proj.weight", normal({s.num_kv_heads * head_dim, s.hidden_size}));
    tensors.emplace_back(p + "self_attn.v_proj.weight", normal({s.num_kv_heads * head_dim, s.hidden_size}));
    tensors.emplace_back(p + "self_attn.o_proj.weight", normal({s.hidden_size, s.num_heads * head_dim}));
    tensors.emplace_back(p + "mlp.gate_proj.weight", normal({s.intermediate_size, s.hidden_size}));
    tensors.emplace_back(p + "mlp.up_proj.weight", normal({s.intermediate_size, s.hidden_size}));
    tensors.emplace_back(p + "mlp.down_proj.weight", normal({s.hidden_size, s.intermediate_size}));
  }
  tensors.emplace_back("model.norm.weight", torch::ones({s.hidden_size}));
  tensors.emplace_back("lm_head.weight", normal({s.vocab_size, s.hidden_size}));
  loader::write_safetensors(folder / "model.safetensors", tensors);
  return folder;
}

}  // namespace fastchat::bench
