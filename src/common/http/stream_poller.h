#pragma once
// One thread that reads many outbound streamed responses as their bytes arrive (epoll) and
// hands each piece to its consumer. A relay that blocked in its own receive would cost a
// thread wake-up per token per stream; here one wake-up serves every stream that became
// readable meanwhile (a worker's decode step writes a token to each of its streams at once).
//
// A caller lends its stream with follow() and blocks until the poller gives it back. Consumers
// run on the poller thread, so they must not block: when one would, it yields and the stream
// goes back to its caller, which goes on reading it on its own thread, where blocking is
// allowed (a slow client then stalls only its own relay).

#include <chrono>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_set>

#include "common/http/client_stream.h"

namespace fastchat::http {

enum class PieceVerdict {
  Continue,
  Stop,   ///< read no more
  Yield,  ///< the consumer would block on what comes next: give the stream back to the caller
};

struct PieceConsumer {
  /// One piece of the body, in order.
  std::function<PieceVerdict(std::string_view)> on_piece;
  /// Checked while the stream is silent too (every kSweepInterval): true stops reading.
  std::function<bool()> cancelled = [] { return false; };
};

class StreamPoller {
 public:
  enum class Outcome {
    Ended,    ///< the body is complete
    Stopped,  ///< the consumer said Stop, or cancelled
    Yielded,  ///< the consumer yielded; read on with ClientStream::read()
  };

  static constexpr std::chrono::milliseconds kSweepInterval{200};

  StreamPoller();
  /// Gives every followed stream back with an "unavailable" ClientError, then stops the thread.
  ~StreamPoller();
  StreamPoller(const StreamPoller&) = delete;
  StreamPoller& operator=(const StreamPoller&) = delete;

  /// Reads `stream` on the poller thread until one of the outcomes. Blocks the calling thread
  /// meanwhile. Throws ClientError: the stream failed, or sent nothing for `idle_timeout`
  /// (UpstreamTimeout); and rethrows what a consumer threw.
  Outcome follow(ClientStream& stream, const PieceConsumer& consumer,
                 std::chrono::milliseconds idle_timeout);

 private:
  struct Follow;

  void run();
  /// Poller thread: a readiness event of `follow`.
  void service(Follow& follow);
  /// Poller thread: timeouts and cancellations of silent streams.
  void sweep();
  /// Poller thread: stops watching `follow` and wakes its caller.
  void finish(Follow& follow);

  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // eventfd: the destructor's way to interrupt epoll_wait
  std::mutex mutex_;
  std::unordered_set<Follow*> follows_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fastchat::http
