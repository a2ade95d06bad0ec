#pragma once
// The session side of a streamed response: chunks in order with chunked transfer encoding,
// sent by the producer itself while nothing is queued (one non-blocking send per token, no
// thread hand-off), otherwise through a bounded queue written on the session's strand; plus
// client-disconnect detection while the producer is busy (a read-readiness watch that peeks
// for EOF). Internal.

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/http/response_stream.h"
#include "common/http/session.h"

namespace fastchat::http {

class ChunkedStream : public ResponseStream, public std::enable_shared_from_this<ChunkedStream> {
 public:
  ChunkedStream(std::shared_ptr<Session> session, int status, std::string content_type,
                Headers headers, bool keep_alive);
  ~ChunkedStream() override;

  bool write(std::string chunk) override;
  void close() override;
  bool client_gone() const override;
  bool congested() const override;
  void on_client_gone(std::function<void()> callback) override;

  /// Strand: sends the header, then drains the queue.
  void start();
  /// Any thread: the client is gone or the server stops.
  void mark_gone();

 private:
  void write_next();                      // strand
  void on_written(beast::error_code ec);  // strand
  void watch_for_disconnect();            // strand

  std::shared_ptr<Session> session_;
  beast::http::response<beast::http::empty_body> header_;
  std::optional<beast::http::response_serializer<beast::http::empty_body>> serializer_;

  mutable std::mutex mutex_;
  std::condition_variable drained_;
  std::deque<std::string> queue_;
  std::string
      in_flight_;     // strand: the framed chunk being written (its buffer must live until done)
  int send_fd_ = -1;  // a dup of the socket for the producer's direct sends
  size_t queued_bytes_ = 0;
  bool writing_ = true;  // the header write is pending from construction
  bool closed_ = false;  // producer called close()
  bool done_ = false;    // last chunk written, session moved on
  bool gone_ = false;
  std::function<void()> gone_callback_;
};

}  // namespace fastchat::http
