#include "tools/bench/serve_request.h"

#include <nlohmann/json.hpp>

#include "common/error/error_envelope.h"
#include "protocol/generate_delta.h"

namespace fastchat::bench {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr size_t kMaxErrorBody = 4096;                   // bytes of an error answer kept
constexpr size_t kMaxNativeLineBytes = size_t{4} << 20;  // as fastchat-server caps a worker's line

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// The clock of one request: TTFT at the first chunk with text, one ITL gap per later one.
class ChunkTimer {
 public:
  ChunkTimer(RequestOutcome& out, int32_t output_len) : out_(out), output_len_(output_len) {}

  void content_chunk() {
    const auto now = Clock::now();
    if (out_.content_chunks == 0) {
      out_.ttft_ms = ms_between(start_, now);
    } else if (out_.itl_ms.size() < static_cast<size_t>(output_len_) + 64) {
      out_.itl_ms.push_back(ms_between(last_, now));
    }
    last_ = now;
    ++out_.content_chunks;
  }
  void finish() { out_.e2e_ms = ms_between(start_, Clock::now()); }
  bool past(std::chrono::duration<double> timeout) const { return Clock::now() - start_ > timeout; }

 private:
  RequestOutcome& out_;
  int32_t output_len_;
  const Clock::time_point start_ = Clock::now();
  Clock::time_point last_;
};

void fail(RequestOutcome& out, std::string cause, std::string message) {
  out.ok = false;
  out.cause = std::move(cause);
  out.message = std::move(message);
}

}  // namespace

std::string request_body(const ServeBenchOptions& options, const RequestPrompt& prompt) {
  json body = {{"max_tokens", options.output_len}, {"temperature", 0.0}};
  if (options.endpoint != ServeEndpoint::Native) {
    // The native stream always streams and always reports token counts.
    body["model"] = options.model;
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
  }
  if (options.endpoint == ServeEndpoint::Chat) {
    body["messages"] = json::array();
    if (!prompt.system.empty())
      body["messages"].push_back({{"role", "system"}, {"content", prompt.system}});
    body["messages"].push_back({{"role", "user"}, {"content", prompt.user}});
  } else {
    body["prompt"] = prompt.user;
  }
  if (options.ignore_eos) {
    body["ignore_eos"] = true;
    body["min_tokens"] = options.output_len;
  }
  return body.dump();
}

RequestOutcome run_openai_request(const ServeBenchOptions& options,
                                  const client::OpenAiClient& client, const RequestPrompt& prompt) {
  RequestOutcome out;
  ChunkTimer timer(out, options.output_len);
  const auto outcome = client.stream(endpoint_path(options.endpoint), request_body(options, prompt),
                                     [&](const openai::StreamChunk& chunk) {
                                       if (chunk.usage) {
                                         out.has_usage = true;
                                         out.output_tokens = chunk.usage->completion_tokens;
                                         out.prompt_tokens = chunk.usage->prompt_tokens;
                                       }
                                       if (chunk.text_size() > 0) timer.content_chunk();
                                       return true;
                                     });
  timer.finish();
  out.ok = outcome.ok();
  if (!out.ok) {
    fail(out, client::stream_end_name(outcome.end, outcome.status), outcome.message);
  } else if (!out.has_usage) {
    out.output_tokens = out.content_chunks;
  }
  return out;
}

RequestOutcome run_native_request(const ServeBenchOptions& options, const http::Url& worker,
                                  const http::ClientOptions& http, const RequestPrompt& prompt) {
  RequestOutcome out;
  out.ok = true;
  ChunkTimer timer(out, options.output_len);
  protocol::FrameSplitter lines('\n');
  const std::chrono::duration<double> timeout(options.timeout_s);
  int status = 0;
  std::string error_body;
  bool done = false;
  // One JSON delta per line, the last with finish_reason (or an error).
  auto on_line = [&](const std::string& line) {
    const auto delta = protocol::parse_delta_line(line);  // throws for a malformed line
    if (delta.error) {
      fail(out, "stream_error", delta.error->message);
      return false;
    }
    if (delta.finish_reason && *delta.finish_reason != "stop" && *delta.finish_reason != "length") {
      fail(out, "stream_error", "the worker ended the generation: " + *delta.finish_reason);
      return false;
    }
    out.has_usage = true;
    out.output_tokens += static_cast<int64_t>(delta.token_ids.size());
    out.prompt_tokens = delta.prompt_tokens;
    if (!delta.text.empty()) timer.content_chunk();
    done = delta.is_last();
    return true;
  };
  auto on_data = [&](std::string_view data) {
    if (status != 200) {
      error_body.append(data.substr(0, kMaxErrorBody - std::min(kMaxErrorBody, error_body.size())));
      return error_body.size() < kMaxErrorBody;
    }
    if (timer.past(timeout)) {
      fail(out, "timeout", "no finish_reason within " + std::to_string(options.timeout_s) + " s");
      return false;
    }
    for (const std::string& line : lines.push(data)) {
      if (!done && !on_line(line)) return false;
    }
    if (lines.pending() > kMaxNativeLineBytes) {
      fail(out, "bad_response",
           "a stream line longer than " + std::to_string(kMaxNativeLineBytes) + " bytes");
      return false;
    }
    return true;
  };
  auto on_headers = [&](int answer_status, const http::Headers&) {
    status = answer_status;
    return true;
  };
  try {
    http::stream_request(worker, "POST", endpoint_path(options.endpoint),
                         request_body(options, prompt), http, on_headers, on_data);
  } catch (const http::ClientError& e) {
    fail(out, e.error().code == ErrorCode::UpstreamTimeout ? "timeout" : "connection", e.what());
  } catch (const ErrorException& e) {
    fail(out, "bad_response", e.what());
  }
  timer.finish();
  if (!out.ok) return out;
  if (status != 200) {
    fail(out, "http_" + std::to_string(status), describe_error_response(status, error_body));
  } else if (!done) {
    fail(out, "truncated",
         "the stream ended without a finish_reason after " + std::to_string(out.content_chunks) +
             " content chunks");
  }
  return out;
}

}  // namespace fastchat::bench
