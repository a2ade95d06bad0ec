#include "worker/bench/serve_benchmark.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <random>
#include <string_view>
#include <thread>

#include "common/error/error.h"
#include "common/http/http_client.h"
#include "common/http/url.h"
#include "webserver/openai/sse.h"
#include "worker/protocol/generate_delta.h"

namespace fastchat::bench {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr int32_t kMaxConcurrency = 4096;
constexpr size_t kMaxErrorBody = 4096;         // bytes of an error response kept for its message
constexpr size_t kMaxSamples = size_t{1} << 22;  // per metric; beyond it, a uniform sample
constexpr uintmax_t kMaxDatasetBytes = uintmax_t{256} << 20;
constexpr size_t kMaxNativeLineBytes = size_t{4} << 20;  // as fastchat-server caps a worker's line
// Mixed into the seed for the shared prefix, so it is not any request's own prompt.
constexpr uint64_t kSharedPrefixSalt = 0x5348415245445058ULL;

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// Short, common words: most are one or two tokens for any tokenizer, so N words is close to N
// tokens (stories260K's 512-entry vocabulary splits some into more).
constexpr std::string_view kWords[] = {
    "the",    "cat",   "dog",    "sun",    "tree",   "happy", "little", "girl",  "boy",
    "park",   "ball",  "play",   "run",    "jump",   "big",   "small",  "red",   "blue",
    "green",  "house", "garden", "friend", "mom",    "dad",   "day",    "night", "star",
    "moon",   "bird",  "fish",   "water",  "sky",    "flower", "toy",   "box",   "book",
    "cake",   "apple", "school", "walk",   "talk",   "look",  "find",   "help",  "love",
    "smile",  "sad",   "good",   "new",    "old",    "fast",  "slow",   "hot",   "cold",
    "warm",   "kind",  "brave",  "time",   "home",   "game",  "song",   "door",  "car",
    "bike",   "hat",   "bed",    "said",   "went",   "saw",   "had",    "was",   "and",
    "to",     "a",     "in",     "with",   "they",   "she",   "he",     "one",   "very",
    "wanted", "asked", "ran",    "nice",   "bear",   "duck",  "rain",   "snow",  "hill",
    "river",  "cookie", "lion",  "mouse",  "king",   "queen"};

// A uniform sample of at most kMaxSamples values (reservoir sampling), with the exact count and
// mean of everything added.
class Samples {
 public:
  explicit Samples(uint64_t seed) : rng_(seed) {}

  void add(double value) {
    ++count_;
    sum_ += value;
    if (values_.size() < kMaxSamples) {
      values_.push_back(value);
      return;
    }
    const uint64_t slot = rng_() % static_cast<uint64_t>(count_);
    if (slot < kMaxSamples) values_[slot] = value;
  }

  LatencyStats stats() {
    LatencyStats out;
    out.count = count_;
    if (count_ == 0) return out;
    std::sort(values_.begin(), values_.end());
    out.mean = sum_ / static_cast<double>(count_);
    out.p50 = percentile(values_, 50);
    out.p95 = percentile(values_, 95);
    out.p99 = percentile(values_, 99);
    return out;
  }

