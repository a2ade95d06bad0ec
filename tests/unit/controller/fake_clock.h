#pragma once
// A steady clock the test moves by hand, for heartbeat expiry without sleeping.

#include <chrono>

#include "controller/registry/worker_registry.h"

namespace fastchat::controller::testing {

struct FakeClock {
  std::chrono::steady_clock::time_point now{std::chrono::hours(1)};
  void advance(std::chrono::milliseconds by) { now += by; }
  WorkerRegistry::Clock fn() {
    return [this] { return now; };
  }
};

inline WorkerStatus status(std::vector<std::string> models, double speed = 1.0,
                           int64_t queue_length = 0) {
  return WorkerStatus{std::move(models), speed, queue_length};
}

}  // namespace fastchat::controller::testing
