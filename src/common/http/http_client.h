#pragma once
// Outbound HTTP/1.1 calls (controller <-> worker, server -> controller/worker) with a connect
// timeout, a per-read timeout, a response-size cap and no redirects. Each call runs its own
// short-lived I/O context on the calling thread, so callers block only themselves.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "common/error/error.h"
#include "common/http/http_message.h"
#include "common/http/url.h"

namespace fastchat::http {

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  /// Longest wait for the next bytes of the response (not the whole response: streams of long
  /// generations stay open as long as tokens keep coming).
  std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};
  size_t max_response_bytes = 16u << 20;
  Headers headers;  ///< extra request headers (e.g. Authorization)
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

/// A failed call: could not connect, timed out, broken framing, or over the size cap. Carries
/// Error{UpstreamFailed or UpstreamTimeout, "<method> <url>: <what>"}. `connected` tells
/// whether the request may have reached the peer (a refused connection never did).
class ClientError : public ErrorException {
 public:
  ClientError(Error error, bool connected)
      : ErrorException(std::move(error)), connected_(connected) {}
  bool connected() const { return connected_; }

 private:
  bool connected_;
};

/// One request, whole response.
ClientResponse send_request(const Url& url, std::string_view method, std::string_view path,
                            std::string body, const ClientOptions& options = {});

/// POST `body` as JSON to url+path. Whole response.
ClientResponse post_json(const Url& url, std::string_view path, std::string body,
                         const ClientOptions& options = {});

/// One request whose response body is handed to `on_data` piece by piece as it arrives
/// (chunked or not). `on_headers` sees status and headers first. Either callback returning
/// false closes the connection at once (the peer sees the client go away). Returns the status.
int stream_request(const Url& url, std::string_view method, std::string_view path, std::string body,
                   const ClientOptions& options,
                   const std::function<bool(int status, const Headers& headers)>& on_headers,
                   const std::function<bool(std::string_view data)>& on_data);

}  // namespace fastchat::http
