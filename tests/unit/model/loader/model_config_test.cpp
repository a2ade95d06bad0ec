#include "model/loader/model_config.h"

#include <gtest/gtest.h>

#include "loader_test_fixtures.h"

namespace fastchat::loader {
namespace {

using testing::expect_error;
using testing::TempDir;
using testing::write_text;

// A minimal valid Llama config; tests splice one field in or out.
std::string llama_config(const std::string& extra = "", const std::string& heads = "4",
                         const std::string& kv = "2") {
  return R"({"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 32,
    "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": )" +
         heads + R"(, "num_key_value_heads": )" + kv +
         R"(, "vocab_size": 100, "max_position_embeddings": 128, "rms_norm_eps": 1e-5)" + extra +
         "}";
}

ModelConfig load_text(const TempDir& dir, const std::string& config) {
  write_text(dir / "config.json", config);
  return load_model_config(dir.path());
}

TEST(ModelConfigTest, ParsesStories260K) {
  auto config = load_model_config(fastchat::testing::test_data_dir() / "models" / "stories260K");
  EXPECT_EQ(config.architecture, "LlamaForCausalLM");
  EXPECT_EQ(config.model_type, "llama");
  EXPECT_EQ(config.hidden_size, 64);
  EXPECT_EQ(config.intermediate_size, 172);
  EXPECT_EQ(config.num_hidden_layers, 5);
  EXPECT_EQ(config.num_attention_heads, 8);
  EXPECT_EQ(config.num_key_value_heads, 4);
  EXPECT_EQ(config.head_dim, 8);
  EXPECT_EQ(config.vocab_size, 512);
  EXPECT_EQ(config.max_position_embeddings, 512);
  EXPECT_DOUBLE_EQ(config.rms_norm_eps, 1e-5);
  EXPECT_DOUBLE_EQ(config.rope_theta, 10000.0);
  EXPECT_FALSE(config.rope_scaling.has_value());
  EXPECT_TRUE(config.tie_word_embeddings);
  EXPECT_FALSE(config.qkv_bias);
  EXPECT_FALSE(config.o_bias);
  EXPECT_FALSE(config.mlp_bias);
  EXPECT_EQ(config.torch_dtype, "float32");
  EXPECT_EQ(config.bos_token_id, 1);
  // generation_config's [2, 1] first, then config's 2 (already present).
  EXPECT_EQ(config.eos_token_ids, (std::vector<int32_t>{2, 1}));
  EXPECT_FALSE(config.sliding_window.has_value());
}

TEST(ModelConfigTest, AppliesDefaults) {
  TempDir dir("loader-config");
  auto config = load_text(dir, R"({"architectures": ["MistralForCausalLM"], "hidden_size": 32,
    "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
    "vocab_size": 100, "sliding_window": 4096, "rope_scaling": {"rope_type": "default"}})");
  EXPECT_EQ(config.num_key_value_heads, 4);
  EXPECT_EQ(config.head_dim, 8);
  EXPECT_EQ(config.torch_dtype, "float32");
  EXPECT_DOUBLE_EQ(config.rope_theta, 10000.0);
  EXPECT_FALSE(config.rope_scaling.has_value());
  EXPECT_FALSE(config.tie_word_embeddings);
  EXPECT_FALSE(config.bos_token_id.has_value());
  EXPECT_TRUE(config.eos_token_ids.empty());
  EXPECT_EQ(config.sliding_window, 4096);
}

TEST(ModelConfigTest, Qwen2AlwaysHasAttentionBias) {
  TempDir dir("loader-config");
  auto config = load_text(dir, R"({"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2",
    "hidden_size": 896, "intermediate_size": 4864, "num_hidden_layers": 24,
    "num_attention_heads": 14, "num_key_value_heads": 2, "vocab_size": 151936,
    "max_position_embeddings": 32768, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0,
    "tie_word_embeddings": true, "torch_dtype": "bfloat16", "bos_token_id": 151643,
    "eos_token_id": 151643, "sliding_window": null})");
  EXPECT_EQ(config.architecture, "Qwen2ForCausalLM");
  EXPECT_TRUE(config.qkv_bias);
  EXPECT_FALSE(config.o_bias);  // Qwen2's o_proj has none
  EXPECT_FALSE(config.mlp_bias);
  EXPECT_TRUE(config.tie_word_embeddings);
  EXPECT_EQ(config.head_dim, 64);
  EXPECT_EQ(config.torch_dtype, "bfloat16");
  EXPECT_DOUBLE_EQ(config.rope_theta, 1e6);
  EXPECT_EQ(config.eos_token_ids, (std::vector<int32_t>{151643}));
  EXPECT_FALSE(config.sliding_window.has_value());
}

TEST(ModelConfigTest, EosTokenIdNumberOrListMergedGenerationFirst) {
  TempDir dir("loader-config");
  write_text(dir / "generation_config.json", R"({"eos_token_id": 7, "bos_token_id": 3})");
  auto config = load_text(dir, llama_config(R"(, "eos_token_id": [5, 7, 9])"));
  EXPECT_EQ(config.eos_token_ids, (std::vector<int32_t>{7, 5, 9}));
  EXPECT_EQ(config.bos_token_id, 3);  // config.json has none

  write_text(dir / "generation_config.json", R"({"eos_token_id": [9, 8]})");
  config = load_text(dir, llama_config(R"(, "eos_token_id": 4, "bos_token_id": 0)"));
  EXPECT_EQ(config.eos_token_ids, (std::vector<int32_t>{9, 8, 4}));
  EXPECT_EQ(config.bos_token_id, 0);
}