 private:
  std::mt19937_64 rng_;
  std::vector<double> values_;
  int64_t count_ = 0;
  double sum_ = 0;
};

struct Outcome {
  bool ok = false;
  std::string cause;  // when !ok
  std::string message;
  double ttft_ms = -1;  // -1: no content chunk
  std::vector<double> itl_ms;
  double e2e_ms = 0;
  int64_t content_chunks = 0;
  int64_t output_tokens = 0;
  int64_t prompt_tokens = 0;
  bool has_usage = false;
};

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
    if (!prompt.system.empty()) body["messages"].push_back({{"role", "system"}, {"content", prompt.system}});
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

// The text a chunk carries: chat deltas' content (and reasoning_content, which reasoning
// models stream first), completions' text.
size_t chunk_text_size(const json& chunk, ServeEndpoint endpoint) {
  auto choices = chunk.find("choices");
  if (choices == chunk.end() || !choices->is_array()) return 0;
  size_t size = 0;
  for (const json& choice : *choices) {
    if (!choice.is_object()) continue;
    if (endpoint == ServeEndpoint::Chat) {
      auto delta = choice.find("delta");
      if (delta == choice.end() || !delta->is_object()) continue;
      for (const char* field : {"content", "reasoning_content"}) {
        auto text = delta->find(field);
        if (text != delta->end() && text->is_string()) size += text->get_ref<const std::string&>().size();
      }
    } else {
      auto text = choice.find("text");
      if (text != choice.end() && text->is_string()) size += text->get_ref<const std::string&>().size();
    }
  }
  return size;
}

// The "message" of an OpenAI error body ({"error": {"message": ...}} or {"error": "..."}),
// else the text itself, shortened.
std::string error_message(const json& body, std::string_view fallback) {
  if (body.is_object()) {
    auto error = body.find("error");
    if (error != body.end()) {
      if (error->is_string()) return error->get<std::string>();
      if (error->is_object()) {
        auto message = error->find("message");
        if (message != error->end() && message->is_string()) return message->get<std::string>();
      }
    }
  }
  return std::string(fallback.substr(0, 300));
}

Outcome run_one(const ServeBenchOptions& options, const http::Url& url, std::string_view path,
                const http::ClientOptions& client, const RequestPrompt& prompt) {
  Outcome out;
  const std::string body = request_body(options, prompt);
  const bool native = options.endpoint == ServeEndpoint::Native;
  const auto timeout = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options.timeout_s));
  openai::SseParser parser;
  protocol::FrameSplitter lines('\n');
  int status = 0;
  std::string error_body;
  bool done = false;
  bool timed_out = false;
  Clock::time_point last_chunk;
  const auto start = Clock::now();
  const auto deadline = start + timeout;

  auto fail = [&](std::string cause, std::string message) {
    out.ok = false;
    out.cause = std::move(cause);
    out.message = std::move(message);
  };
  out.ok = true;

  auto on_headers = [&](int s, const http::Headers&) {
    status = s;
    return true;
  };
  // A chunk that carried text: the first one times TTFT, later ones one ITL gap each.
  auto content_chunk = [&](Clock::time_point now) {
    if (out.content_chunks == 0) {
      out.ttft_ms = ms_between(start, now);
    } else if (out.itl_ms.size() < static_cast<size_t>(options.output_len) + 64) {
      out.itl_ms.push_back(ms_between(last_chunk, now));
    }
    last_chunk = now;
    ++out.content_chunks;
  };
  // The native stream: one JSON delta per line, the last with finish_reason (or an error).
  auto on_native_data = [&](std::string_view data, Clock::time_point now) {
    for (const std::string& line : lines.push(data)) {
      if (done) continue;
      protocol::GenerateDelta delta;
      try {
        delta = protocol::parse_delta_line(line);
      } catch (const ErrorException& e) {
        fail("bad_response", e.what());
        return false;
      }
      if (delta.error) {
        fail("stream_error", delta.error->message);
        return false;
      }
      if (delta.finish_reason && *delta.finish_reason != "stop" && *delta.finish_reason != "length") {
        fail("stream_error", "the worker ended the generation: " + *delta.finish_reason);
        return false;
      }
      out.has_usage = true;
      out.output_tokens += static_cast<int64_t>(delta.token_ids.size());
      out.prompt_tokens = delta.prompt_tokens;
      if (!delta.text.empty()) content_chunk(now);
      if (delta.is_last()) done = true;
    }
    if (lines.pending() > kMaxNativeLineBytes) {
      fail("bad_response", "a stream line longer than " + std::to_string(kMaxNativeLineBytes) + " bytes");
      return false;
    }
    return true;
  };
  auto on_data = [&](std::string_view data) {
    const auto now = Clock::now();
    if (status != 200) {
      error_body.append(data.substr(0, kMaxErrorBody - std::min(kMaxErrorBody, error_body.size())));
      return error_body.size() < kMaxErrorBody;
    }
    if (now > deadline) {
      timed_out = true;
      return false;
    }
    if (native) return on_native_data(data, now);
    for (const std::string& event : parser.feed(data)) {
      if (done) continue;
      if (event == openai::kSseDone) {
        done = true;
        continue;
      }
      json chunk = json::parse(event, nullptr, false);
      if (chunk.is_discarded() || !chunk.is_object()) {
        fail("bad_response", "a data event that is not a JSON object: " + event.substr(0, 200));
        return false;
      }
      if (auto error = chunk.find("error"); error != chunk.end() && !error->is_null()) {
        fail("stream_error", error_message(chunk, event));
        return false;
      }
      auto usage = chunk.find("usage");
      if (usage != chunk.end() && usage->is_object()) {
        auto completion = usage->find("completion_tokens");
        if (completion != usage->end() && completion->is_number_integer()) {
          out.has_usage = true;
          out.output_tokens = completion->get<int64_t>();
          auto prompt_tokens = usage->find("prompt_tokens");
          if (prompt_tokens != usage->end() && prompt_tokens->is_number_integer()) {
            out.prompt_tokens = prompt_tokens->get<int64_t>();
          }
        }
      }
      if (chunk_text_size(chunk, options.endpoint) == 0) continue;
      content_chunk(now);
    }
    return true;
  };

  try {
    http::stream_request(url, "POST", path, body, client, on_headers, on_data);
  } catch (const http::ClientError& e) {
    const bool timeout_error = e.error().code == ErrorCode::UpstreamTimeout;
    fail(timeout_error ? "timeout" : "connection", e.what());
  } catch (const std::exception& e) {
    fail("other", e.what());
  }
  const auto end = Clock::now();
  out.e2e_ms = ms_between(start, end);
  if (!out.ok) return out;
  if (timed_out) {
    fail("timeout", "no [DONE] within " + std::to_string(options.timeout_s) + " s");
  } else if (status != 200) {
    json parsed = json::parse(error_body, nullptr, false);
    fail("http_" + std::to_string(status),
         "HTTP " + std::to_string(status) + ": " + error_message(parsed, error_body));
  } else if (!done) {
    fail("truncated", std::string("the stream ended without ") +
                          (native ? "a finish_reason" : "[DONE]") + " after " +
                          std::to_string(out.content_chunks) + " content chunks");
  }
  if (out.ok && !out.has_usage) out.output_tokens = out.content_chunks;
  return out;
}

