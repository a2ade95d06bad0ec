#pragma once
// The generations behind one OpenAI request (n choices, or prompts x n for completions), each
// running on its own thread against some worker, merged into one ordered queue of events for
// the handler thread. Lets n > 1 stream interleaved, and cancels everything at once when the
// client goes away or one choice fails.

#include <atomic>
#include <condition_variable>
#include <memory>
#include <deque>
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

class ChoiceRunner {
 public:
  /// Starts one thread per job.
  ChoiceRunner(upstream::WorkerPool& pool, std::string model, std::vector<ChoiceJob> jobs);
  /// Cancels what is still running and joins the threads.
  ~ChoiceRunner();
  ChoiceRunner(const ChoiceRunner&) = delete;
  ChoiceRunner& operator=(const ChoiceRunner&) = delete;

  /// The next event, in arrival order; nullopt once every job has ended and all were taken.
  std::optional<ChoiceEvent> next();
  /// Stops every job at its next delta (their workers see the connection close). Any thread.
  void cancel() { *cancelled_ = true; }
  /// The flag cancel() sets, for callbacks that may outlive this runner.
  std::shared_ptr<std::atomic<bool>> cancel_flag() const { return cancelled_; }

 private:
  void run(const ChoiceJob& job);
  void push(ChoiceEvent event);

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
