#include "worker/service/admission.h"

#include <string>

#include "common/error/error.h"

namespace fastchat::service {

Admission::Slot& Admission::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = other.owner_;
    other.owner_ = nullptr;
  }
  return *this;
}

void Admission::Slot::release() {
  if (owner_) owner_->in_flight_.fetch_sub(1);
  owner_ = nullptr;
}

Admission::Slot Admission::acquire() {
  int32_t current = in_flight_.load();
  do {
    if (current >= limit_) {
      refused_.fetch_add(1, std::memory_order_relaxed);
      throw_error(ErrorCode::Overloaded,
                  "the worker is at its concurrency limit (" + std::to_string(limit_) +
                      " requests in flight); retry later",
                  "");
    }
  } while (!in_flight_.compare_exchange_weak(current, current + 1));
  return Slot(this);
}

}  // namespace fastchat::service