std::string format(const char* pattern, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* pattern, ...) {
  std::array<char, 1024> buffer{};
  va_list args;
  va_start(args, pattern);
  std::vsnprintf(buffer.data(), buffer.size(), pattern, args);
  va_end(args);
  return buffer.data();
}

json stats_json(const LatencyStats& stats) {
  return json{{"count", stats.count}, {"mean", stats.mean}, {"p50", stats.p50},
              {"p95", stats.p95},     {"p99", stats.p99}};
}

std::string endpoint_path(ServeEndpoint endpoint) {
  switch (endpoint) {
    case ServeEndpoint::Chat:
      return "/chat/completions";
    case ServeEndpoint::Completions:
      return "/completions";
    case ServeEndpoint::Native:
      return "/native/generate";
  }
  return "/";
}

}  // namespace

const char* endpoint_name(ServeEndpoint endpoint) {
  switch (endpoint) {
    case ServeEndpoint::Chat:
      return "chat";
    case ServeEndpoint::Completions:
      return "completions";
    case ServeEndpoint::Native:
      return "native";
  }
  return "?";
}

std::string serve_report(const ServeBenchOptions& o, const ServeBenchResult& r) {
  std::string out;
  out += "serve: POST " + o.url + endpoint_path(o.endpoint) + "  model " + o.model +
         format("  concurrency %d  %d requests  ", o.concurrency, o.num_requests);
  if (o.shared_prefix_len > 0) out += format("shared prefix %d words + ", o.shared_prefix_len);
  out += o.prompts.empty() ? format("prompt %d words", o.prompt_len)
                           : format("%zu dataset prompts", o.prompts.size());
  out += format("  output %d tokens%s\n", o.output_len, o.ignore_eos ? " (ignore_eos)" : "");
  out += "| concurrency | requests | errors | duration s | req/s | output tok/s "
         "| TTFT p50 | TTFT p95 | TTFT p99 | ITL p50 | ITL p95 | ITL p99 | E2E p50 | E2E p95 | E2E p99 |\n";
  out += "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  out += format("| %d | %lld | %lld | %.2f | %.2f | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f "
                "| %.1f | %.1f | %.1f |\n",
                o.concurrency, static_cast<long long>(r.requests), static_cast<long long>(r.errors),
                r.duration_s, r.requests_per_s, r.output_tokens_per_s, r.ttft_ms.p50, r.ttft_ms.p95,
                r.ttft_ms.p99, r.itl_ms.p50, r.itl_ms.p95, r.itl_ms.p99, r.e2e_ms.p50, r.e2e_ms.p95,
                r.e2e_ms.p99);
  out += format("(ms) mean TTFT %.1f, ITL %.2f, E2E %.1f; TPOT p50 %.2f, p95 %.2f, p99 %.2f, mean %.2f\n",
                r.ttft_ms.mean, r.itl_ms.mean, r.e2e_ms.mean, r.tpot_ms.p50, r.tpot_ms.p95,
                r.tpot_ms.p99, r.tpot_ms.mean);
  const double per_request = r.completed > 0 ? static_cast<double>(r.output_tokens) / static_cast<double>(r.completed) : 0;
  const double prompt_per_request =
      r.completed > 0 ? static_cast<double>(r.prompt_tokens) / static_cast<double>(r.completed) : 0;
  out += format("tokens: %lld output (%.1f per completed request), %lld prompt (%.1f per completed request)",
                static_cast<long long>(r.output_tokens), per_request,
                static_cast<long long>(r.prompt_tokens), prompt_per_request);
  if (r.usage_missing > 0) {
    out += format("; no usage chunk in %lld requests (their content chunks counted as tokens)",
                  static_cast<long long>(r.usage_missing));
  }
  out += "\n";
  if (r.errors > 0) {
    out += "errors:";
    for (const auto& [cause, count] : r.errors_by_cause) out += format(" %s %lld", cause.c_str(), static_cast<long long>(count));
    out += "; first: " + r.first_error.substr(0, 500) + "\n";
  }
  return out;
}

