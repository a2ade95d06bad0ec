#include "worker/scheduler/scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>

namespace fastchat::scheduler {
namespace {

std::unique_ptr<Sequence> make_sequence(uint64_t id, int32_t prompt_len) {
  auto seq = std::make_unique<Sequence>();
  seq->id = id;
  seq->tokens.assign(prompt_len, 7);
  seq->num_prompt_tokens = prompt_len;
  return seq;
}

// What the engine does after a step: mark computed, append a token for sampling chunks.
void complete_step(Scheduler& scheduler, const SchedulerOutput& out) {
  scheduler.on_step_done(out);
  for (const auto& chunk : out.chunks) {
    if (chunk.samples) chunk.sequence->tokens.push_back(1);
  }
}

TEST(Scheduler, RunsPrefillAndDecodeTogetherInArrivalOrder) {
  kv_cache::KvCacheManager kv(64, 4);
  Scheduler scheduler({8, 100}, kv);
  auto a = make_sequence(1, 5);
  auto b = make_sequence(2, 3);
  scheduler.add(a.get());
  auto out = scheduler.schedule();
  ASSERT_EQ(out.chunks.size(), 1u);
  EXPECT_EQ(out.chunks[0].num_tokens, 5);
  EXPECT_TRUE(out.chunks[0].samples);
  complete_step(scheduler, out);

  scheduler.add(b.get());
  out = scheduler.schedule();
  ASSERT_EQ(out.chunks.size(), 2u);
  EXPECT_EQ(out.chunks[0].sequence, a.get());  // decode of the running sequence first
  EXPECT_EQ(out.chunks[0].num_tokens, 1);
  EXPECT_EQ(out.chunks[0].start, 5);
  EXPECT_EQ(out.chunks[1].sequence, b.get());  // then the new prefill
  EXPECT_EQ(out.chunks[1].num_tokens, 3);
  EXPECT_EQ(out.num_batched_tokens, 4);
}

// A sliding-window sequence holds only the blocks its window needs, however long it grows: 190
// tokens run in a cache of 12 blocks of 4 (48 tokens), with two sequences side by side.
TEST(Scheduler, SlidingWindowSequencesGiveBackBlocksBehindTheWindow) {
  kv_cache::KvCacheManager kv(12, 4, /*enable_prefix_caching=*/false, 0, /*sliding_window=*/8);
  Scheduler scheduler({8, 16}, kv);
  auto a = make_sequence(1, 40);
  auto b = make_sequence(2, 30);
  scheduler.add(a.get());
  scheduler.add(b.get());
  int32_t max_used = 0;
  for (int step = 0; step < 400 && (a->num_tokens() < 190 || b->num_tokens() < 190); ++step) {
    auto out = scheduler.schedule();
    ASSERT_TRUE(out.preempted.empty()) << "step " << step;
    max_used = std::max(max_used, kv.num_blocks() - kv.num_free_blocks());
    complete_step(scheduler, out);
    // After a step, each sequence keeps the blocks of keys num_computed - 7 and on.
    for (const Sequence* s : {a.get(), b.get()}) {
      if (!kv.contains(s->id)) continue;  // not admitted yet
      const auto& table = kv.block_table(s->id);
      const int32_t first_kept = std::max(0, s->num_computed + 1 - 8) / 4;
      for (int32_t i = 0; i < static_cast<int32_t>(table.size()); ++i) {
        EXPECT_EQ(table[i] == kv_cache::kReleasedBlock, i < first_kept)
            << "sequence " << s->id << " block " << i << " at " << s->num_computed;
      }
    }
  }
  EXPECT_GE(a->num_tokens(), 190);
  EXPECT_GE(b->num_tokens(), 190);
  // Prefill chunks of 16 tokens: the window's 2 blocks plus the chunk's 4 (and one partly
  // filled) per sequence at most.
  EXPECT_LE(max_used, 12);
  scheduler.remove(1);
  scheduler.remove(2);
  EXPECT_EQ(kv.num_free_blocks(), 12);
}

TEST(Scheduler, ChunksLongPromptsWithinTheTokenBudget) {
  kv_cache::KvCacheManager kv(64, 4);
  Scheduler scheduler({8, 6}, kv);
  auto a = make_sequence(1, 14);
  scheduler.add(a.get());
  std::vector<int32_t> chunk_sizes;
  for (int step = 0; step < 3; ++step) {
    auto out = scheduler.schedule();
    ASSERT_EQ(out.chunks.size(), 1u);
    EXPECT_LE(out.num_batched_tokens, 6);
    chunk_sizes.push_back(out.chunks[0].num_tokens);
    EXPECT_EQ(out.chunks[0].samples, step == 2);
    complete_step(scheduler, out);
  }
  EXPECT_EQ(chunk_sizes, (std::vector<int32_t>{6, 6, 2}));
}

TEST(Scheduler, WaitsInOrderWhenBlocksRunOut) {
  kv_cache::KvCacheManager kv(4, 4);
  Scheduler scheduler({8, 100}, kv);
  auto a = make_sequence(1, 12);  // 3 blocks
  auto b = make_sequence(2, 8);   // 2 blocks: must wait
  auto c = make_sequence(3, 2);   // would fit, but FCFS keeps it behind b
  scheduler.add(a.get());
  scheduler.add(b.get());
  scheduler.add(c.get());
  auto out = scheduler.schedule();
  ASSERT_EQ(out.chunks.size(), 1u);
  EXPECT_EQ(scheduler.num_waiting(), 2u);
  scheduler.remove(1);
  out = scheduler.schedule();
  ASSERT_EQ(out.chunks.size(), 2u);
  EXPECT_EQ(out.chunks[0].sequence, b.get());
  EXPECT_EQ(out.chunks[1].sequence, c.get());
}

TEST(Scheduler, PreemptsTheNewestSequenceWhenDecodeNeedsABlock) {
  kv_cache::KvCacheManager kv(2, 4);
  Scheduler scheduler({8, 100}, kv);
  auto a = make_sequence(1, 4);
  auto b = make_sequence(2, 4);
  scheduler.add(a.get());
  scheduler.add(b.get());
  auto out = scheduler.schedule();
  ASSERT_EQ(out.chunks.size(), 2u);
  complete_step(scheduler, out);
  // Both now need a second block; only a (the oldest) can keep running.
  out = scheduler.schedule();
  ASSERT_EQ(out.chunks.size(), 1u);
  EXPECT_EQ(out.chunks[0].sequence, a.get());
  ASSERT_EQ(out.preempted, (std::vector<uint64_t>{2}));
  EXPECT_EQ(b->num_computed, 0);
  EXPECT_EQ(b->num_preemptions, 1);
  EXPECT_EQ(b->status, SequenceStatus::Waiting);
  complete_step(scheduler, out);
  scheduler.remove(1);
  // b comes back and recomputes its prompt and the token it had generated.
  out = scheduler.schedule();
  ASSERT_EQ(out.chunks.size(), 1u);
  EXPECT_EQ(out.chunks[0].sequence, b.get());
  EXPECT_EQ(out.chunks[0].num_tokens, 5);
  EXPECT_TRUE(out.chunks[0].samples);
}

TEST(Scheduler, NeverLeaksBlocksUnderRandomTraffic) {
  kv_cache::KvCacheManager kv(40, 4);
  Scheduler scheduler({6, 32}, kv);
  std::mt19937 rng(1234);
  std::vector<std::unique_ptr<Sequence>> live;
  uint64_t next_id = 1;
  for (int step = 0; step < 3000; ++step) {
    if (rng() % 3 == 0 && live.size() < 20) {
      live.push_back(make_sequence(next_id++, 1 + static_cast<int32_t>(rng() % 40)));
      scheduler.add(live.back().get());
    }
    if (scheduler.has_work()) {
      auto out = scheduler.schedule();
      EXPECT_LE(out.num_batched_tokens, 32);
      EXPECT_LE(scheduler.num_running(), 6u);
      ASSERT_FALSE(out.empty());
      complete_step(scheduler, out);
    }
    // Finish (length) or abort some sequences.
    for (size_t i = 0; i < live.size();) {
      bool done = live[i]->num_output_tokens() >= 30 || rng() % 50 == 0;
      if (done) {
        scheduler.remove(live[i]->id);
        live.erase(live.begin() + static_cast<long>(i));
      } else {
        ++i;
      }
    }
  }
  for (auto& seq : live) scheduler.remove(seq->id);
  EXPECT_FALSE(scheduler.has_work());
  EXPECT_EQ(kv.num_free_blocks(), 40);
  EXPECT_EQ(kv.num_sequences(), 0u);
}

}  // namespace
}  // namespace fastchat::scheduler
