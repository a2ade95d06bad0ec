#pragma once
// Removes workers whose heartbeats stopped. FastChat checks every 90 s, so a dead worker
// lingers up to twice the expiry; this checks every expiry/10 (clamped to 100 ms..1 s), so
// nobody is sent to a dead worker for much longer than the expiry itself.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "controller/registry/worker_registry.h"

namespace fastchat::controller {

class ExpirySweeper {
 public:
  /// Starts sweeping at once; `registry` must outlive the sweeper.
  ExpirySweeper(WorkerRegistry& registry, std::chrono::milliseconds expiry);
  ~ExpirySweeper();
  ExpirySweeper(const ExpirySweeper&) = delete;
  ExpirySweeper& operator=(const ExpirySweeper&) = delete;

  /// Joins the thread promptly; idempotent.
  void stop();

  /// How often a given expiry is checked.
  static std::chrono::milliseconds period_for(std::chrono::milliseconds expiry);
  /// One pass: removes and logs expired workers; returns how many.
  static size_t sweep(WorkerRegistry& registry, std::chrono::milliseconds expiry);

 private:
  void run();

  WorkerRegistry& registry_;
  std::chrono::milliseconds expiry_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fastchat::controller
