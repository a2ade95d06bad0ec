#include "client/openai_client.h"

#include "common/error/error_envelope.h"
#include "common/http/client_stream.h"
#include "protocol/openai/sse.h"

namespace fastchat::client {
namespace {

using Clock = std::chrono::steady_clock;

// Bytes of an error answer kept for its message.
constexpr size_t kMaxErrorBody = 65536;

StreamOutcome failure(StreamEnd end, int status, std::string message,
                      std::optional<Error> error = std::nullopt) {
  return StreamOutcome{end, status, std::move(message), std::move(error)};
}

// The body of a non-200 answer, up to kMaxErrorBody bytes.
std::string read_error_body(http::ClientStream& exchange) {
  std::string body;
  while (!exchange.done() && body.size() < kMaxErrorBody) body.append(exchange.read());
  return body;
}

// What the data events of a 200 stream say, until [DONE], an error event or the caller stops.
StreamOutcome read_events(http::ClientStream& exchange, Clock::time_point deadline,
                          const std::function<bool(const openai::StreamChunk&)>& on_chunk) {
  openai::SseParser parser;
  while (!exchange.done()) {
    const auto piece = exchange.read();
    if (Clock::now() > deadline) {
      return failure(StreamEnd::Timeout, 200, "the stream did not end within the total timeout");
    }
    for (const std::string& event : parser.feed(piece)) {
      if (event == openai::kSseDone) return {StreamEnd::Done, 200, "", std::nullopt};
      openai::StreamChunk chunk;
      try {
        chunk = openai::parse_stream_chunk(event);
      } catch (const ErrorException& e) {
        return failure(StreamEnd::BadResponse, 200, e.what());
      }
      if (chunk.error)
        return failure(StreamEnd::StreamError, 200, chunk.error->message, chunk.error);
      if (!on_chunk(chunk)) return {StreamEnd::Stopped, 200, "", std::nullopt};
    }
  }
  return failure(StreamEnd::Truncated, 200, "the stream ended without [DONE]");
}

}  // namespace

std::string stream_end_name(StreamEnd end, int status) {
  switch (end) {
    case StreamEnd::Done:
      return "done";
    case StreamEnd::Stopped:
      return "stopped";
    case StreamEnd::HttpError:
      return "http_" + std::to_string(status);
    case StreamEnd::StreamError:
      return "stream_error";
    case StreamEnd::Timeout:
      return "timeout";
    case StreamEnd::Connection:
      return "connection";
    case StreamEnd::Truncated:
      return "truncated";
    case StreamEnd::BadResponse:
      return "bad_response";
  }
  return "other";
}

OpenAiClient::OpenAiClient(OpenAiClientOptions options)
    : url_(http::Url::parse(options.base_url, "base_url")), total_timeout_(options.total_timeout) {
  http_.connect_timeout = options.connect_timeout;
  http_.read_timeout = options.read_timeout;
  http_.max_response_bytes = options.max_response_bytes;
  if (!options.api_key.empty()) {
    http_.headers.emplace_back("Authorization", "Bearer " + options.api_key);
  }
}

StreamOutcome OpenAiClient::stream(
    std::string_view path, std::string body,
    const std::function<bool(const openai::StreamChunk&)>& on_chunk) const {
  const auto deadline =
      total_timeout_.count() > 0 ? Clock::now() + total_timeout_ : Clock::time_point::max();
  int status = 0;
  try {
    http::ClientStream exchange(url_, "POST", path, std::move(body), http_);
    status = exchange.status();
    if (status != 200) {
      const std::string error_body = read_error_body(exchange);
      return failure(StreamEnd::HttpError, status, describe_error_response(status, error_body),
                     parse_error_body(error_body));
    }
    StreamOutcome outcome = read_events(exchange, deadline, on_chunk);
    if (!outcome.ok()) exchange.close();  // the server sees the client go away
    return outcome;
  } catch (const http::ClientError& e) {
    const bool timeout = e.error().code == ErrorCode::UpstreamTimeout;
    return failure(timeout ? StreamEnd::Timeout : StreamEnd::Connection, status, e.what());
  }
}

http::ClientResponse OpenAiClient::post_response(std::string_view path, std::string body) const {
  return http::send_request(url_, "POST", path, std::move(body), http_);
}

nlohmann::json OpenAiClient::post(std::string_view path, std::string body) const {
  const auto response = post_response(path, std::move(body));
  if (response.status != 200) {
    if (auto error = parse_error_body(response.body)) {
      throw ErrorException(*std::move(error));
    }
    throw_error(ErrorCode::UpstreamFailed,
                "POST " + url_.to_string() + std::string(path) + ": " +
                    describe_error_response(response.status, response.body));
  }
  auto answer = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (answer.is_discarded()) {
    throw_error(ErrorCode::UpstreamFailed,
                "POST " + url_.to_string() + std::string(path) + ": the answer is not JSON");
  }
  return answer;
}

}  // namespace fastchat::client
