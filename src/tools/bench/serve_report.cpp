#include "tools/bench/serve_report.h"

#include <array>
#include <cstdarg>
#include <cstdio>

namespace fastchat::bench {
namespace {

using nlohmann::json;

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
  return json{{"count", stats.count},
              {"mean", stats.mean},
              {"p50", stats.p50},
              {"p95", stats.p95},
              {"p99", stats.p99}};
}

}  // namespace

std::string serve_report(const ServeBenchOptions& o, const ServeBenchResult& r) {
  std::string out;
  out += "serve: POST " + o.url + endpoint_path(o.endpoint) + "  model " + o.model +
         format("  concurrency %d  %d requests  ", o.concurrency, o.num_requests);
  if (o.shared_prefix_len > 0) out += format("shared prefix %d words + ", o.shared_prefix_len);
  out += o.prompts.empty() ? format("prompt %d words", o.prompt_len)
                           : format("%zu dataset prompts", o.prompts.size());
  out += format("  output %d tokens%s\n", o.output_len, o.ignore_eos ? " (ignore_eos)" : "");
  out +=
      "| concurrency | requests | errors | duration s | req/s | output tok/s "
      "| TTFT p50 | TTFT p95 | TTFT p99 | ITL p50 | ITL p95 | ITL p99 | E2E p50 | E2E p95 | E2E "
      "p99 |\n";
  out += "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  out += format(
      "| %d | %lld | %lld | %.2f | %.2f | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f "
      "| %.1f | %.1f | %.1f |\n",
      o.concurrency, static_cast<long long>(r.requests), static_cast<long long>(r.errors),
      r.duration_s, r.requests_per_s, r.output_tokens_per_s, r.ttft_ms.p50, r.ttft_ms.p95,
      r.ttft_ms.p99, r.itl_ms.p50, r.itl_ms.p95, r.itl_ms.p99, r.e2e_ms.p50, r.e2e_ms.p95,
      r.e2e_ms.p99);
  out += format(
      "(ms) mean TTFT %.1f, ITL %.2f, E2E %.1f; TPOT p50 %.2f, p95 %.2f, p99 %.2f, mean %.2f\n",
      r.ttft_ms.mean, r.itl_ms.mean, r.e2e_ms.mean, r.tpot_ms.p50, r.tpot_ms.p95, r.tpot_ms.p99,
      r.tpot_ms.mean);
  const double per_request =
      r.completed > 0 ? static_cast<double>(r.output_tokens) / static_cast<double>(r.completed) : 0;
  const double prompt_per_request =
      r.completed > 0 ? static_cast<double>(r.prompt_tokens) / static_cast<double>(r.completed) : 0;
  out += format(
      "tokens: %lld output (%.1f per completed request), %lld prompt (%.1f per completed request)",
      static_cast<long long>(r.output_tokens), per_request, static_cast<long long>(r.prompt_tokens),
      prompt_per_request);
  if (r.usage_missing > 0) {
    out += format("; no usage chunk in %lld requests (their content chunks counted as tokens)",
                  static_cast<long long>(r.usage_missing));
  }
  out += "\n";
  if (r.errors > 0) {
    out += "errors:";
    for (const auto& [cause, count] : r.errors_by_cause)
      out += format(" %s %lld", cause.c_str(), static_cast<long long>(count));
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

}  // namespace fastchat::bench
