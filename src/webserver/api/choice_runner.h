#pragma once
// The generations behind one OpenAI request (n choices, or prompts x n for completions), their
// events handed to the handler thread in arrival order. A single generation (the usual case)
// runs on the handler thread itself, so a token costs no thread hand-off; several run on their
// own threads, merged into one queue, so n > 1 streams interleaved. Everything is cancelled at
// once when the client goes away or one choice fails.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "webserver/upstream/worker_pool.h"

namespace fastchat::api {

struct ChoiceJob {
  int index = 0;         ///< choices[].index in the answer
  int prompt_index = 0;  ///< which prompt it answers (usage counts each prompt once)
  protocol::GenerateRequest request;
};

/// A delta of one choice, or the failure that ended it.
struct ChoiceEvent {
  int index = 0;
  int prompt_index = 0;
  protocol::GenerateDelta delta;
  std::optional<Error> failure;
};

/// Takes one event; false stops everything (the rest is cancelled).
using ChoiceSink = std::function<bool(ChoiceEvent&&)>;

class ChoiceRunner {
 public:
  ChoiceRunner(upstream::WorkerPool& pool, std::string model, std::vector<ChoiceJob> jobs);
  /// Cancels what is still running and joins the threads.
  ~ChoiceRunner();
  ChoiceRunner(const ChoiceRunner&) = delete;
  ChoiceRunner& operator=(const ChoiceRunner&) = delete;

  /// Runs every job, handing each event to `sink`, until all have ended or the sink refuses
  /// one. Once only. `sink_would_block` says when the sink could block: until then, a single
  /// job's events may be handed over on the worker pool's poller thread (the calling thread
  /// waits meanwhile, so the sink still sees one thread at a time).
  void run(
      const ChoiceSink& sink, std::function<bool()> sink_would_block = [] { return false; });
  /// Stops every job at its next delta (their workers see the connection close). Any thread.
  void cancel() { *cancelled_ = true; }
  /// The flag cancel() sets, for callbacks that may outlive this runner.
  std::shared_ptr<std::atomic<bool>> cancel_flag() const { return cancelled_; }

 private:
  /// One job to its end; every delta, or the failure that ended it, goes to `emit`.
  void run_job(const ChoiceJob& job, const std::function<void(ChoiceEvent&&)>& emit,
               std::function<bool()> emit_would_block);
  void push(ChoiceEvent event);
  std::optional<ChoiceEvent> next();

  upstream::WorkerPool& pool_;
  const std::string model_;
  const std::vector<ChoiceJob> jobs_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<ChoiceEvent> events_;
  size_t running_ = 0;
  std::shared_ptr<std::atomic<bool>> cancelled_ = std::make_shared<std::atomic<bool>>(false);
  std::vector<std::thread> threads_;
};

}  // namespace fastchat::api
