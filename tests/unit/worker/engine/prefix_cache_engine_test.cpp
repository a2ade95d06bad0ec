// Prefix caching and preemption on stories260K: greedy outputs must not change when the keys
// and values of a prefix come from the cache, when a preempted sequence resumes from its own
// cached blocks, or when the cache is off; and the blocks all come back afterwards.

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "engine_test_support.h"
#include "model/model_registry.h"
#include "test_paths.h"
#include "worker/engine/engine.h"

namespace fastchat::engine {
namespace {

using test_support::drain_ids;
using test_support::greedy;

struct Case {
  std::vector<int32_t> prompt_ids;
  std::vector<int32_t> generated_ids;
};

std::filesystem::path model_dir() { return testing::test_data_dir() / "models" / "stories260K"; }

std::vector<Case> reference_cases() {
  std::ifstream in(model_dir() / "reference.json");
  const auto json =
      nlohmann::json::parse(in);  // named: a range-for over a temporary's member dangles
  std::vector<Case> cases;
  for (const auto& r : json.at("results")) {
    cases.push_back({r.at("prompt_ids"), r.at("generated_ids")});
  }
  return cases;
}

std::unique_ptr<Engine> make_engine(bool prefix_cache, int32_t block_size, int64_t kv_bytes) {
  auto model = model::load_causal_lm(model_dir(), torch::kFloat32, torch::kCPU);
  EngineConfig config;
  config.block_size = block_size;
  config.kv_cache_memory = kv_bytes;
  config.enable_prefix_caching = prefix_cache;
  return std::make_unique<Engine>(std::move(model), config);
}

std::vector<int32_t> run(Engine& engine, const std::vector<int32_t>& prompt, int32_t max_tokens) {
  return drain_ids(*engine.submit({prompt, greedy(max_tokens)}));
}

// The engine publishes its counters after the step that finished the last stream: wait for
// that (bounded) before reading them.
EngineStats settled_stats(const Engine& engine) {
  for (int i = 0; i < 1000; ++i) {
    auto stats = engine.stats();
    if (stats.num_running == 0 && stats.num_waiting == 0) return stats;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return engine.stats();
}

class PrefixCacheEngine : public ::testing::TestWithParam<int32_t> {};

TEST_P(PrefixCacheEngine, RepeatedAndExtendedPromptsGiveTheSameGreedyOutput) {
  const int32_t block_size = GetParam();
  auto cached = make_engine(true, block_size, 16 << 20);
  auto uncached = make_engine(false, block_size, 16 << 20);
  for (const auto& c : reference_cases()) {
    // The same prompt twice: the second run starts from the first one's blocks.
    EXPECT_EQ(run(*cached, c.prompt_ids, 64), c.generated_ids);
    EXPECT_EQ(run(*cached, c.prompt_ids, 64), c.generated_ids);
    // A next turn: the prompt now includes the answer, whose blocks were cached while decoding.
    auto next_turn = c.prompt_ids;
    next_turn.insert(next_turn.end(), c.generated_ids.begin(), c.generated_ids.end());
    next_turn.push_back(13);
    EXPECT_EQ(run(*cached, next_turn, 32), run(*uncached, next_turn, 32));
  }
  const auto stats = settled_stats(*cached);
  EXPECT_GT(stats.num_prefix_cache_hits, 0);
  EXPECT_GT(stats.num_prefix_cache_queries, stats.num_prefix_cache_hits);
  EXPECT_EQ(stats.num_free_kv_blocks, stats.num_kv_blocks);
  EXPECT_EQ(settled_stats(*uncached).num_prefix_cache_hits, 0);
}

TEST_P(PrefixCacheEngine, ConcurrentRequestsSharingAPrefixMatchTheReference) {
  auto engine = make_engine(true, GetParam(), 16 << 20);
  const auto cases = reference_cases();
  std::vector<std::shared_ptr<RequestStream>> streams;
  for (int round = 0; round < 3; ++round) {
    for (const auto& c : cases) streams.push_back(engine->submit({c.prompt_ids, greedy(64)}));
  }
  for (size_t i = 0; i < streams.size(); ++i) {
    EXPECT_EQ(drain_ids(*streams[i]), cases[i % cases.size()].generated_ids) << "request " << i;
  }
  const auto stats = settled_stats(*engine);
  EXPECT_EQ(stats.num_free_kv_blocks, stats.num_kv_blocks);
}

INSTANTIATE_TEST_SUITE_P(BlockSizes, PrefixCacheEngine, ::testing::Values(16, 4));

class PreemptionEngine : public ::testing::TestWithParam<bool> {};

TEST_P(PreemptionEngine, ResumedSequencesMatchTheReference) {
  // Room for about two of the reference requests at once: the others are preempted as the
  // running ones grow, and recomputed (from their own cached blocks when the cache is on).
  const auto cases = reference_cases();
  ASSERT_FALSE(cases.empty());
  size_t longest = 0;
  for (const auto& c : cases) longest = std::max(longest, c.prompt_ids.size() + 64);
  const int32_t block_size = 4;
  const int64_t bytes_per_token = 2 * 5 * 4 * 8 * 4;  // K and V, 5 layers, 4 KV heads of 8 floats
  const int64_t blocks = 2 * static_cast<int64_t>((longest + block_size - 1) / block_size) + 1;
  auto engine = make_engine(GetParam(), block_size, blocks * block_size * bytes_per_token);

  std::vector<std::shared_ptr<RequestStream>> streams;
  for (int round = 0; round < 2; ++round) {
    for (const auto& c : cases) streams.push_back(engine->submit({c.prompt_ids, greedy(64)}));
  }
  for (size_t i = 0; i < streams.size(); ++i) {
    EXPECT_EQ(drain_ids(*streams[i]), cases[i % cases.size()].generated_ids) << "request " << i;
  }
  const auto stats = settled_stats(*engine);
  EXPECT_GT(stats.num_preemptions, 0);
  EXPECT_EQ(stats.num_free_kv_blocks, stats.num_kv_blocks);
}

INSTANTIATE_TEST_SUITE_P(PrefixCache, PreemptionEngine, ::testing::Bool());

}  // namespace
}  // namespace fastchat::engine
