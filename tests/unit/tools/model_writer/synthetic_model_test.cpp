// fastchat-bench synthesize: a random-weight model folder that fastchat-worker can serve, with a
// real model's tokenizer copied in. A tiny shape keeps the test fast; the 110M one differs only
// in its numbers.

#include "tools/model_writer/synthetic_model.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <optional>

#include "common/error/error.h"
#include "model/loader/model_config.h"
#include "model/loader/torch_dtype.h"
#include "model/model_registry.h"
#include "test_paths.h"
#include "text/tokenizer/tokenizer.h"
#include "worker/engine/engine.h"

namespace fastchat::model_writer {
namespace {

// Vocabulary 1024 over stories260K's 512-id tokenizer: half the ids are padding.
const SyntheticShape kTiny{"tiny", 64, 128, 2, 4, 2, 1024, 256};

class SyntheticModelTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = fastchat::testing::make_temp_dir("synthetic-model"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path stories() const {
    return fastchat::testing::test_data_dir() / "models" / "stories260K";
  }
  std::filesystem::path dir_;
};

TEST_F(SyntheticModelTest, ServableFolderHasTheTokenizerAndZeroPaddingRows) {
  const auto folder = dir_ / "tiny";
  write_servable_synthetic_model(kTiny, folder, stories(), /*zero_padding_rows=*/true);
  for (const char* name :
       {"config.json", "model.safetensors", "tokenizer.model", "tokenizer_config.json"}) {
    EXPECT_TRUE(std::filesystem::exists(folder / name)) << name;
  }
  EXPECT_FALSE(std::filesystem::exists(folder / "tokenizer.json"));  // stories260K has none

  const auto config = loader::load_model_config(folder);
  EXPECT_EQ(config.vocab_size, 1024);
  EXPECT_EQ(config.max_position_embeddings, 256);
  const auto tok = tokenizer::load_tokenizer(folder);
  EXPECT_EQ(tok->vocab_size(), 512);

  auto file = loader::SafetensorsFile::open(folder / "model.safetensors");
  const auto* lm_head = file.find("lm_head.weight");
  ASSERT_NE(lm_head, nullptr);
  const auto weights = loader::tensor_view(file, *lm_head);
  ASSERT_EQ(weights.size(0), 1024);
  EXPECT_EQ(weights.narrow(0, 512, 512).abs().max().item<float>(), 0.0f);
  EXPECT_GT(weights.narrow(0, 0, 512).abs().sum(1).min().item<float>(),
            0.0f);  // every real row random
}

TEST_F(SyntheticModelTest, GreedyDecodingPicksOnlyIdsTheTokenizerKnows) {
  const auto folder = dir_ / "tiny";
  write_servable_synthetic_model(kTiny, folder, stories(), /*zero_padding_rows=*/true);
  auto model = model::load_causal_lm(folder, torch::kFloat32, torch::Device(torch::kCPU));
  engine::EngineConfig config;
  config.kv_cache_memory = int64_t{8} << 20;
  engine::Engine engine(std::move(model), config);
  protocol::SamplingParams params;
  params.temperature = 0;
  params.max_tokens = 32;
  params.ignore_eos = true;
  auto stream = engine.submit({{1, 403, 407, 261, 378}, params});
  int tokens = 0;
  std::optional<engine::FinishReason> finish;
  while (!finish) {
    auto update = stream->next();
    for (const auto& event : update.tokens) {
      EXPECT_LT(event.token, 512);
      ++tokens;
    }
    finish = update.finish;
  }
  EXPECT_EQ(*finish, engine::FinishReason::Length);
  EXPECT_EQ(tokens, 32);
}

TEST_F(SyntheticModelTest, RandomPaddingRowsAndTooLargeTokenizers) {
  const auto folder = dir_ / "random";
  write_servable_synthetic_model(kTiny, folder, stories(), /*zero_padding_rows=*/false);
  auto file = loader::SafetensorsFile::open(folder / "model.safetensors");
  const auto weights = loader::tensor_view(file, *file.find("lm_head.weight"));
  EXPECT_GT(weights.narrow(0, 512, 512).abs().sum(1).min().item<float>(), 0.0f);

  SyntheticShape small = kTiny;
  small.vocab_size = 256;  // fewer ids than the tokenizer's 512: its prompts would be refused
  EXPECT_THROW(write_servable_synthetic_model(small, dir_ / "small", stories(), true),
               ErrorException);
  EXPECT_THROW(write_servable_synthetic_model(kTiny, dir_ / "none", dir_ / "missing", true),
               ErrorException);
}

}  // namespace
}  // namespace fastchat::model_writer
