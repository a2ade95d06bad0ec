// Thousands of random admits, steps, finishes and aborts through the fake engine loop, with
// the block-table invariants of FakeEngine::check_invariants after every operation: no block
// leaked or shared wrongly, no computed key lost, outputs still the greedy reference.

#include <gtest/gtest.h>

#include <random>
#include <tuple>
#include <vector>

#include "fake_engine.h"
#include "fake_model.h"

namespace fastchat::scheduler::testing {
namespace {

constexpr int kNumOperations = 5000;
constexpr int32_t kNumBlocks = 24;
constexpr int32_t kBlockSize = 4;
constexpr size_t kMaxLive = 16;

// Prompts that often share a prefix (a few "system prompts"), so that with prefix caching on
// blocks get shared and reused; the rest are unrelated.
class PromptSource {
 public:
  explicit PromptSource(std::mt19937& rng) : rng_(rng) {
    for (int i = 0; i < 3; ++i) shared_prefixes_.push_back(random_tokens(rng_, 24));
  }
  std::vector<int32_t> next() {
    if (rng_() % 2 == 0) return random_tokens(rng_, 1 + static_cast<int32_t>(rng_() % 40));
    const auto& shared = shared_prefixes_[rng_() % shared_prefixes_.size()];
    std::vector<int32_t> prompt(shared.begin(), shared.begin() + rng_() % (shared.size() + 1));
    const auto suffix = random_tokens(rng_, 1 + static_cast<int32_t>(rng_() % 16));
    prompt.insert(prompt.end(), suffix.begin(), suffix.end());
    return prompt;
  }

 private:
  std::mt19937& rng_;
  std::vector<std::vector<int32_t>> shared_prefixes_;
};

uint64_t pick(std::mt19937& rng, const std::vector<uint64_t>& ids) {
  return ids[rng() % ids.size()];
}

class SchedulerRandomTraffic : public ::testing::TestWithParam<std::tuple<bool, uint32_t>> {
 protected:
  bool prefix_caching() const { return std::get<0>(GetParam()); }
  uint32_t seed() const { return std::get<1>(GetParam()); }
};

TEST_P(SchedulerRandomTraffic, NoBlockLeaksAfterThousandsOfAdmitsFinishesAndAborts) {
  // Six sequences of up to 70 tokens (18 blocks) against 24 blocks: preemption is common.
  FakeEngine engine({.max_num_seqs = 6, .max_num_batched_tokens = 24}, kNumBlocks, kBlockSize,
                    prefix_caching());
  std::mt19937 rng(seed());
  PromptSource prompts(rng);
  int waiting_aborts = 0, preempted_aborts = 0, running_aborts = 0;

  for (int op = 0; op < kNumOperations; ++op) {
    const uint32_t kind = rng() % 10;
    const auto waiting = engine.live_ids(SequenceStatus::Waiting);
    const auto running = engine.live_ids(SequenceStatus::Running);
    if (kind < 3 && waiting.size() + running.size() < kMaxLive) {
      engine.submit(prompts.next(), 1 + static_cast<int32_t>(rng() % 30));
    } else if (kind == 8 && !waiting.empty()) {
      const uint64_t id = pick(rng, waiting);
      ++waiting_aborts;
      preempted_aborts += engine.request(id).sequence.num_preemptions > 0;
      engine.remove(id);
    } else if (kind == 9 && !running.empty()) {
      // An abort, or a stop token: either way the scheduler just sees remove().
      ++running_aborts;
      engine.remove(pick(rng, running));
    } else if (engine.scheduler().has_work()) {
      engine.step();
    }
    engine.check_invariants();
    ASSERT_FALSE(HasFailure()) << "operation " << op << " of seed " << seed();
  }

  for (uint64_t id : engine.live_ids(SequenceStatus::Waiting)) engine.remove(id);
  for (uint64_t id : engine.live_ids(SequenceStatus::Running)) engine.remove(id);
  engine.check_invariants();
  const auto& kv = engine.kv_cache();
  EXPECT_EQ(kv.num_free_blocks(), kv.num_blocks());
  EXPECT_EQ(kv.num_sequences(), 0u);
  EXPECT_FALSE(engine.scheduler().has_work());
  EXPECT_EQ(engine.scheduler().num_running() + engine.scheduler().num_waiting(), 0u);

  // Every request, whenever it left, had produced a prefix of its uninterrupted output.
  int completed = 0;
  for (const auto& request : engine.requests()) {
    const auto output = request->output();
    completed += static_cast<int32_t>(output.size()) == request->max_tokens;
    EXPECT_EQ(output, reference_output(request->prompt(), static_cast<int32_t>(output.size())))
        << "sequence " << request->sequence.id;
  }
  // The traffic covered what it is meant to.
  EXPECT_GT(completed, 100);
  EXPECT_GT(engine.num_preemptions(), 10);
  EXPECT_GT(waiting_aborts, 10);
  EXPECT_GT(preempted_aborts, 0);
  EXPECT_GT(running_aborts, 10);
  if (prefix_caching()) {
    EXPECT_GT(engine.num_prefix_hits(), 10);
    EXPECT_GT(engine.num_shared_blocks_seen(), 10);
  } else {
    EXPECT_EQ(engine.num_prefix_hits(), 0);
    EXPECT_EQ(engine.num_shared_blocks_seen(), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(PrefixCachingAndSeed, SchedulerRandomTraffic,
                         ::testing::Combine(::testing::Bool(), ::testing::Values(1u, 2u, 3u)),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param) ? "On" : "Off") + "_Seed" +
                                  std::to_string(std::get<1>(info.param));
                         });

}  // namespace
}  // namespace fastchat::scheduler::testing
