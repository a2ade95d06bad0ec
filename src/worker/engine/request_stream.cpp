#include "worker/engine/request_stream.h"

#include <utility>

namespace fastchat::engine {

const char* to_string(FinishReason reason) {
  switch (reason) {
    case FinishReason::Stop:
      return "stop";
    case FinishReason::Length:
      return "length";
    case FinishReason::Abort:
      return "abort";
    case FinishReason::Error:
      return "error";
    case FinishReason::Timeout:
      return "timeout";
  }
  return "error";
}

void RequestStream::push(TokenEvent token, std::optional<FinishReason> finish) {
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    pending_.tokens.push_back(std::move(token));
    if (finish) {
      pending_.finish = finish;
      finished_ = true;
    }
  }
  ready_.notify_one();
}

void RequestStream::finish(FinishReason reason, std::string error) {
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    pending_.finish = reason;
    pending_.error = std::move(error);
    finished_ = true;
  }
  ready_.notify_one();
}

void RequestStream::finish_with_embedding(std::vector<float> embedding) {
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    pending_.finish = FinishReason::Stop;
    pending_.embedding = std::move(embedding);
    finished_ = true;
  }
  ready_.notify_one();
}

StreamUpdate RequestStream::take_locked() {
  StreamUpdate update = std::move(pending_);
  pending_ = StreamUpdate{};
  // Once finished, every later call answers the finish again instead of blocking forever.
  if (finished_) {
    pending_.finish = update.finish;
    pending_.error = update.error;
  }
  return update;
}

StreamUpdate RequestStream::next() {
  std::unique_lock lock(mutex_);
  ready_.wait(lock, [&] { return !pending_.tokens.empty() || pending_.finish; });
  return take_locked();
}

bool RequestStream::finished() const {
  std::lock_guard lock(mutex_);
  return finished_;
}

}  // namespace fastchat::engine