json serve_report_json(const ServeBenchOptions& o, const ServeBenchResult& r) {
  json out = {{"benchmark", "serve"},
              {"url", o.url},
              {"endpoint", endpoint_name(o.endpoint)},
              {"model", o.model},
              {"concurrency", o.concurrency},
              {"num_requests", o.num_requests},
              {"output_len", o.output_len},
              {"ignore_eos", o.ignore_eos},
              {"requests", r.requests},
              {"completed", r.completed},
              {"errors", r.errors},
              {"errors_by_cause", r.errors_by_cause},
              {"duration_s", r.duration_s},
              {"requests_per_s", r.requests_per_s},
              {"output_tokens", r.output_tokens},
              {"prompt_tokens", r.prompt_tokens},
              {"usage_missing", r.usage_missing},
              {"output_tokens_per_s", r.output_tokens_per_s},
              {"ttft_ms", stats_json(r.ttft_ms)},
              {"itl_ms", stats_json(r.itl_ms)},
              {"tpot_ms", stats_json(r.tpot_ms)},
              {"e2e_ms", stats_json(r.e2e_ms)}};
  if (o.prompts.empty()) {
    out["prompt_len"] = o.prompt_len;
  } else {
    out["dataset_prompts"] = o.prompts.size();
  }
  out["shared_prefix_len"] = o.shared_prefix_len;
  if (!r.first_error.empty()) out["first_error"] = r.first_error;
  return out;
}

double percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double rank = std::clamp(q, 0.0, 100.0) / 100.0 * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<size_t>(std::floor(rank));
  const size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = rank - static_cast<double>(below);
  return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

