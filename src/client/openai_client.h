#pragma once
// A small client of OpenAI-compatible APIs (fastchat-server, vLLM, llama.cpp's server, OpenAI):
// POST a request, read the answer whole or as a stream of parsed chunks, and learn how it ended.
// Used by the load generator and the programs that call models (the Arena, the judge). One
// connection per request, on the calling thread; an OpenAiClient may be shared by threads.

#include <chrono>
#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/error/error.h"
#include "common/http/http_client.h"
#include "common/http/url.h"
#include "protocol/openai/stream_chunk.h"

namespace fastchat::client {

struct OpenAiClientOptions {
  /// As the SDKs' base_url, e.g. "http://127.0.0.1:8000/v1"; paths are appended to it.
  std::string base_url;
  /// Sent as "Authorization: Bearer <key>" when not empty.
  std::string api_key;
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  /// Longest wait for the next bytes (a stream stays open as long as chunks keep coming).
  std::chrono::milliseconds read_timeout{std::chrono::seconds(300)};
  /// A stream that has not ended this long after it was sent is cut (0: no limit).
  std::chrono::milliseconds total_timeout{0};
  size_t max_response_bytes = size_t{64} << 20;
};

/// How a streamed request ended.
enum class StreamEnd {
  Done,         ///< "[DONE]" arrived
  Stopped,      ///< the caller's on_chunk returned false
  HttpError,    ///< a status other than 200 (its envelope in `error` when it sent one)
  StreamError,  ///< an {"error": ...} event inside the 200 stream
  Timeout,      ///< connect, read or total timeout
  Connection,   ///< could not connect, or the connection broke
  Truncated,    ///< the body ended without "[DONE]"
  BadResponse,  ///< a data event that is not a JSON object
};

/// "done", "stopped", "http_<status>", "stream_error", "timeout", "connection", "truncated",
/// "bad_response": a stable name for counting failures by cause.
std::string stream_end_name(StreamEnd end, int status);

struct StreamOutcome {
  StreamEnd end = StreamEnd::Done;
  int status = 0;              ///< the HTTP status (0 when no answer came)
  std::string message;         ///< what went wrong, for people (empty for Done and Stopped)
  std::optional<Error> error;  ///< the server's error (HttpError with an envelope, StreamError)

  bool ok() const { return end == StreamEnd::Done; }
};

class OpenAiClient {
 public:
  /// Throws ErrorException{InvalidConfig, param "base_url"} for a URL that is not http://.
  explicit OpenAiClient(OpenAiClientOptions options);

  /// POSTs `body` (a request with "stream": true) to <base_url><path> and hands each data event,
  /// parsed, to `on_chunk` as it arrives; returning false closes the connection. Never throws
  /// for a failed request: the outcome says how it ended.
  StreamOutcome stream(std::string_view path, std::string body,
                       const std::function<bool(const openai::StreamChunk&)>& on_chunk) const;

  /// POSTs `body` and returns the JSON answer. Throws ErrorException: the server's own error for
  /// a non-200 answer with an envelope, else UpstreamFailed (or UpstreamTimeout) naming the URL.
  nlohmann::json post(std::string_view path, std::string body) const;

  /// POSTs `body` and returns the answer whatever its status, headers included, for callers
  /// that decide themselves what to retry (fastchat-judge reads the status and Retry-After).
  /// Throws http::ClientError when no answer came (refused, timed out, broken).
  http::ClientResponse post_response(std::string_view path, std::string body) const;

  const http::Url& url() const { return url_; }

 private:
  http::Url url_;
  http::ClientOptions http_;
  std::chrono::milliseconds total_timeout_;
};

}  // namespace fastchat::client
