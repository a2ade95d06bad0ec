// Seeded sampling through the whole engine: the same seed gives the same tokens whether the
// request runs alone or next to other (seeded, unseeded and greedy) requests.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/model_registry.h"
#include "test_paths.h"
#include "worker/engine/engine.h"

namespace fastchat::engine {
namespace {

std::unique_ptr<Engine> make_engine() {
  auto dir = testing::test_data_dir() / "models" / "stories260K";
  EngineConfig config;
  config.kv_cache_memory = 16 << 20;
  return std::make_unique<Engine>(model::load_causal_lm(dir, torch::kFloat32, torch::kCPU), config);
}

std::vector<int32_t> run(RequestStream& stream) {
  std::vector<int32_t> ids;
  for (int guard = 0; guard < 10000; ++guard) {
    auto update = stream.next();
    for (const auto& t : update.tokens) ids.push_back(t.token);
    if (update.finish) break;
  }
  return ids;
}

protocol::SamplingParams sampled(std::optional<uint64_t> seed) {
  protocol::SamplingParams params;
  params.temperature = 1.0f;
  params.top_p = 0.95f;
  params.max_tokens = 48;
  params.ignore_eos = true;
  params.seed = seed;
  return params;
}

TEST(EngineSeededSampling, SameSeedSameTokensAloneOrBatched) {
  auto engine = make_engine();
  const std::vector<int32_t> prompt{1, 403, 407, 261, 378};
  auto alone = run(*engine->submit({prompt, sampled(42)}));
  ASSERT_EQ(alone.size(), 48u);

  std::vector<std::shared_ptr<RequestStream>> others;
  others.push_back(engine->submit({{1, 300}, sampled(std::nullopt)}));
  auto greedy = sampled(std::nullopt);
  greedy.temperature = 0.0f;
  others.push_back(engine->submit({{1}, greedy}));
  auto batched_stream = engine->submit({prompt, sampled(42)});
  others.push_back(engine->submit({prompt, sampled(7)}));
  auto batched = run(*batched_stream);
  std::vector<std::vector<int32_t>> other_ids;
  for (auto& s : others) other_ids.push_back(run(*s));

  EXPECT_EQ(batched, alone);
  // A different seed on the same prompt takes another path (48 tokens at temperature 1).
  EXPECT_NE(other_ids[2], alone);
}

}  // namespace
}  // namespace fastchat::engine