std::string synthetic_prompt(int32_t words, uint64_t seed, int64_t index) {
  // mt19937_64 and seed_seq are specified exactly, and the modulo is ours, so every standard
  // library gives the same prompts.
  std::seed_seq seq{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32),
                    static_cast<uint32_t>(index), static_cast<uint32_t>(uint64_t(index) >> 32)};
  std::mt19937_64 rng(seq);
  std::string prompt;
  for (int32_t i = 0; i < words; ++i) {
    if (i > 0) prompt += ' ';
    prompt += kWords[rng() % std::size(kWords)];
  }
  return prompt;
}

std::string shared_prefix(int32_t words, uint64_t seed) {
  return synthetic_prompt(words, seed ^ kSharedPrefixSalt, -1);
}

RequestPrompt request_prompt(const ServeBenchOptions& options, int64_t index) {
  std::string own = options.prompts.empty()
                        ? synthetic_prompt(options.prompt_len, options.seed, index)
                        : options.prompts[static_cast<size_t>(index) % options.prompts.size()];
  if (options.shared_prefix_len <= 0) return {"", std::move(own)};
  // The request number first: any two requests differ right after the shared part.
  own = std::to_string(index) + " " + own;
  std::string prefix = shared_prefix(options.shared_prefix_len, options.seed);
  if (options.endpoint == ServeEndpoint::Chat) return {std::move(prefix), std::move(own)};
  return {"", prefix + " " + own};
}

