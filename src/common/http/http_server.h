#pragma once
// An HTTP/1.1 server on Boost.Beast: one listener, one session per connection (strand,
// timeouts, body and header limits, keep-alive, a bounded write queue for streamed bodies),
// a fixed pool of I/O threads, a bounded pool of handler threads for blocking routes (see
// handler_pool.h), and a Router that decides what each request gets.
//
// Threads: construct, start(), stop() and destroy from one owning thread (the main thread);
// begin_drain(), in_flight(), wait_idle() and the accessors from any thread.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/http/router.h"

namespace fastchat::http {

/// Defaults of ServerOptions::handler_threads and handler_queue (--handler-threads,
/// --handler-queue). 256 threads: as many generations as a worker's engine batches by default
/// (--max-num-seqs 256) and four times the benchmarks' highest concurrency. 1024 waiting: the
/// connection cap, so at the defaults the pool refuses nothing the cap lets in.
inline constexpr size_t kDefaultHandlerThreads = 256;
inline constexpr size_t kDefaultHandlerQueue = 1024;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  ///< 0: an ephemeral port, see HttpServer::port()
  int io_threads = 2;
  size_t max_body_bytes = 8u << 20;
  size_t max_header_bytes = 16u << 10;
  size_t max_connections = 1024;
  /// Most blocking handlers running at once (a stream holds one until its last chunk).
  size_t handler_threads = kDefaultHandlerThreads;
  /// Most blocking requests waiting for a handler thread; one more is answered 503 at once,
  /// with Retry-After and the service's error body.
  size_t handler_queue = kDefaultHandlerQueue;
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
  /// Stops accepting, closes every connection, cancels streams, drops blocking requests still
  /// waiting for a handler thread, waits (up to 10 s) for running handlers and joins the I/O
  /// threads. Idempotent; the destructor calls it.
  void stop();

  /// Graceful shutdown, first step (any thread): keeps accepting and answering, so that health
  /// probes get the service's own 503, but every response from now on closes its connection.
  /// The service itself refuses new work; call wait_idle() and then stop().
  void begin_drain();
  /// Requests being handled: read and routed, and their response (a whole body, or a stream up
  /// to its last chunk) not yet written nor the client gone.
  size_t in_flight() const;
  /// Waits until no request is in flight and no blocking handler runs or waits for a thread,
  /// or until `deadline`; true when idle.
  bool wait_idle(std::chrono::steady_clock::time_point deadline) const;

  uint16_t port() const;
  /// "http://HOST:PORT" with the bound port, for the "listening on" line.
  std::string url() const;
  const ServerOptions& options() const;
  /// Connections currently open (for health and tests).
  size_t active_connections() const;
  /// Handler threads started so far (at most options().handler_threads; kept until the
  /// server is destroyed).
  size_t handler_threads() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fastchat::http
