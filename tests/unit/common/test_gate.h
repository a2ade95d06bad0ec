#pragma once
// A gate for tests of concurrent handlers: tasks enter() and block until open() (or a generous
// bound, so a failing test ends instead of hanging); the test waits until a number of them
// have entered. Every wait is bounded; none is an assertion about speed.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace fastchat::testing_support {

class Gate {
 public:
  static constexpr std::chrono::seconds kBound{20};

  /// Counts the caller in, then blocks until open() (true) or the bound passes (false).
  bool enter() {
    std::unique_lock lock(mutex_);
    ++entered_;
    changed_.notify_all();
    return changed_.wait_for(lock, kBound, [&] { return open_; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  /// Waits (bounded) until at least `n` callers have entered; true when they have.
  bool wait_entered(int n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kBound, [&] { return entered_ >= n; });
  }
  int entered() {
    std::lock_guard lock(mutex_);
    return entered_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int entered_ = 0;
  bool open_ = false;
};

/// Polls `done` every millisecond for up to Gate::kBound; true once it holds.
template <class Predicate>
bool eventually(Predicate done) {
  const auto deadline = std::chrono::steady_clock::now() + Gate::kBound;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace fastchat::testing_support
