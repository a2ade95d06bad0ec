#pragma once
// One outbound HTTP/1.1 exchange whose response body is read piece by piece: either blocking
// on the calling thread (each wait under the read timeout), or without ever waiting, for a
// reader that learns from readiness polling (StreamPoller) when bytes have arrived. Both ways
// share the same buffer and parser, so a stream can pass from one to the other at any piece.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/http/http_client.h"

namespace fastchat::http {

class ClientStream {
 public:
  /// Connects, sends the request and reads the response header, each step under its timeout.
  /// Throws ClientError.
  ClientStream(const Url& url, std::string_view method, std::string_view path, std::string body,
               const ClientOptions& options);
  ~ClientStream();
  ClientStream(const ClientStream&) = delete;
  ClientStream& operator=(const ClientStream&) = delete;

  int status() const;
  const Headers& headers() const;
  /// True once the whole body has been read.
  bool done() const;

  /// The next piece of the body, waiting up to the read timeout. May be empty (framing only);
  /// the body is complete when done(). Throws ClientError.
  std::string_view read();

  /// One non-blocking receive of whatever the socket holds. False when nothing had arrived.
  /// Throws ClientError (reset, closed before the body ended, over the size cap).
  bool receive_available();
  /// The next piece from what was received so far, without touching the socket; nullopt when
  /// more bytes must arrive first (or the body is complete: see done()). Throws ClientError.
  std::optional<std::string_view> next_buffered();

  /// The socket, for readiness polling only (reads go through this object).
  int native_handle() const;
  /// "POST http://host:port/path", as error messages name the exchange.
  const std::string& description() const;
  /// Closes the connection at once (the peer sees the client go away).
  void close();

 private:
  class Exchange;
  std::unique_ptr<Exchange> exchange_;
};

}  // namespace fastchat::http
