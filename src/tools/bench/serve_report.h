#pragma once
// The serving benchmark's results as a Markdown table for people and as one JSON line.

#include <nlohmann/json.hpp>
#include <string>

#include "tools/bench/serve_benchmark.h"

namespace fastchat::bench {

/// The report for people: a line saying what ran, a one-row Markdown table (requests, errors,
/// duration, requests/s, output tokens/s, TTFT/ITL/E2E p50/p95/p99 in ms), then means, TPOT,
/// token counts and errors by cause.
std::string serve_report(const ServeBenchOptions& options, const ServeBenchResult& result);

/// The same figures as one JSON object ({"benchmark": "serve", ...}), for one output line.
nlohmann::json serve_report_json(const ServeBenchOptions& options, const ServeBenchResult& result);

}  // namespace fastchat::bench