TEST(ModelConfigTest, ParsesLlama3RopeScalingAndHeadDim) {
  TempDir dir("loader-config");
  auto config = load_text(dir, llama_config(R"(, "head_dim": 16, "rope_theta": 500000.0,
    "attention_bias": true, "rope_scaling": {"rope_type": "llama3", "factor": 8.0,
    "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192})"));
  EXPECT_EQ(config.head_dim, 16);  // hidden 32 != 4 heads * 16: allowed when head_dim is given
  EXPECT_TRUE(config.qkv_bias);    // Llama's attention_bias covers q, k, v and o
  EXPECT_TRUE(config.o_bias);
  EXPECT_FALSE(config.mlp_bias);
  ASSERT_TRUE(config.rope_scaling.has_value());
  EXPECT_EQ(config.rope_scaling->type, "llama3");
  EXPECT_DOUBLE_EQ(config.rope_scaling->factor, 8.0);
  EXPECT_DOUBLE_EQ(config.rope_scaling->high_freq_factor, 4.0);
  EXPECT_EQ(config.rope_scaling->original_max_position_embeddings, 8192);
}

TEST(ModelConfigTest, FileErrors) {
  TempDir dir("loader-config");
  expect_error([&] { load_model_config(dir.path()); }, ErrorCode::InvalidModel,
               {"config.json", "not found"});
  expect_error([&] { load_text(dir, "{not json"); }, ErrorCode::InvalidModel,
               {"config.json", "not valid JSON"});
  write_text(dir / "generation_config.json", "[1,");
  expect_error([&] { load_text(dir, llama_config()); }, ErrorCode::InvalidModel,
               {"generation_config.json"});
}

TEST(ModelConfigTest, FieldErrorsNameTheField) {
  TempDir dir("loader-config");
  struct Case {
    std::string config, field;
  };
  const std::vector<Case> cases = {
      {R"({"architectures": ["LlamaForCausalLM"], "intermediate_size": 64,
          "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 100})",
       "hidden_size"},
      {llama_config("", "4", "3"), "num_key_value_heads"},
      {llama_config("", "0", "1"), "num_attention_heads"},
      {llama_config(R"(, "rope_scaling": {"type": "yarn", "factor": 4.0})"), "rope_scaling.type"},
      {llama_config(R"(, "torch_dtype": "float64")"), "torch_dtype"},
      {llama_config(R"(, "eos_token_id": "x")"), "eos_token_id"},
      {llama_config(R"(, "tie_word_embeddings": 1)"), "tie_word_embeddings"},
      // Fields that change the computation in ways the model code does not implement.
      {llama_config(R"(, "hidden_act": "gelu")"), "hidden_act"},
      {llama_config(R"(, "quantization_config": {"quant_method": "gptq", "bits": 4})"),
       "quantization_config"},
      {llama_config(R"(, "mlp_bias": "yes")"), "mlp_bias"},
      {R"({"architectures": ["Qwen2ForCausalLM"], "hidden_size": 32, "intermediate_size": 64,
          "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 100,
          "use_sliding_window": true, "sliding_window": 16, "max_window_layers": 1})",
       "use_sliding_window"},
      {R"({"architectures": ["MistralForCausalLM"], "hidden_size": 32, "intermediate_size": 64,
          "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 100,
          "sliding_window": 0})",
       "sliding_window"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.field);
    try {
      load_text(dir, c.config);
      ADD_FAILURE() << "expected an error";
    } catch (const ErrorException& e) {
      EXPECT_EQ(e.error().code, ErrorCode::InvalidModel);
      EXPECT_EQ(e.error().param, c.field);
      EXPECT_NE(e.error().message.find("config.json: " + c.field), std::string::npos)
          << e.error().message;
    }
  }
}

TEST(ModelConfigTest, EachArchitectureReadsItsOwnFeatureFields) {
  TempDir dir("loader-config");
  // Llama: attention_bias covers q, k, v and o; mlp_bias gate, up and down.
  auto llama = load_text(dir, llama_config(R"(, "mlp_bias": true, "hidden_act": "silu")"));
  EXPECT_FALSE(llama.qkv_bias);
  EXPECT_FALSE(llama.o_bias);
  EXPECT_TRUE(llama.mlp_bias);
  // Mistral's window; Mistral has no biases, whatever the file says (transformers ignores it).
  auto mistral = load_text(dir, R"({"architectures": ["MistralForCausalLM"], "hidden_size": 32,
    "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 100,
    "sliding_window": 16, "attention_bias": true, "mlp_bias": true})");
  EXPECT_EQ(mistral.sliding_window, 16);
  EXPECT_FALSE(mistral.qkv_bias || mistral.o_bias || mistral.mlp_bias);
  // Qwen2 (2.5) ships a sliding_window it does not use unless use_sliding_window is true.
  auto qwen2 = load_text(dir, R"({"architectures": ["Qwen2ForCausalLM"], "hidden_size": 32,
    "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 100,
    "sliding_window": 32768, "use_sliding_window": false, "max_window_layers": 21})");
  EXPECT_FALSE(qwen2.sliding_window.has_value());
  // Llama has no sliding window in transformers: the field is not read.
  EXPECT_FALSE(
      load_text(dir, llama_config(R"(, "sliding_window": 16)")).sliding_window.has_value());
}

TEST(ModelConfigTest, UnknownArchitectureListsSupportedOnes) {
  TempDir dir("loader-config");
  std::string config = llama_config();
  config.replace(config.find("LlamaForCausalLM"), 16, "GPT2LMHeadModel");
  expect_error([&] { load_text(dir, config); }, ErrorCode::InvalidModel,
               {"GPT2LMHeadModel", "LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM"});
}

}  // namespace
}  // namespace fastchat::loader