std::vector<std::string> load_prompt_dataset(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw_error(ErrorCode::InvalidConfig, "--dataset " + path + ": " + ec.message(), path);
  if (size > kMaxDatasetBytes) {
    throw_error(ErrorCode::InvalidConfig,
                "--dataset " + path + ": larger than " + std::to_string(kMaxDatasetBytes >> 20) + " MiB",
                path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_error(ErrorCode::InvalidConfig, "--dataset " + path + ": cannot read the file", path);
  std::string text(std::istreambuf_iterator<char>(in), {});
  std::vector<std::string> prompts;
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '[') {
    json array;
    try {
      array = json::parse(text);
    } catch (const json::parse_error& e) {
      throw_error(ErrorCode::InvalidConfig, "--dataset " + path + ": not a valid JSON array: " + e.what(),
                  path);
    }
    for (size_t i = 0; i < array.size(); ++i) {
      if (!array[i].is_string()) {
        throw_error(ErrorCode::InvalidConfig,
                    "--dataset " + path + ": element " + std::to_string(i) + " of the array is " +
                        array[i].type_name() + ", expected a string",
                    path);
      }
      prompts.push_back(array[i].get<std::string>());
    }
  } else {
    size_t line_start = 0;
    int64_t line_number = 0;
    while (line_start < text.size()) {
      size_t line_end = text.find('\n', line_start);
      if (line_end == std::string::npos) line_end = text.size();
      ++line_number;
      std::string_view line(text.data() + line_start, line_end - line_start);
      line_start = line_end + 1;
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      const std::string where = "--dataset " + path + ":" + std::to_string(line_number) + ": ";
      json object = json::parse(line, nullptr, false);
      if (object.is_discarded()) {
        throw_error(ErrorCode::InvalidConfig, where + "not valid JSON (expected JSON lines with a \"prompt\" "
                                                      "field, or one JSON array of strings)",
                    path);
      }
      auto prompt = object.is_object() ? object.find("prompt") : object.end();
      if (!object.is_object() || prompt == object.end() || !prompt->is_string()) {
        throw_error(ErrorCode::InvalidConfig, where + "expected an object with a string \"prompt\"", path);
      }
      prompts.push_back(prompt->get<std::string>());
    }
  }
  if (prompts.empty()) throw_error(ErrorCode::InvalidConfig, "--dataset " + path + ": no prompts", path);
  return prompts;
}

ServeBenchResult run_serve_benchmark(const ServeBenchOptions& options) {
  const auto url = http::Url::parse(options.url, "--url");
  if (options.model.empty() && options.endpoint != ServeEndpoint::Native) {
    throw_error(ErrorCode::InvalidConfig, "--model is required (except with --endpoint native)", "--model");
  }
  if (options.concurrency < 1 || options.concurrency > kMaxConcurrency) {
    throw_error(ErrorCode::InvalidConfig, "--concurrency must be 1.." + std::to_string(kMaxConcurrency),
                "--concurrency");
  }
  if (options.num_requests < 1) throw_error(ErrorCode::InvalidConfig, "--num-requests must be >= 1", "--num-requests");
  if (options.output_len < 1) throw_error(ErrorCode::InvalidConfig, "--output-len must be >= 1", "--output-len");
  if (options.prompts.empty() && options.prompt_len < 1) {
    throw_error(ErrorCode::InvalidConfig, "--prompt-len must be >= 1", "--prompt-len");
  }
  if (options.shared_prefix_len < 0) {
    throw_error(ErrorCode::InvalidConfig, "--shared-prefix-len must be >= 0", "--shared-prefix-len");
  }
  if (!(options.timeout_s > 0) || options.timeout_s > 86400) {
    throw_error(ErrorCode::InvalidConfig, "--timeout must be in (0, 86400] seconds", "--timeout");
  }
  const std::string path = endpoint_path(options.endpoint);
  http::ClientOptions client;
  const auto timeout = std::chrono::milliseconds(
      std::max<int64_t>(1, static_cast<int64_t>(std::llround(options.timeout_s * 1000))));
  client.connect_timeout = timeout;
  client.read_timeout = timeout;
  client.max_response_bytes = size_t{64} << 20;
  if (!options.api_key.empty()) client.headers.emplace_back("Authorization", "Bearer " + options.api_key);

  std::mutex mutex;  // guards everything below it
  ServeBenchResult result;
  Samples ttft(options.seed + 1), itl(options.seed + 2), tpot(options.seed + 3), e2e(options.seed + 4);

  std::atomic<int64_t> next{0};
  auto worker = [&] {
    while (true) {
      const int64_t index = next.fetch_add(1);
      if (index >= options.num_requests) return;
      const RequestPrompt prompt = request_prompt(options, index);
      Outcome outcome = run_one(options, url, path, client, prompt);
      std::lock_guard lock(mutex);
      ++result.requests;
      if (!outcome.ok) {
        ++result.errors;
        ++result.errors_by_cause[outcome.cause];
        if (result.first_error.empty()) result.first_error = outcome.cause + ": " + outcome.message;
        continue;
      }
      ++result.completed;
      result.output_tokens += outcome.output_tokens;
      result.prompt_tokens += outcome.prompt_tokens;
      if (!outcome.has_usage) ++result.usage_missing;
      if (outcome.ttft_ms >= 0) ttft.add(outcome.ttft_ms);
      for (double gap : outcome.itl_ms) itl.add(gap);
      if (outcome.ttft_ms >= 0 && outcome.output_tokens > 1) {
        tpot.add((outcome.e2e_ms - outcome.ttft_ms) / static_cast<double>(outcome.output_tokens - 1));
      }
      e2e.add(outcome.e2e_ms);
    }
  };

  const int32_t threads = std::min(options.concurrency, options.num_requests);
  const auto start = Clock::now();
  {
    std::vector<std::jthread> pool;
    pool.reserve(static_cast<size_t>(threads));
    for (int32_t i = 0; i < threads; ++i) pool.emplace_back(worker);
  }  // joins
  result.duration_s = std::chrono::duration<double>(Clock::now() - start).count();
  if (result.duration_s > 0) {
    result.requests_per_s = static_cast<double>(result.completed) / result.duration_s;
    result.output_tokens_per_s = static_cast<double>(result.output_tokens) / result.duration_s;
  }
  result.ttft_ms = ttft.stats();
  result.itl_ms = itl.stats();
  result.tpot_ms = tpot.stats();
  result.e2e_ms = e2e.stats();
  return result;
}

}  // namespace fastchat::bench
