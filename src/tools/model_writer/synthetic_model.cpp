#include "tools/model_writer/synthetic_model.h"

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "common/error/error.h"
#include "text/tokenizer/tokenizer.h"
#include "tools/model_writer/safetensors_writer.h"

namespace fastchat::model_writer {

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
                                            const std::filesystem::path& folder,
                                            const SyntheticOptions& options) {
  std::filesystem::create_directories(folder);
  nlohmann::json config = {{"architectures", {"LlamaForCausalLM"}},
                           {"model_type", "llama"},
                           {"hidden_size", s.hidden_size},
                           {"intermediate_size", s.intermediate_size},
                           {"num_hidden_layers", s.num_layers},
                           {"num_attention_heads", s.num_heads},
                           {"num_key_value_heads", s.num_kv_heads},
                           {"vocab_size", s.vocab_size},
                           {"max_position_embeddings", s.max_position_embeddings},
                           {"rms_norm_eps", 1e-5},
                           {"rope_theta", 10000.0},
                           {"tie_word_embeddings", false},
                           {"torch_dtype", "float32"},
                           {"bos_token_id", options.bos_token_id},
                           {"eos_token_id", options.eos_token_id}};
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
    tensors.emplace_back(p + "self_attn.q_proj.weight",
                         normal({s.num_heads * head_dim, s.hidden_size}));
    tensors.emplace_back(p + "self_attn.k_proj.weight",
                         normal({s.num_kv_heads * head_dim, s.hidden_size}));
    tensors.emplace_back(p + "self_attn.v_proj.weight",
                         normal({s.num_kv_heads * head_dim, s.hidden_size}));
    tensors.emplace_back(p + "self_attn.o_proj.weight",
                         normal({s.hidden_size, s.num_heads * head_dim}));
    tensors.emplace_back(p + "mlp.gate_proj.weight", normal({s.intermediate_size, s.hidden_size}));
    tensors.emplace_back(p + "mlp.up_proj.weight", normal({s.intermediate_size, s.hidden_size}));
    tensors.emplace_back(p + "mlp.down_proj.weight", normal({s.hidden_size, s.intermediate_size}));
  }
  tensors.emplace_back("model.norm.weight", torch::ones({s.hidden_size}));
  auto lm_head = normal({s.vocab_size, s.hidden_size});
  if (options.zero_lm_head_from >= 0 && options.zero_lm_head_from < s.vocab_size) {
    lm_head.narrow(0, options.zero_lm_head_from, s.vocab_size - options.zero_lm_head_from).zero_();
  }
  tensors.emplace_back("lm_head.weight", lm_head);
  model_writer::write_safetensors(folder / "model.safetensors", tensors);
  return folder;
}

std::filesystem::path write_servable_synthetic_model(const SyntheticShape& shape,
                                                     const std::filesystem::path& folder,
                                                     const std::filesystem::path& tokenizer_from,
                                                     bool zero_padding_rows) {
  std::unique_ptr<tokenizer::Tokenizer> tok;
  try {
    tok = tokenizer::load_tokenizer(tokenizer_from);
  } catch (const ErrorException& e) {
    throw_error(ErrorCode::InvalidConfig, std::string("--tokenizer-from: ") + e.what(),
                "tokenizer-from");
  }
  if (tok->vocab_size() > shape.vocab_size) {
    throw_error(ErrorCode::InvalidConfig,
                "--tokenizer-from: the tokenizer has " + std::to_string(tok->vocab_size()) +
                    " ids, more than the " + std::to_string(shape.vocab_size) + " of shape " +
                    shape.name,
                "tokenizer-from");
  }
  SyntheticOptions options;
  if (zero_padding_rows) options.zero_lm_head_from = tok->vocab_size();
  if (auto bos = tok->bos_id()) options.bos_token_id = *bos;
  if (auto eos = tok->eos_id()) options.eos_token_id = *eos;
  std::filesystem::create_directories(folder);
  for (const char* name : {"tokenizer.json", "tokenizer.model", "tokenizer_config.json",
                           "special_tokens_map.json", "added_tokens.json"}) {
    const auto from = tokenizer_from / name;
    if (std::filesystem::exists(from)) {
      std::filesystem::copy_file(from, folder / name,
                                 std::filesystem::copy_options::overwrite_existing);
      // Shared data is read-only; the copy need not be.
      std::filesystem::permissions(folder / name, std::filesystem::perms::owner_write,
                                   std::filesystem::perm_options::add);
    }
  }
  return write_synthetic_model(shape, folder, options);
}

}  // namespace fastchat::model_writer
