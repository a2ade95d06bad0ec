#pragma once
// Online serving benchmark: a load generator for any OpenAI-compatible endpoint (fastchat-server,
// vLLM, llama.cpp's server), or for a fastchat-worker's native delta stream (/native/generate),
// so that the same load can be sent through fastchat-server and straight to the worker.
// `concurrency` threads each send streamed requests back to back, taking request numbers from
// one shared counter, and time every response as it arrives: time to first token, the gaps
// between content chunks, end-to-end latency and output tokens.
// Torch-free: the OpenAI client of src/client (one connection per request), and the native
// delta lines of the protocol layer.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fastchat::bench {

/// Chat: <url>/chat/completions (messages). Completions: <url>/completions (prompt).
/// Native: a fastchat-worker's <url>/native/generate (prompt; newline-delimited JSON deltas),
/// with `url` the worker's base URL, e.g. "http://127.0.0.1:21002".
enum class ServeEndpoint { Chat, Completions, Native };

/// "chat", "completions" or "native".
const char* endpoint_name(ServeEndpoint endpoint);
/// The path appended to the URL: "/chat/completions", "/completions" or "/native/generate".
const char* endpoint_path(ServeEndpoint endpoint);

struct ServeBenchOptions {
  /// Base URL as OpenAI clients take it, e.g. "http://127.0.0.1:8000/v1"; the request goes to
  /// <url>/chat/completions or <url>/completions (<url>/native/generate for Native).
  std::string url;
  /// Sent as "model" (the native endpoint ignores it: a worker serves one model).
  std::string model;
  ServeEndpoint endpoint = ServeEndpoint::Chat;
  int32_t concurrency = 8;
  int32_t num_requests = 64;
  /// Prompts of this many words from a fixed word list (used when `prompts` is empty).
  int32_t prompt_len = 128;
  /// Prompts to send instead, cycled in order: request i gets prompts[i % size].
  std::vector<std::string> prompts;
  /// When > 0, every request begins with the same text of this many words (shared_prefix()),
  /// so a server's prefix cache can reuse its KV: chat sends it as a system message, the
  /// others put it before the prompt with a space between. The per-request part then starts
  /// with the request number, so it differs between any two requests, dataset prompts too.
  int32_t shared_prefix_len = 0;
  int32_t output_len = 128;  ///< max_tokens
  /// Sends "ignore_eos": true and "min_tokens": output_len (vLLM's extensions, which
  /// fastchat-server accepts too) so that every output has output_len tokens where supported.
  bool ignore_eos = false;
  std::string api_key;  ///< "Authorization: Bearer <key>" when not empty
  /// Per request, seconds. Also the longest wait for the next bytes, so a request that stalls
  /// near its deadline can take up to twice this before it is counted as a timeout.
  double timeout_s = 300;
  /// Picks the generated prompts' words: the same seed gives the same prompts.
  uint64_t seed = 1;
};

/// Summary of one latency metric, in milliseconds (0 when there are no samples).
struct LatencyStats {
  int64_t count = 0;
  double mean = 0;
  double p50 = 0;
  double p95 = 0;
  double p99 = 0;
};

struct ServeBenchResult {
  int64_t requests = 0;   ///< sent
  int64_t completed = 0;  ///< ended with [DONE] and no error
  int64_t errors = 0;     ///< requests - completed
  /// Failed requests by cause: "http_<status>" (an error status, e.g. http_429),
  /// "stream_error" (an {"error": ...} event inside a 200 stream), "timeout", "connection"
  /// (could not connect, or the connection broke), "truncated" (the stream ended without
  /// [DONE]), "bad_response" (a data event that is not a JSON object), "other" (anything
  /// else the client threw).
  std::map<std::string, int64_t> errors_by_cause;
  std::string first_error;  ///< the message of the first failure, for the report

  double duration_s = 0;      ///< wall time from the first request's start to the last one's end
  int64_t output_tokens = 0;  ///< completed requests only
  /// Completed requests only, from usage (native: the deltas' prompt_tokens); 0 where none came.
  int64_t prompt_tokens = 0;
  /// Completed requests without a usage chunk: their output tokens are their content chunks.
  /// (The native stream always counts exactly: each delta lists its token ids.)
  int64_t usage_missing = 0;
  double requests_per_s = 0;       ///< completed / duration
  double output_tokens_per_s = 0;  ///< output_tokens / duration

  /// From sending the request (connect included) to the first chunk with non-empty text (the
  /// native stream: the first delta with non-empty text, as fastchat-server forwards no
  /// empty ones, so the two endpoints time the same event).
  LatencyStats ttft_ms;
  /// Gaps between consecutive content chunks, one sample per chunk after the first: a chunk
  /// carrying several tokens counts as one gap (as vLLM's benchmark counts ITL).
  LatencyStats itl_ms;
  /// Per request, (e2e - ttft) / (output tokens - 1): the time per output token after the
  /// first, which spreads multi-token chunks over their tokens. Requests of one token have none.
  LatencyStats tpot_ms;
  /// From sending the request to the end of the stream.
  LatencyStats e2e_ms;
};

/// Runs the benchmark; blocks until every request has finished. Request failures are counted,
/// never thrown; throws ErrorException{InvalidConfig} for unusable options (bad URL, counts).
ServeBenchResult run_serve_benchmark(const ServeBenchOptions& options);

/// The q-th percentile (0..100) of `sorted` (ascending), interpolating linearly between the
/// closest ranks as numpy's default does. 0 for an empty vector.
double percentile(const std::vector<double>& sorted, double q);

}  // namespace fastchat::bench
