#pragma once
// The engine loop of src/worker/engine/engine.cpp (Engine::step, Engine::finish) around the
// real Scheduler and KvCacheManager, with FakeModel in place of the model runner and
// requests that stop at max_tokens. Every step it checks what the scheduler promised
// (budget, chunk bounds, FCFS admission) and, after the step, the invariants of the block
// tables; a broken one is a gtest failure naming the step and the sequence.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "fake_model.h"
#include "worker/kv_cache/kv_cache_manager.h"
#include "worker/scheduler/scheduler.h"

namespace fastchat::scheduler::testing {

inline std::unique_ptr<kv_cache::KvCacheManager> make_kv_cache_manager(int32_t num_blocks,
                                                                       int32_t block_size,
                                                                       bool prefix_caching) {
  return std::make_unique<kv_cache::KvCacheManager>(num_blocks, block_size, prefix_caching);
}

struct FakeRequest {
  Sequence sequence;
  int32_t max_tokens = 0;
  size_t arrival = 0;  // submission order, for the FCFS check
  bool live = true;

  std::vector<int32_t> prompt() const {
    return {sequence.tokens.begin(), sequence.tokens.begin() + sequence.num_prompt_tokens};
  }
  std::vector<int32_t> output() const {
    return {sequence.tokens.begin() + sequence.num_prompt_tokens, sequence.tokens.end()};
  }
};

class FakeEngine {
 public:
  FakeEngine(SchedulerConfig config, int32_t num_blocks, int32_t block_size, bool prefix_caching)
      : config_(config),
        prefix_caching_(prefix_caching),
        kv_(make_kv_cache_manager(num_blocks, block_size, prefix_caching)),
        store_(*kv_),
        model_(store_),
        scheduler_(config, *kv_) {}

  /// Queues a request. Like Engine::submit, refuses one that could not run even in an empty
  /// cache: the scheduler would wait for it forever.
  FakeRequest& submit(const std::vector<int32_t>& prompt, int32_t max_tokens) {
    const int64_t longest = static_cast<int64_t>(prompt.size()) + max_tokens;
    if (prompt.empty() || max_tokens < 1 || kv_->blocks_for_tokens(longest) > kv_->num_blocks()) {
      throw std::invalid_argument("FakeEngine::submit: request cannot fit the cache");
    }
    auto request = std::make_unique<FakeRequest>();
    request->sequence.id = requests_.size() + 1;
    request->sequence.tokens = prompt;
    request->sequence.num_prompt_tokens = static_cast<int32_t>(prompt.size());
    request->max_tokens = max_tokens;
    request->arrival = requests_.size();
    FakeRequest& added = *request;
    requests_.push_back(std::move(request));
    live_[added.sequence.id] = &added;
    scheduler_.add(&added.sequence);
    return added;
  }

  /// One Engine::step: schedule, run the fake model, on_step_done, append sampled tokens,
  /// finish requests that reached max_tokens.
  SchedulerOutput step() {
    ++num_steps_;
    const auto was_running = live_ids(SequenceStatus::Running);
    SchedulerOutput output = scheduler_.schedule();
    check_output(output, {was_running.begin(), was_running.end()});
    num_preemptions_ += static_cast<int64_t>(output.preempted.size());
    // A batched forward writes every chunk's keys before any attention reads them.
    for (const auto& chunk : output.chunks) {
      model_.write_chunk(*chunk.sequence, chunk.start, chunk.num_tokens);
    }
    std::vector<std::pair<Sequence*, int32_t>> sampled;
    for (const auto& chunk : output.chunks) {
      const int32_t context = chunk.start + chunk.num_tokens;
      if (chunk.samples) {
        sampled.emplace_back(chunk.sequence, model_.sample(*chunk.sequence, context));
      } else {
        model_.read_context(*chunk.sequence, context);  // attention of a prefill chunk
      }
    }
    scheduler_.on_step_done(output);
    std::vector<uint64_t> finished;
    for (auto& [sequence, token] : sampled) {
      sequence->tokens.push_back(token);
      if (sequence->num_output_tokens() >= live_.at(sequence->id)->max_tokens) {
        finished.push_back(sequence->id);
      }
    }
    for (uint64_t id : finished) remove(id);
    check_invariants();
    return output;
  }

