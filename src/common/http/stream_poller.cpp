#include "common/http/stream_poller.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <vector>

#include <spdlog/spdlog.h>

namespace fastchat::http {

using Clock = std::chrono::steady_clock;

struct StreamPoller::Follow {
  Follow(ClientStream& s, const PieceConsumer& c, std::chrono::milliseconds timeout)
      : stream(s), consumer(c), idle_timeout(timeout), deadline(Clock::now() + timeout) {}

  ClientStream& stream;
  const PieceConsumer& consumer;
  const std::chrono::milliseconds idle_timeout;
  Clock::time_point deadline;  // poller thread, once registered

  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  Outcome outcome = Outcome::Ended;
  std::exception_ptr failure;
};

namespace {

[[noreturn]] void fail_system(const char* what) {
  throw std::runtime_error(std::string("stream poller: ") + what + ": " + std::strerror(errno));
}

}  // namespace

StreamPoller::StreamPoller() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) fail_system("epoll_create1");
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) {
    ::close(epoll_fd_);
    fail_system("eventfd");
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = nullptr;  // the wake-up, told apart from every Follow
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
  thread_ = std::thread([this] { run(); });
}

StreamPoller::~StreamPoller() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  const uint64_t one = 1;
  [[maybe_unused]] auto written = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
  std::vector<Follow*> left;
  {
    std::lock_guard lock(mutex_);
    left.assign(follows_.begin(), follows_.end());
  }
  for (Follow* follow : left) {
    follow->failure = std::make_exception_ptr(ClientError(
        Error{ErrorCode::Unavailable,
              follow->stream.description() + ": abandoned, the server is shutting down", ""},
        true));
    finish(*follow);
  }
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

StreamPoller::Outcome StreamPoller::follow(ClientStream& stream, const PieceConsumer& consumer,
                                           std::chrono::milliseconds idle_timeout) {
  // Bytes already buffered raise no readiness event: hand them over first, on this thread.
  while (auto piece = stream.next_buffered()) {
    switch (consumer.on_piece(*piece)) {
      case PieceVerdict::Continue:
        break;
      case PieceVerdict::Stop:
        return Outcome::Stopped;
      case PieceVerdict::Yield:
        return Outcome::Yielded;
    }
  }
  if (stream.done()) return Outcome::Ended;

  Follow follow(stream, consumer, idle_timeout);
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      throw ClientError(
          Error{ErrorCode::Unavailable, stream.description() + ": the server is shutting down", ""},
          true);
    }
    follows_.insert(&follow);
  }
  epoll_event event{};
  event.events = EPOLLIN | EPOLLRDHUP;  // level-triggered: one receive per readiness suffices
  event.data.ptr = &follow;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, stream.native_handle(), &event) != 0) {
    std::lock_guard lock(mutex_);
    follows_.erase(&follow);
    fail_system("epoll_ctl(ADD)");
  }
  std::unique_lock lock(follow.mutex);
  follow.finished.wait(lock, [&] { return follow.done; });
  if (follow.failure) std::rethrow_exception(follow.failure);
  return follow.outcome;
}

void StreamPoller::run() {
  std::array<epoll_event, 128> events{};
  auto next_sweep = Clock::now() + kSweepInterval;
  for (;;) {
    const auto wait =
        std::chrono::duration_cast<std::chrono::milliseconds>(next_sweep - Clock::now());
    const int n = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()),
                               static_cast<int>(std::max<int64_t>(0, wait.count())));
    if (n < 0 && errno != EINTR) {
      spdlog::error("stream poller: epoll_wait: {}", std::strerror(errno));
      std::this_thread::sleep_for(kSweepInterval);  // never spin; sweeps still time streams out
    }
    for (int i = 0; i < n; ++i) {
      if (events[static_cast<size_t>(i)].data.ptr == nullptr) {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        continue;
      }
      service(*static_cast<Follow*>(events[static_cast<size_t>(i)].data.ptr));
    }
    if (Clock::now() >= next_sweep) {
      sweep();
      next_sweep = Clock::now() + kSweepInterval;
    }
  }
}

void StreamPoller::service(Follow& follow) {
  {
    // Also orders what the caller did before lending the stream (its consumer's state) before
    // what the consumer does here.
    std::lock_guard lock(mutex_);
    if (!follows_.count(&follow)) return;
  }
  try {
    if (follow.stream.receive_available()) follow.deadline = Clock::now() + follow.idle_timeout;
    while (auto piece = follow.stream.next_buffered()) {
      const auto verdict = follow.consumer.on_piece(*piece);
      if (verdict == PieceVerdict::Continue) continue;
      follow.outcome = verdict == PieceVerdict::Stop ? Outcome::Stopped : Outcome::Yielded;
      return finish(follow);
    }
    if (follow.stream.done()) {
      follow.outcome = Outcome::Ended;
      finish(follow);
    }
  } catch (...) {
    follow.failure = std::current_exception();
    finish(follow);
  }
}

void StreamPoller::sweep() {
  std::vector<Follow*> current;
  {
    std::lock_guard lock(mutex_);
    current.assign(follows_.begin(), follows_.end());
  }
  const auto now = Clock::now();
  for (Follow* follow : current) {
    if (follow->consumer.cancelled()) {
      follow->outcome = Outcome::Stopped;
      finish(*follow);
    } else if (now >= follow->deadline) {
      follow->failure = std::make_exception_ptr(ClientError(
          Error{ErrorCode::UpstreamTimeout,
                follow->stream.description() + ": timed out while reading the response body", ""},
          true));
      finish(*follow);
    }
  }
}

void StreamPoller::finish(Follow& follow) {
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, follow.stream.native_handle(), nullptr);
  {
    std::lock_guard lock(mutex_);
    follows_.erase(&follow);
  }
  // Notified under the lock: the caller may destroy `follow` as soon as it sees `done`.
  std::lock_guard lock(follow.mutex);
  follow.done = true;
  follow.finished.notify_one();
}

}  // namespace fastchat::http
