// The engine against reference.json of stories260K: greedy ids from an independent float64
// implementation must come out token for token, alone, batched and across block boundaries.

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "common/error/error.h"
#include "engine_test_support.h"
#include "model/loader/model_config.h"
#include "model/loader/weight_store.h"
#include "model/model_registry.h"
#include "test_paths.h"
#include "text/tokenizer/tokenizer.h"
#include "worker/engine/engine.h"
#include "worker/engine/text_stream.h"

namespace fastchat::engine {
namespace {

using test_support::drain_ids;
using test_support::greedy;

struct ReferenceCase {
  std::string prompt;
  std::vector<int32_t> prompt_ids;
  std::vector<int32_t> generated_ids;
  std::string generated_text;
};

std::filesystem::path model_dir() { return testing::test_data_dir() / "models" / "stories260K"; }

std::vector<ReferenceCase> load_reference() {
  std::ifstream in(model_dir() / "reference.json");
  auto json = nlohmann::json::parse(in);
  std::vector<ReferenceCase> cases;
  for (const auto& r : json.at("results")) {
    cases.push_back(
        {r.at("prompt"), r.at("prompt_ids"), r.at("generated_ids"), r.at("generated_text")});
  }
  return cases;
}

std::unique_ptr<Engine> make_engine(int32_t block_size, bool reference_kernels = false,
                                    int32_t max_batched_tokens = 2048) {
  model::ModelOptions options;
  options.reference_kernels = reference_kernels;
  auto model = model::load_causal_lm(model_dir(), torch::kFloat32, torch::kCPU, options);
  EngineConfig config;
  config.block_size = block_size;
  config.kv_cache_memory = 16 << 20;
  config.scheduler.max_num_batched_tokens = max_batched_tokens;
  return std::make_unique<Engine>(std::move(model), config);
}

class EngineReference : public ::testing::TestWithParam<std::tuple<int32_t, bool>> {};

TEST_P(EngineReference, EachPromptAloneMatches) {
  auto [block_size, reference_kernels] = GetParam();
  auto engine = make_engine(block_size, reference_kernels);
  for (const auto& c : load_reference()) {
    auto stream = engine->submit({c.prompt_ids, greedy(64)});
    EXPECT_EQ(drain_ids(*stream), c.generated_ids) << "prompt: " << c.prompt;
  }
}

TEST_P(EngineReference, AllPromptsInOneBatchMatch) {
  auto [block_size, reference_kernels] = GetParam();
  auto engine = make_engine(block_size, reference_kernels);
  auto cases = load_reference();
  std::vector<std::shared_ptr<RequestStream>> streams;
  for (const auto& c : cases) streams.push_back(engine->submit({c.prompt_ids, greedy(64)}));
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(drain_ids(*streams[i]), cases[i].generated_ids) << "prompt: " << cases[i].prompt;
  }
  EXPECT_GT(engine->stats().num_steps, 0);
}

// Block sizes 16 (default), 4 and 3 (sequences cross many block boundaries, and prompts end
// mid-block); the CPU kernels and the torch reference kernels.
INSTANTIATE_TEST_SUITE_P(BlockSizes, EngineReference,
                         ::testing::Combine(::testing::Values(16, 4, 3), ::testing::Bool()));

TEST(EngineReferenceChunked, PrefillInSmallChunksMatches) {
  // A 2-token budget forces every prompt through several prefill chunks, mixed with decodes.
  auto engine = make_engine(4, false, 2);
  auto cases = load_reference();
  std::vector<std::shared_ptr<RequestStream>> streams;
  for (const auto& c : cases) streams.push_back(engine->submit({c.prompt_ids, greedy(64)}));
  for (size_t i = 0; i < cases.size(); ++i)
    EXPECT_EQ(drain_ids(*streams[i]), cases[i].generated_ids);
}

TEST(EngineReferenceText, TextStreamGivesTheReferenceText) {
  auto engine = make_engine(16);
  auto tokenizer = tokenizer::load_tokenizer(model_dir());
  for (const auto& c : load_reference()) {
    auto ids = tokenizer->encode(c.prompt, /*add_special_tokens=*/true);
    ASSERT_EQ(ids, c.prompt_ids);
    TextStream stream(*engine, engine->submit({ids, greedy(64)}), *tokenizer, ids, {});
    auto completion = collect(stream);
    EXPECT_EQ(completion.text, c.generated_text);
    EXPECT_EQ(completion.finish, FinishReason::Length);
    EXPECT_EQ(completion.num_output_tokens, 64);
  }
}

TEST(EngineStopping, StopStringCutsTheTextAndFinishesWithStop) {
  auto engine = make_engine(16);
  auto tokenizer = tokenizer::load_tokenizer(model_dir());
  const auto c = load_reference().front();  // ", there was a little girl named Lily. ..."
  TextStream stream(*engine, engine->submit({c.prompt_ids, greedy(64)}), *tokenizer, c.prompt_ids,
                    {"girl"});
  auto completion = collect(stream);
  EXPECT_EQ(completion.text, ", there was a little ");
  EXPECT_EQ(completion.finish, FinishReason::Stop);
  EXPECT_LT(completion.num_output_tokens, 64);
}

TEST(EngineStopping, StopTokenIdAndMaxTokens) {
  auto engine = make_engine(16);
  const auto c = load_reference().front();
  auto params = greedy(64);
  params.stop_token_ids = {c.generated_ids[5]};
  auto stream = engine->submit({c.prompt_ids, params});
  std::vector<int32_t> ids;
  std::optional<FinishReason> finish;
  while (!finish) {
    auto update = stream->next();
    for (const auto& t : update.tokens) ids.push_back(t.token);
    finish = update.finish;
  }
  EXPECT_EQ(*finish, FinishReason::Stop);
  EXPECT_EQ(ids, std::vector<int32_t>(c.generated_ids.begin(), c.generated_ids.begin() + 6));

  auto short_stream = engine->submit({c.prompt_ids, greedy(3)});
  auto update = short_stream->next();
  while (!update.finish) {
    auto more = short_stream->next();
    update.tokens.insert(update.tokens.end(), more.tokens.begin(), more.tokens.end());
    update.finish = more.finish;
  }
  EXPECT_EQ(update.tokens.size(), 3u);
  EXPECT_EQ(*update.finish, FinishReason::Length);
}

TEST(EngineStopping, EosStopsUnlessIgnoredOrTooEarly) {
  // Declare the 6th reference token an EOS id of the model, so the greedy run must hit it.
  const auto c = load_reference().front();
  const int32_t eos = c.generated_ids[5];
  auto config = loader::load_model_config(model_dir());
  config.eos_token_ids = {eos};
  auto weights = loader::WeightStore::open(model_dir());
  EngineConfig engine_config;
  engine_config.kv_cache_memory = 16 << 20;
  Engine engine(model::make_causal_lm(config, weights, torch::kFloat32, torch::kCPU),
                engine_config);

  auto params = greedy(64);
  params.ignore_eos = false;
  auto stream = engine.submit({c.prompt_ids, params});
  std::vector<TokenEvent> events;
  std::optional<FinishReason> finish;
  while (!finish) {
    auto update = stream->next();
    events.insert(events.end(), update.tokens.begin(), update.tokens.end());
    finish = update.finish;
  }
  EXPECT_EQ(*finish, FinishReason::Stop);
  ASSERT_EQ(events.size(), 6u);
  EXPECT_TRUE(events.back().is_stop_token);
  EXPECT_FALSE(events.front().is_stop_token);

  params.ignore_eos = true;
  EXPECT_EQ(drain_ids(*engine.submit({c.prompt_ids, params})).size(), 64u);

  params.ignore_eos = false;
  params.min_tokens = 10;  // EOS is suppressed until 10 tokens exist
  auto ids = drain_ids(*engine.submit({c.prompt_ids, params}));
  EXPECT_GE(ids.size(), 10u);
  for (size_t i = 0; i + 1 < std::min<size_t>(ids.size(), 10); ++i) EXPECT_NE(ids[i], eos);
}

TEST(EngineStopping, ContextLimitEndsWithLength) {
  auto engine = make_engine(16);
  const int32_t context = engine->context_length();  // 512 for stories260K
  std::vector<int32_t> prompt(context - 5, 300);
  prompt[0] = 1;
  auto stream = engine->submit({prompt, greedy(64)});
  size_t generated = 0;
  std::optional<FinishReason> finish;
  while (!finish) {
    auto update = stream->next();
    generated += update.tokens.size();
    finish = update.finish;
  }
  EXPECT_EQ(generated, 5u);  // the sequence may fill the context, not pass it
  EXPECT_EQ(*finish, FinishReason::Length);
}

TEST(EngineValidation, RejectsBadRequestsNamingTheField) {
  auto engine = make_engine(16);
  auto expect_error = [&](GenerationRequest request, const std::string& param) {
    try {
      engine->submit(std::move(request));
      ADD_FAILURE() << "accepted a bad request (" << param << ")";
    } catch (const fastchat::ErrorException& e) {
      EXPECT_EQ(e.error().param, param) << e.what();
    }
  };
  expect_error({{}, greedy(4)}, "prompt");
  expect_error({{1, 9999}, greedy(4)}, "prompt");
  expect_error({std::vector<int32_t>(600, 5), greedy(4)}, "messages");
  auto bad = greedy(4);
  bad.temperature = -1.0f;
  expect_error({{1}, bad}, "temperature");
}

TEST(EngineAbort, AbortFinishesTheStreamAndFreesBlocks) {
  auto engine = make_engine(4);
  auto params = greedy(400);
  auto stream = engine->submit({{1}, params});
  stream->next();  // at least one token out
  engine->abort(stream->id());
  std::optional<FinishReason> finish;
  for (int i = 0; i < 1000 && !finish; ++i) finish = stream->next().finish;
  ASSERT_TRUE(finish);
  EXPECT_EQ(*finish, FinishReason::Abort);
  // The engine frees blocks on the step that handles the abort; then it idles.
  for (int i = 0; i < 200 && engine->stats().num_running != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto follow = engine->submit({{1}, greedy(1)});
  drain_ids(*follow);
  // Stats are published by the engine thread right after it frees the finished request.
  for (int i = 0; i < 200 && engine->stats().num_free_kv_blocks != engine->stats().num_kv_blocks;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(engine->stats().num_free_kv_blocks, engine->stats().num_kv_blocks);
  EXPECT_EQ(engine->stats().num_running, 0);
}

}  // namespace
}  // namespace fastchat::engine
