#include "worker/scheduler/scheduler.h"

#include <algorithm>

namespace fastchat::scheduler {

Scheduler::Scheduler(SchedulerConfig config, kv_cache::KvCacheManager& kv_cache)
    : config_(config), kv_cache_(kv_cache) {}

void Scheduler::add(Sequence* sequence) {
  sequence->status = SequenceStatus::Waiting;
  waiting_.push_back(sequence);
}

void Scheduler::preempt(Sequence* sequence, SchedulerOutput& output) {
  kv_cache_.free(sequence->id);
  sequence->num_computed = 0;
  sequence->status = SequenceStatus::Waiting;
  ++sequence->num_preemptions;
  running_.erase(std::find(running_.begin(), running_.end(), sequence));
  // Back to the head of the queue: it arrived before everything still waiting.
  waiting_.push_front(sequence);
  output.preempted.push_back(sequence->id);
}

// Makes room for `num_tokens` more tokens of a running sequence, preempting the newest
// running sequences if needed. False when the sequence itself had to be preempted.
bool Scheduler::reserve(Sequence* sequence, int32_t num_tokens, SchedulerOutput& output) {
  while (!kv_cache_.allocate(sequence->id, sequence->num_computed + num_tokens)) {
    Sequence* victim = running_.back();
    preempt(victim, output);
    if (victim == sequence) return false;
  }
  return true;
}

SchedulerOutput Scheduler::schedule() {
  SchedulerOutput output;
  int32_t budget = config_.max_num_batched_tokens;

  // Running sequences first; iterate over a copy since preemption edits running_.
  std::vector<Sequence*> running = running_;
  for (Sequence* sequence : running) {
    if (budget == 0) break;
    if (sequence->status != SequenceStatus::Running) continue;  // preempted above
    const int32_t n = std::min(sequence->num_uncomputed(), budget);
    if (n <= 0) continue;
    if (!reserve(sequence, n, output)) continue;
    output.chunks.push_back({sequence, sequence->num_computed, n,
                             sequence->num_computed + n == sequence->num_tokens()});
    budget -= n;
  }
  // Chunks of sequences preempted after being scheduled must not run.
  std::erase_if(output.chunks, [](const ScheduledChunk& chunk) {
    return chunk.sequence->status != SequenceStatus::Running;
  });

  // Then admit in arrival order; never skip ahead of a sequence that does not fit (FCFS).
  // Nothing is admitted in a step that preempted: memory is short.
  while (output.preempted.empty() && !waiting_.empty() && budget > 0 &&
         running_.size() < static_cast<size_t>(config_.max_num_seqs)) {
    Sequence* sequence = waiting_.front();
    // Waiting sequences have nothing computed (new or preempted); a cached prefix, possibly
    // their own from before a preemption, is skipped instead of recomputed.
    const kv_cache::PrefixMatch prefix =
        sequence->reuse_prefix ? kv_cache_.match_prefix(sequence->tokens) : kv_cache::PrefixMatch{};
    const int32_t start = std::max(sequence->num_computed, prefix.num_tokens);
    const int32_t n = std::min(sequence->num_tokens() - start, budget);
    if (!kv_cache_.allocate(sequence->id, start + n, prefix)) break;
    if (sequence->num_preemptions == 0) {
      sequence->num_cached_prompt_tokens = std::min(start, sequence->num_prompt_tokens);
    }
    sequence->num_computed = start;
    waiting_.pop_front();
    sequence->status = SequenceStatus::Running;
    running_.push_back(sequence);
    output.chunks.push_back({sequence, sequence->num_computed, n,
                             sequence->num_computed + n == sequence->num_tokens()});
    budget -= n;
  }
  output.num_batched_tokens = config_.max_num_batched_tokens - budget;
  return output;
}

void Scheduler::on_step_done(const SchedulerOutput& output) {
  for (const ScheduledChunk& chunk : output.chunks) {
    Sequence* sequence = chunk.sequence;
    sequence->num_computed = chunk.start + chunk.num_tokens;
    kv_cache_.cache_full_blocks(sequence->id, sequence->tokens, sequence->num_computed);
    kv_cache_.release_outside_window(sequence->id, sequence->num_computed);
  }
}

void Scheduler::remove(uint64_t sequence_id) {
  kv_cache_.free(sequence_id);
  auto in_running = std::find_if(running_.begin(), running_.end(),
                                 [&](Sequence* s) { return s->id == sequence_id; });
  if (in_running != running_.end()) {
    (*in_running)->status = SequenceStatus::Finished;
    running_.erase(in_running);
    return;
  }
  auto in_waiting = std::find_if(waiting_.begin(), waiting_.end(),
                                 [&](Sequence* s) { return s->id == sequence_id; });
  if (in_waiting != waiting_.end()) {
    (*in_waiting)->status = SequenceStatus::Finished;
    waiting_.erase(in_waiting);
  }
}

}  // namespace fastchat::scheduler
