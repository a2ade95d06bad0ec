#include "common/http/handler_pool.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

namespace fastchat::http {

struct HandlerPool::State {
  std::mutex mutex;
  std::condition_variable work;  // a task was queued, or the pool closed
  std::condition_variable idle;  // a task finished
  std::deque<std::function<void()>> queue;
  std::vector<std::thread> threads;
  size_t running = 0;  // tasks taken off the queue and not yet destroyed
  bool closed = false;
};

namespace {

// How long the destructor waits for running tasks before it leaves them to their threads.
constexpr std::chrono::milliseconds kFinishingWait{500};

void run_task(std::function<void()>& task) {
  try {
    task();
  } catch (const std::exception& e) {
    // Router::invoke already turns a handler's exceptions into answers; this is a last guard
    // so that one task cannot end the process.
    spdlog::error("handler pool: task failed: {}", e.what());
  } catch (...) {
    spdlog::error("handler pool: task failed with an unknown exception");
  }
}

}  // namespace

HandlerPool::HandlerPool(size_t max_threads, size_t max_queued)
    : max_threads_(std::max<size_t>(1, max_threads)),
      max_queued_(max_queued),
      state_(std::make_shared<State>()) {}

HandlerPool::~HandlerPool() {
  close();
  std::vector<std::thread> threads;
  bool busy = false;
  {
    // The server waits for its handlers before this, but a task counts as running a little
    // past what the server sees (its captures going); a short wait covers that.
    std::unique_lock lock(state_->mutex);
    busy = !state_->idle.wait_for(lock, kFinishingWait, [&] { return state_->running == 0; });
    threads.swap(state_->threads);
  }
  if (!busy) {
    for (auto& thread : threads) thread.join();  // all idle: they see `closed` and return
    return;
  }
  // The server already waited for its handlers and gave up; joining could hang for good.
  spdlog::warn("handler pool: leaving {} thread(s) to finish a task on their own", threads.size());
  for (auto& thread : threads) thread.detach();
}

void HandlerPool::serve_tasks(const std::shared_ptr<State>& state) {
  std::unique_lock lock(state->mutex);
  for (;;) {
    state->work.wait(lock, [&] { return !state->queue.empty() || state->closed; });
    if (state->queue.empty()) return;  // closed
    auto next = std::move(state->queue.front());
    state->queue.pop_front();
    ++state->running;
    lock.unlock();
    run_task(next);
    next = nullptr;  // what the task holds goes before it counts as finished
    lock.lock();
    if (--state->running == 0) state->idle.notify_all();
  }
}

bool HandlerPool::try_submit(std::function<void()> task) {
  std::lock_guard lock(state_->mutex);
  auto& state = *state_;
  if (state.closed || state.queue.size() + state.running >= max_threads_ + max_queued_) {
    return false;
  }
  state.queue.push_back(std::move(task));
  // Threads neither running a task nor already due to take a queued one.
  const size_t free_threads = state.threads.size() - state.running;
  if (state.queue.size() <= free_threads || state.threads.size() >= max_threads_) {
    state.work.notify_one();
    return true;
  }
  try {
    state.threads.emplace_back(serve_tasks, state_);
  } catch (const std::system_error& e) {
    spdlog::warn("handler pool: cannot start a thread ({}); {} running", e.what(),
                 state.threads.size());
    // With no thread at all the task would wait for good; otherwise a running one takes it.
    if (state.threads.empty()) {
      task = std::move(state.queue.back());  // destroyed on return, after the lock is let go
      state.queue.pop_back();
      return false;
    }
  }
  return true;
}

void HandlerPool::close() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(state_->mutex);
    state_->closed = true;
    dropped.swap(state_->queue);
  }
  state_->work.notify_all();
  dropped.clear();  // outside the lock: a task's captures may take other locks as they go
}

size_t HandlerPool::threads() const {
  std::lock_guard lock(state_->mutex);
  return state_->threads.size();
}

size_t HandlerPool::pending() const {
  std::lock_guard lock(state_->mutex);
  return state_->queue.size() + state_->running;
}

}  // namespace fastchat::http
