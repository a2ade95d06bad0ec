#pragma once
// The worker's concurrency limit (--limit-worker-concurrency): how many generations may be in
// the engine at once. Unlike FastChat's asyncio.Semaphore, a slot is an RAII value, so no
// exception path can leak one (FastChat issues 2382, 3328, 3389), and a full worker answers
// at once with Overloaded instead of parking requests without a deadline.

#include <atomic>
#include <cstdint>

namespace fastchat::service {

class Admission {
 public:
  explicit Admission(int32_t limit) : limit_(limit) {}

  class Slot {
   public:
    Slot() = default;
    explicit Slot(Admission* owner) : owner_(owner) {}
    Slot(Slot&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() { release(); }
    void release();

   private:
    Admission* owner_ = nullptr;
  };

  /// A slot, or ErrorException{Overloaded} naming the limit.
  Slot acquire();
  /// Generations holding a slot: FastChat's queue_length, sent with heartbeats.
  int32_t in_flight() const { return in_flight_.load(); }
  int32_t limit() const { return limit_; }
  /// Requests refused so far because the limit was reached (for /metrics).
  int64_t refused() const { return refused_.load(std::memory_order_relaxed); }

 private:
  const int32_t limit_;
  std::atomic<int32_t> in_flight_{0};
  std::atomic<int64_t> refused_{0};
};

}  // namespace fastchat::service
