#pragma once
// An HTTP/1.1 server on Boost.Beast: one listener, one session per connection (strand,
// timeouts, body and header limits, keep-alive, a bounded write queue for streamed bodies),
// a fixed pool of I/O threads, and a Router that decides what each request gets.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/http/router.h"

namespace fastchat::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  ///< 0: an ephemeral port, see HttpServer::port()
  int io_threads = 2;
  size_t max_body_bytes = 8u << 20;
  size_t max_header_bytes = 16u << 10;
  size_t max_connections = 1024;
  /// A whole request (headers and body) must arrive within this, counted from its first
  /// read; a kept-alive connection with no new request is closed after it too. Slowloris guard.
  std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};
  /// A write the client does not take within this counts as a stalled client.
  std::chrono::milliseconds write_timeout{std::chrono::seconds(60)};
  /// Bytes a streamed response may queue before its producer waits.
  size_t max_queued_stream_bytes = 1u << 20;
};

class HttpServer {
 public:
  /// Binds and listens at once (so port() is known); throws ErrorException{InvalidConfig}
  /// naming the address when it cannot.
  HttpServer(ServerOptions options, std::shared_ptr<const Router> router);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Starts the I/O threads; returns immediately.
  void start();
  /// Stops accepting, closes every connection, cancels streams and joins the threads.
  void stop();

  /// Graceful shutdown, first step (any thread): keeps accepting and answering, so that health
  /// probes get the service's own 503, but every response from now on closes its connection.
  /// The service itself refuses new work; call wait_idle() and then stop().
  void begin_drain();
  /// Requests being handled: read and routed, and their response (a whole body, or a stream up
  /// to its last chunk) not yet written nor the client gone.
  size_t in_flight() const;
  /// Waits until no request is in flight and no handler thread runs, or until `deadline`;
  /// true when idle.
  bool wait_idle(std::chrono::steady_clock::time_point deadline) const;

  uint16_t port() const;
  /// "http://HOST:PORT" with the bound port, for the "listening on" line.
  std::string url() const;
  const ServerOptions& options() const;
  /// Connections and handler threads currently open (for health and tests).
  size_t active_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fastchat::http
