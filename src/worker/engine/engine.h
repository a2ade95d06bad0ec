#pragma once
// The inference engine of one model: a single engine thread owns the scheduler, the KV block
// tables, the model and the sampler, and runs step after step (schedule -> forward + sample
// -> stop checks -> stream tokens) while any request is queued, sleeping otherwise.
// Other threads talk to it only through submit() and abort(), which are thread-safe, and
// read tokens from the RequestStream submit() returns.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "worker/engine/engine_config.h"
#include "worker/engine/engine_observer.h"
#include "worker/engine/model_runner.h"
#include "worker/engine/request_stream.h"
#include "worker/kv_cache/kv_cache_manager.h"
#include "worker/scheduler/scheduler.h"

namespace fastchat::engine {

/// How an embedding request turns its prompt's final hidden states into one vector, which is
/// then L2-normalised: FastChat's mean over the tokens, or the first (a "cls" token) or last.
enum class Pooling { Mean, First, Last };

struct GenerationRequest {
  std::vector<int32_t> prompt_ids;
  protocol::SamplingParams params;
  /// Set: an embedding request. The prompt is computed (every token, no prefix cache) and the
  /// stream ends with the pooled vector instead of generating.
  std::optional<Pooling> embedding{};
};

/// A snapshot for status endpoints and benchmarks.
struct EngineStats {
  int32_t num_running = 0;
  int32_t num_waiting = 0;
  int32_t num_kv_blocks = 0;
  int32_t num_free_kv_blocks = 0;  // cached blocks nobody holds count as free
  int64_t num_steps = 0;
  int64_t num_prompt_tokens = 0;  // tokens run through prefill (recomputation included)
  int64_t num_generated_tokens = 0;
  int64_t num_preemptions = 0;
  /// Prompt tokens looked up in the prefix cache at admission, and how many were found.
  int64_t num_prefix_cache_queries = 0;
  int64_t num_prefix_cache_hits = 0;
  /// Requests refused at submit because the queue was full (--max-queue-len).
  int64_t num_rejected = 0;
  /// Requests cancelled by their client, and requests that waited past --max-queue-time.
  int64_t num_aborted = 0;
  int64_t num_timed_out = 0;
};

class Engine {
 public:
  /// Sizes the KV cache, allocates it and starts the engine thread.
  Engine(std::unique_ptr<model::CausalLm> model, EngineConfig config);
  /// Finishes every open stream with Abort and joins the engine thread.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Validates and queues a request. Throws ErrorException (InvalidRequest,
  /// ContextLengthExceeded) naming the field at fault.
  std::shared_ptr<RequestStream> submit(GenerationRequest request);
  /// Cancels a request; its stream finishes with Abort and its blocks are freed next step.
  void abort(uint64_t request_id);

  EngineStats stats() const;
  /// Reports each request as it ends (engine thread). Set before the first submit; the
  /// observer must outlive the engine.
  void set_observer(EngineObserver* observer);
  /// True while the engine thread runs and is idle or finished a step within `window`: a
  /// wedged step (or a dead thread) reads as not answering.
  bool responsive(std::chrono::steady_clock::duration window) const;
  const loader::ModelConfig& model_config() const { return model_config_; }
  /// Tokens a sequence may hold, prompt included.
  int32_t context_length() const { return context_length_; }
  int32_t kv_cache_capacity_tokens() const { return num_blocks_ * config_.block_size; }
  int64_t kv_cache_bytes() const { return runner_->storage().bytes(); }

 private:
  struct RequestState {
    std::chrono::steady_clock::time_point submitted;
    std::optional<std::chrono::steady_clock::time_point> started;      // first scheduled
    std::optional<std::chrono::steady_clock::time_point> first_token;  // first sampled token
    scheduler::Sequence sequence;
    protocol::SamplingParams params;
    std::unique_ptr<sampling::RequestRng> rng;
    std::shared_ptr<RequestStream> stream;
    std::optional<Pooling> pooling;  // embedding requests
    std::vector<float> pooled;       // their chunks' pooled rows so far (ForwardOutput::pooled)
  };

  void run();
  bool drain_inbox(bool block);
  void step();
  void publish_queue_stats();
  /// Fails requests that waited longer than max_queue_time_s without starting.
  void expire_queued();
  void finish(uint64_t id, FinishReason reason, const std::string& error = {});
  std::vector<int32_t> suppressed_tokens(const RequestState& state) const;
  std::optional<FinishReason> check_stop(const RequestState& state, int32_t token) const;
  /// Adds a pooled chunk of an embedding request; true when it completed the prompt (the
  /// stream then has its vector).
  bool add_pooled_chunk(RequestState& state, const scheduler::ScheduledChunk& chunk,
                        std::vector<float> pooled);
  void check_submitted_lengths(const GenerationRequest& request) const;

  EngineConfig config_;
  loader::ModelConfig model_config_;
  int32_t context_length_;
  int32_t num_blocks_;
  kv_cache::KvCacheManager kv_cache_;
  scheduler::Scheduler scheduler_;
  std::unique_ptr<ModelRunner> runner_;
  std::unordered_map<uint64_t, std::unique_ptr<RequestState>> requests_;  // engine thread only

  mutable std::mutex inbox_mutex_;
  std::condition_variable inbox_ready_;
  std::vector<std::unique_ptr<RequestState>> inbox_;
  std::vector<uint64_t> aborts_;
  bool stopping_ = false;
  std::atomic<uint64_t> next_id_{1};

  mutable std::mutex stats_mutex_;
  EngineStats stats_;
  std::atomic<EngineObserver*> observer_{nullptr};
  std::atomic<bool> thread_running_{false};
  /// steady_clock ticks when the step in progress started; 0 between steps.
  std::atomic<int64_t> step_started_{0};
  std::thread thread_;
};

}  // namespace fastchat::engine
