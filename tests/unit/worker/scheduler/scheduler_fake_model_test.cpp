// Scheduler behaviour through the fake engine loop (fake_engine.h): token budget, chunked
// prefill, preemption and FCFS admission. Every test runs with prefix caching off and on;
// outputs are compared with runs that are never chunked or preempted.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "fake_engine.h"
#include "fake_model.h"

namespace fastchat::scheduler::testing {
namespace {

struct RequestSpec {
  std::vector<int32_t> prompt;
  int32_t max_tokens = 0;
};

std::vector<std::vector<int32_t>> outputs_of(const FakeEngine& engine) {
  std::vector<std::vector<int32_t>> outputs;
  for (const auto& request : engine.requests()) outputs.push_back(request->output());
  return outputs;
}

// Outputs of `specs` run together with room for everything at once: each prompt in one
// chunk, nothing preempted. The yardstick for runs that are chunked or preempted.
std::vector<std::vector<int32_t>> uninterrupted_outputs(const std::vector<RequestSpec>& specs,
                                                        bool prefix_caching) {
  FakeEngine engine({static_cast<int32_t>(specs.size()), 1 << 20}, 4096, 4, prefix_caching);
  for (const auto& spec : specs) engine.submit(spec.prompt, spec.max_tokens);
  engine.run_until_idle([](const SchedulerOutput& output) {
    EXPECT_TRUE(output.preempted.empty()) << "the reference run preempted";
    for (const auto& chunk : output.chunks) EXPECT_TRUE(chunk.samples) << "reference chunked";
  });
  return outputs_of(engine);
}

const ScheduledChunk* chunk_of(const SchedulerOutput& output, uint64_t id) {
  for (const auto& chunk : output.chunks) {
    if (chunk.sequence->id == id) return &chunk;
  }
  return nullptr;
}

TEST(FakeModelHarness, OutputDependsOnEveryKeyReadThroughTheBlockTable) {
  kv_cache::KvCacheManager kv(8, 4);
  FakeKvStore store(kv);
  FakeModel model(store);
  Sequence a{.id = 1, .tokens = {5, 9, 2, 7, 7, 1, 3, 8, 4, 6}, .num_prompt_tokens = 10};
  Sequence b{.id = 2, .tokens = {5, 9, 2, 7, 7, 1, 3, 8, 4, 6}, .num_prompt_tokens = 10};
  ASSERT_TRUE(kv.allocate(a.id, 10));
  ASSERT_TRUE(kv.allocate(b.id, 10));
  model.write_chunk(a, 0, 6);
  model.write_chunk(a, 6, 4);  // chunking does not matter, only what lands in the slots
  const int32_t expected = reference_output(a.tokens, 1)[0];
  EXPECT_EQ(model.sample(a, 10), expected);
  EXPECT_EQ(model.num_bad_reads(), 0);

  model.sample(b, 10);  // b's blocks were never written: every read is wrong
  EXPECT_EQ(model.num_bad_reads(), 10);

  store.write(a.id, 5, fake_key(2, 5));  // one overwritten slot changes the next token
  EXPECT_NE(model.sample(a, 10), expected);
  EXPECT_EQ(model.num_bad_reads(), 11);
}

class SchedulerWithFakeModel : public ::testing::TestWithParam<bool> {
 protected:
  bool prefix_caching() const { return GetParam(); }
};

TEST_P(SchedulerWithFakeModel, UninterruptedRunMatchesTheCacheFreeReference) {
  std::mt19937 rng(7);
  std::vector<RequestSpec> specs;
  for (int i = 0; i < 8; ++i) specs.push_back({random_tokens(rng, 1 + i * 5), 3 + i});
  const auto outputs = uninterrupted_outputs(specs, prefix_caching());
  for (size_t i = 0; i < specs.size(); ++i) {
    EXPECT_EQ(outputs[i], reference_output(specs[i].prompt, specs[i].max_tokens)) << i;
  }
}

TEST_P(SchedulerWithFakeModel, EveryStepFitsTheTokenBudgetAndSequenceLimit) {
  const SchedulerConfig config{.max_num_seqs = 4, .max_num_batched_tokens = 16};
  FakeEngine engine(config, 64, 4, prefix_caching());
  std::mt19937 rng(11);
  std::vector<RequestSpec> specs;
  bool saw_full_budget = false, saw_prefill_with_decodes = false;
  while (specs.size() < 40 || engine.scheduler().has_work()) {
    for (int i = 0; i < 2 && specs.size() < 40; ++i) {  // arrivals while others run
      specs.push_back({random_tokens(rng, 1 + rng() % 40), 1 + static_cast<int32_t>(rng() % 12)});
      engine.submit(specs.back().prompt, specs.back().max_tokens);
    }
    const SchedulerOutput output = engine.step();
    int32_t total = 0, decodes = 0;
    for (const auto& chunk : output.chunks) {
      total += chunk.num_tokens;
      decodes += chunk.samples && chunk.num_tokens == 1;
    }
    ASSERT_EQ(output.num_batched_tokens, total);
    ASSERT_LE(total, config.max_num_batched_tokens);
    ASSERT_LE(output.chunks.size(), static_cast<size_t>(config.max_num_seqs));
    saw_full_budget |= total == config.max_num_batched_tokens;
    saw_prefill_with_decodes |= decodes > 0 && decodes < static_cast<int32_t>(output.chunks.size());
    ASSERT_LT(engine.num_steps(), 10000);
  }
  EXPECT_TRUE(saw_full_budget);
  EXPECT_TRUE(saw_prefill_with_decodes);
  for (size_t i = 0; i < specs.size(); ++i) {
    EXPECT_EQ(engine.requests()[i]->output(),
              reference_output(specs[i].prompt, specs[i].max_tokens))
        << i;
  }
}

TEST_P(SchedulerWithFakeModel, ChunkedPrefillKeepsOtherSequencesDecoding) {
  const SchedulerConfig config{.max_num_seqs = 8, .max_num_batched_tokens = 8};
  FakeEngine engine(config, 64, 4, prefix_caching());
  std::mt19937 rng(3);
  std::vector<RequestSpec> specs = {{random_tokens(rng, 3), 40}, {random_tokens(rng, 3), 40}};
  for (const auto& spec : specs) engine.submit(spec.prompt, spec.max_tokens);
  engine.step();  // both prompts
  engine.step();  // both decode
  // A prompt longer than the whole budget arrives while both decode.
  specs.push_back({random_tokens(rng, 30), 5});
  const uint64_t long_id = engine.submit(specs.back().prompt, specs.back().max_tokens).sequence.id;

  std::vector<int32_t> chunk_sizes;
  int32_t first_start = -1;
  for (bool sampled = false; !sampled;) {
    const SchedulerOutput output = engine.step();
    const ScheduledChunk* chunk = chunk_of(output, long_id);
    ASSERT_NE(chunk, nullptr) << "the long prompt stalled";
    if (first_start < 0) first_start = chunk->start;
    chunk_sizes.push_back(chunk->num_tokens);
    sampled = chunk->samples;
    for (uint64_t decoding : {uint64_t{1}, uint64_t{2}}) {  // not stalled by the prefill
      const ScheduledChunk* decode = chunk_of(output, decoding);
      ASSERT_NE(decode, nullptr) << "sequence " << decoding << " skipped a step";
      EXPECT_EQ(decode->num_tokens, 1);
    }
    EXPECT_LE(chunk->num_tokens, config.max_num_batched_tokens - 2);
  }
  EXPECT_GT(chunk_sizes.size(), 1u) << "the long prompt was not chunked";
  int32_t prefilled = first_start;
  for (int32_t size : chunk_sizes) prefilled += size;
  EXPECT_EQ(prefilled, 30);

  engine.run_until_idle();
  EXPECT_EQ(outputs_of(engine), uninterrupted_outputs(specs, prefix_caching()));
}

struct PreemptionCase {
  const char* name;
  SchedulerConfig config;
};

TEST_P(SchedulerWithFakeModel, PreemptedSequencesResumeWithTheSameGreedyOutput) {
  const PreemptionCase cases[] = {
      {"whole prompts", {.max_num_seqs = 8, .max_num_batched_tokens = 64}},
      {"chunked prompts", {.max_num_seqs = 8, .max_num_batched_tokens = 6}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    // 10 blocks of 4 tokens; each request grows to at most 30 tokens (8 blocks): each fits
    // alone, together they do not.
    FakeEngine engine(c.config, 10, 4, prefix_caching());
    std::mt19937 rng(5);
    std::vector<RequestSpec> specs;
    for (int i = 0; i < 6; ++i) {
      specs.push_back({random_tokens(rng, 4 + i), 16 + static_cast<int32_t>(rng() % 5)});
      engine.submit(specs.back().prompt, specs.back().max_tokens);
    }
    bool saw_preemption = false;
    engine.run_until_idle(
        [&](const SchedulerOutput& output) { saw_preemption |= !output.preempted.empty(); });
    EXPECT_TRUE(saw_preemption);
    EXPECT_GT(engine.num_preemptions(), 0);
    EXPECT_TRUE(std::any_of(engine.requests().begin(), engine.requests().end(),
                            [](const auto& r) { return r->sequence.num_preemptions > 0; }));
    EXPECT_EQ(outputs_of(engine), uninterrupted_outputs(specs, prefix_caching()));
  }
}

TEST_P(SchedulerWithFakeModel, LaterSmallRequestNeverOvertakesEarlierLargeOne) {
  // 8 blocks of 4 tokens. `running` takes 5 blocks, then 6; `large` needs 4 blocks at
  // admission, so it waits for `running` to finish; `small` needs 1 and would fit meanwhile.
  FakeEngine engine({.max_num_seqs = 8, .max_num_batched_tokens = 100}, 8, 4, prefix_caching());
  std::mt19937 rng(9);
  const uint64_t running = engine.submit(random_tokens(rng, 20), 4).sequence.id;
  engine.step();
  const uint64_t large = engine.submit(random_tokens(rng, 16), 2).sequence.id;
  const uint64_t small = engine.submit(random_tokens(rng, 2), 2).sequence.id;

  bool small_could_have_fit = false;
  while (engine.request(large).sequence.status == SequenceStatus::Waiting) {
    small_could_have_fit |= engine.kv_cache().num_free_blocks() >= 1;
    const SchedulerOutput output = engine.step();
    if (engine.request(large).sequence.status == SequenceStatus::Waiting) {
      EXPECT_EQ(chunk_of(output, small), nullptr) << "small ran while large waited";
      EXPECT_EQ(engine.request(small).sequence.status, SequenceStatus::Waiting);
    }
    ASSERT_LT(engine.num_steps(), 100);
  }
  EXPECT_TRUE(small_could_have_fit) << "the scenario did not test FCFS";
  EXPECT_FALSE(engine.request(running).live) << "large was admitted beside running";
  engine.run_until_idle();
  for (uint64_t id : {running, large, small}) {
    const FakeRequest& r = engine.request(id);
    EXPECT_EQ(r.output(), reference_output(r.prompt(), r.max_tokens)) << id;
  }
}

INSTANTIATE_TEST_SUITE_P(PrefixCaching, SchedulerWithFakeModel, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "On" : "Off"; });

}  // namespace
}  // namespace fastchat::scheduler::testing
