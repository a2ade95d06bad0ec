#pragma once
// The threads that run one HttpServer's blocking routes, and the bounded queue in front of
// them. At most `max_threads` threads, started as the load needs them and kept for the next
// request (so a busy server does not create and destroy a thread per request), and at most
// `max_queued` tasks waiting for one; a task beyond that is refused at once, so a flood costs
// an immediate answer instead of an unbounded backlog. Tasks start in the order they came.
//
// A streamed response holds its thread until its last chunk, so max_threads is also the most
// generations a process relays or runs at once; the rest wait in the queue.
//
// A kept thread keeps glibc's cache of small freed blocks (tcache), so a process settles a few
// tens of KiB per thread above what a thread per request used: measured on fastchat-server at
// concurrency 64 (about 70 threads), 3 to 4 MiB more, reached over the first 20,000 requests.
//
// Threads: try_submit() from any thread (the server's I/O threads). close() and the
// destructor from the thread that owns the server, never from inside a task.
// Lifecycle: close() refuses new tasks and drops the waiting ones; running tasks go on. The
// destructor closes, then joins the threads, or, when a task still runs (a handler that
// ignored the server's stop), leaves them to finish it and exit on their own.

#include <cstddef>
#include <functional>
#include <memory>

namespace fastchat::http {

class HandlerPool {
 public:
  HandlerPool(size_t max_threads, size_t max_queued);
  ~HandlerPool();
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;

  /// Runs `task` on a pool thread: at once when a thread is free or may still be started,
  /// else after the tasks queued before it. False when `max_queued` tasks already wait, or
  /// after close(); `task` is then destroyed before this returns, never run.
  bool try_submit(std::function<void()> task);

  /// Refuses every later task and destroys the waiting ones on the calling thread, unrun.
  /// Idempotent.
  void close();

  /// Threads started so far (never more than max_threads; they are kept until destruction).
  size_t threads() const;
  /// Tasks accepted and not finished: running plus waiting.
  size_t pending() const;

  size_t max_threads() const { return max_threads_; }
  size_t max_queued() const { return max_queued_; }

 private:
  struct State;

  static void serve_tasks(const std::shared_ptr<State>& state);

  const size_t max_threads_;
  const size_t max_queued_;
  std::shared_ptr<State> state_;  // shared with the threads, which may outlive the pool
};

}  // namespace fastchat::http
