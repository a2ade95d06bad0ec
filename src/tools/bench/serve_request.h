#pragma once
// One request of the serving benchmark, timed as its answer arrives: through an OpenAI-compatible
// API (SSE chunks, read by the shared OpenAI client) or a worker's native stream (NDJSON deltas).

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "client/openai_client.h"
#include "common/http/http_client.h"
#include "common/http/url.h"
#include "tools/bench/serve_benchmark.h"
#include "tools/bench/serve_prompts.h"

namespace fastchat::bench {

/// What one request measured.
struct RequestOutcome {
  bool ok = false;
  std::string cause;  ///< when !ok: a ServeBenchResult::errors_by_cause key
  std::string message;
  double ttft_ms = -1;  ///< -1: no content chunk
  std::vector<double> itl_ms;
  double e2e_ms = 0;
  int64_t content_chunks = 0;
  int64_t output_tokens = 0;
  int64_t prompt_tokens = 0;
  bool has_usage = false;
};

/// The JSON body request `prompt` sends to the options' endpoint.
std::string request_body(const ServeBenchOptions& options, const RequestPrompt& prompt);

/// Streams one chat or completions request through `client` (its total timeout set to the
/// options' timeout).
RequestOutcome run_openai_request(const ServeBenchOptions& options,
                                  const client::OpenAiClient& client, const RequestPrompt& prompt);

/// Streams one request to a worker's /native/generate.
RequestOutcome run_native_request(const ServeBenchOptions& options, const http::Url& worker,
                                  const http::ClientOptions& http, const RequestPrompt& prompt);

}  // namespace fastchat::bench