  /// Steps until nothing is left; `on_step` sees every step's output.
  void run_until_idle(const std::function<void(const SchedulerOutput&)>& on_step = {},
                      int64_t max_steps = 100000) {
    for (int64_t i = 0; scheduler_.has_work(); ++i) {
      if (i == max_steps || ::testing::Test::HasFailure()) {
        ADD_FAILURE() << "stopped after " << i << " steps with work left";
        return;
      }
      SchedulerOutput output = step();
      if (on_step) on_step(output);
    }
  }

  /// Engine::finish: the request leaves, finished or aborted, running or waiting.
  void remove(uint64_t id) {
    scheduler_.remove(id);
    FakeRequest& request = *live_.at(id);
    request.live = false;
    live_.erase(id);
    EXPECT_EQ(request.sequence.status, SequenceStatus::Finished) << "sequence " << id;
    EXPECT_FALSE(kv_->contains(id)) << "sequence " << id << " kept its blocks after remove()";
  }

  void check_invariants() const;

  const kv_cache::KvCacheManager& kv_cache() const { return *kv_; }
  const Scheduler& scheduler() const { return scheduler_; }
  const FakeRequest& request(uint64_t id) const { return *requests_.at(id - 1); }
  const std::vector<std::unique_ptr<FakeRequest>>& requests() const { return requests_; }
  std::vector<uint64_t> live_ids(SequenceStatus status) const {
    std::vector<uint64_t> ids;
    for (const auto& [id, request] : live_) {
      if (request->sequence.status == status) ids.push_back(id);
    }
    return ids;
  }
  int64_t num_steps() const { return num_steps_; }
  int64_t num_preemptions() const { return num_preemptions_; }
  /// Admissions that started past a cached prefix, and block-table entries seen shared
  /// with another live sequence: both stay 0 without prefix caching.
  int64_t num_prefix_hits() const { return num_prefix_hits_; }
  int64_t num_shared_blocks_seen() const { return num_shared_blocks_seen_; }

 private:
  void check_output(const SchedulerOutput& output, const std::set<uint64_t>& was_running);

