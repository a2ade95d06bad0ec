#pragma once
// First-come first-served scheduler over a paged KV cache. Each step it continues every
// running sequence (one decode token, or the next prefill chunk) and then admits waiting
// sequences in arrival order while the token budget, the sequence limit and free blocks allow.
// When a running sequence cannot get a block, the newest running sequence is preempted: its
// blocks are freed and it is recomputed later, so nobody fails for lack of memory.
// A sequence whose prefix is in the KV manager's prefix cache starts past it.
// Torch-free; engine thread only. Replaceable: the engine uses only this interface.

#include <deque>
#include <vector>

#include "worker/kv_cache/kv_cache_manager.h"
#include "worker/scheduler/scheduler_config.h"
#include "worker/scheduler/scheduler_output.h"

namespace fastchat::scheduler {

class Scheduler {
 public:
  Scheduler(SchedulerConfig config, kv_cache::KvCacheManager& kv_cache);

  /// Queues a sequence (not owned; must outlive its time in the scheduler).
  void add(Sequence* sequence);
  /// Picks this step's work and reserves its KV slots.
  SchedulerOutput schedule();
  /// Marks the chunks of `output` as computed, offers the blocks they filled to the prefix
  /// cache and gives back those that left a sliding window. The engine appends sampled tokens
  /// itself.
  void on_step_done(const SchedulerOutput& output);
  /// Removes a sequence (finished or aborted) and frees its blocks at once.
  void remove(uint64_t sequence_id);

  bool has_work() const { return !running_.empty() || !waiting_.empty(); }
  size_t num_running() const { return running_.size(); }
  size_t num_waiting() const { return waiting_.size(); }
  const kv_cache::KvCacheManager& kv_cache() const { return kv_cache_; }

 private:
  bool reserve(Sequence* sequence, int32_t num_tokens, SchedulerOutput& output);
  void preempt(Sequence* sequence, SchedulerOutput& output);

  SchedulerConfig config_;
  kv_cache::KvCacheManager& kv_cache_;
  std::deque<Sequence*> waiting_;
  std::vector<Sequence*> running_;  // in admission order: the back is the newest
};

}  // namespace fastchat::scheduler
