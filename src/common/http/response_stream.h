#pragma once
// The producer's end of a streamed (chunked) response. A handler thread writes chunks as they
// are produced; the session sends them in order. The queue between the two is bounded, so a
// client that stops reading stalls only its own producer, and only up to the write timeout.

#include <functional>
#include <string>

namespace fastchat::http {

class ResponseStream {
 public:
  virtual ~ResponseStream() = default;

  /// Queues one chunk. Blocks while the queue is full; returns false once the client is gone,
  /// stalled past the write timeout, or the server is stopping: the producer should then
  /// cancel its work. Empty chunks are ignored (an empty chunk would end the body).
  virtual bool write(std::string chunk) = 0;
  /// Ends the body; the connection then serves its next request. Called by the destructor
  /// of the session's stream handle if the producer forgets.
  virtual void close() = 0;
  /// True once the client disconnected or a write failed.
  virtual bool client_gone() const = 0;
  /// True while write() would block (the queue is full). Lets a producer that must not block
  /// (one thread relaying many streams) hand this one to a thread that may.
  virtual bool congested() const { return false; }
  /// Runs `callback` (once, on an I/O thread) when the client goes away before close(); runs it
  /// at once if it already has. Lets a producer blocked elsewhere (waiting on the engine)
  /// cancel its work promptly.
  virtual void on_client_gone(std::function<void()> callback) = 0;
};

}  // namespace fastchat::http