  SchedulerConfig config_;
  bool prefix_caching_;
  std::unique_ptr<kv_cache::KvCacheManager> kv_;
  FakeKvStore store_;
  FakeModel model_;
  Scheduler scheduler_;
  std::vector<std::unique_ptr<FakeRequest>> requests_;  // every request ever; id = index + 1
  std::map<uint64_t, FakeRequest*> live_;
  int64_t num_steps_ = 0;
  int64_t num_preemptions_ = 0;
  int64_t num_prefix_hits_ = 0;
  mutable int64_t num_shared_blocks_seen_ = 0;  // a statistic, not state
};

// What schedule() promises about one step, checked before the model runs it.
inline void FakeEngine::check_output(const SchedulerOutput& output,
                                     const std::set<uint64_t>& was_running) {
  SCOPED_TRACE("step " + std::to_string(num_steps_));
  // FCFS: whoever is admitted (new, or back from a preemption) arrived before everyone left
  // waiting. Preempted sequences count by their first arrival, so they go first on return.
  size_t first_waiting_arrival = requests_.size();
  const FakeRequest* first_waiting = nullptr;
  for (const auto& [id, request] : live_) {
    if (request->sequence.status == SequenceStatus::Waiting &&
        request->arrival < first_waiting_arrival) {
      first_waiting_arrival = request->arrival;
      first_waiting = request;
    }
  }
  // Engine::step treats an empty step with work pending as a scheduler bug.
  EXPECT_FALSE(output.empty()) << "empty step with " << live_.size() << " requests pending";
  int32_t total = 0;
  std::set<uint64_t> scheduled;
  for (const auto& chunk : output.chunks) {
    const Sequence& s = *chunk.sequence;
    total += chunk.num_tokens;
    if (!live_.count(s.id)) {
      ADD_FAILURE() << "sequence " << s.id << " is scheduled but not live";
      continue;
    }
    EXPECT_TRUE(scheduled.insert(s.id).second) << "sequence " << s.id << " scheduled twice";
    EXPECT_EQ(s.status, SequenceStatus::Running) << "sequence " << s.id;
    EXPECT_EQ(chunk.start, s.num_computed) << "sequence " << s.id;
    EXPECT_GT(chunk.num_tokens, 0) << "sequence " << s.id;
    EXPECT_LE(chunk.start + chunk.num_tokens, s.num_tokens()) << "sequence " << s.id;
    EXPECT_EQ(chunk.samples, chunk.start + chunk.num_tokens == s.num_tokens())
        << "sequence " << s.id;
    if (!was_running.count(s.id)) {
      num_prefix_hits_ += chunk.start > 0;  // admitted past a cached prefix
      EXPECT_LT(live_.at(s.id)->arrival, first_waiting_arrival)
          << "sequence " << s.id << " admitted while the earlier sequence "
          << first_waiting->sequence.id << " keeps waiting";
    }
  }
  EXPECT_EQ(output.num_batched_tokens, total);
  EXPECT_LE(output.num_batched_tokens, config_.max_num_batched_tokens);
  EXPECT_LE(output.chunks.size(), static_cast<size_t>(config_.max_num_seqs));
  EXPECT_LE(scheduler_.num_running(), static_cast<size_t>(config_.max_num_seqs));
  for (uint64_t id : output.preempted) {
    EXPECT_FALSE(scheduled.count(id)) << "preempted sequence " << id << " still scheduled";
    EXPECT_EQ(request(id).sequence.status, SequenceStatus::Waiting) << "sequence " << id;
    EXPECT_FALSE(kv_->contains(id)) << "preempted sequence " << id << " kept its blocks";
  }
}

// The block tables between steps. A block may sit in two live tables only with prefix
// caching on, and then only as the same full, computed block of identical tokens.
inline void FakeEngine::check_invariants() const {
  SCOPED_TRACE("after step " + std::to_string(num_steps_));
  const int32_t block_size = kv_->block_size();
  size_t num_running = 0;
  struct Holder {
    const Sequence* sequence;
    int32_t index;
  };
  std::map<kv_cache::BlockId, Holder> holders;
  for (const auto& [id, request] : live_) {
    const Sequence& s = request->sequence;
    if (s.status == SequenceStatus::Waiting) {
      EXPECT_FALSE(kv_->contains(id)) << "waiting sequence " << id << " holds blocks";
      EXPECT_EQ(s.num_computed, 0) << "waiting sequence " << id;
      continue;
    }
    EXPECT_EQ(s.status, SequenceStatus::Running) << "live sequence " << id;
    ++num_running;
    if (!kv_->contains(id)) {
      ADD_FAILURE() << "running sequence " << id << " has no block table";
      continue;
    }
    const auto& table = kv_->block_table(id);
    const auto num_blocks = static_cast<int32_t>(table.size());
    EXPECT_GE(num_blocks, kv_->blocks_for_tokens(s.num_computed)) << "sequence " << id;
    EXPECT_LE(num_blocks, kv_->blocks_for_tokens(s.num_tokens())) << "sequence " << id;
    for (int32_t p = 0; p < s.num_computed; ++p) {
      if (store_.read(id, p) != fake_key(s.tokens[p], p)) {
        ADD_FAILURE() << "sequence " << id << ": computed position " << p << " lost its key";
        break;
      }
    }
    for (int32_t index = 0; index < num_blocks; ++index) {
      auto [it, first] = holders.emplace(table[index], Holder{&s, index});
      if (first) continue;
      ++num_shared_blocks_seen_;
      const Sequence& other = *it->second.sequence;
      const int32_t end = (index + 1) * block_size;
      const bool same_full_block =
          it->second.index == index && s.num_computed >= end && other.num_computed >= end &&
          std::equal(s.tokens.begin() + end - block_size, s.tokens.begin() + end,
                     other.tokens.begin() + end - block_size);
      EXPECT_TRUE(prefix_caching_ && same_full_block)
          << "block " << table[index] << " is in the tables of sequences " << other.id << " and "
          << id << (prefix_caching_ ? " but is not the same full, computed block of both" : "");
    }
  }
  EXPECT_EQ(num_running, scheduler_.num_running());
  EXPECT_EQ(live_.size() - num_running, scheduler_.num_waiting());
  EXPECT_EQ(kv_->num_sequences(), num_running) << "tables of sequences no longer running";
  EXPECT_EQ(kv_->num_free_blocks() + static_cast<int32_t>(holders.size()), kv_->num_blocks())
      << "blocks neither free nor in a live table (leaked)";
  EXPECT_EQ(model_.num_bad_reads(), 0) << model_.first_bad_read();
}

}  // namespace fastchat::scheduler::testing
