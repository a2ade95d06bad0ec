#pragma once
// Bucket bounds (seconds) shared by the worker's and the API server's latency histograms, so
// that the two can be compared series for series. vLLM's bounds, extended downwards: a small
// model on a CPU produces tokens in milliseconds and would otherwise land in the first bucket.

#include <vector>

namespace fastchat::metrics {

/// Request received (or submitted) to its first output token.
inline std::vector<double> time_to_first_token_buckets() {
  return {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,  0.25,  0.5,   0.75,
          1.0,   2.5,   5.0,  7.5,  10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};
}

/// Mean time between output tokens of one request, after the first.
inline std::vector<double> time_per_output_token_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1,  0.15, 0.2,  0.3,
          0.4,   0.5,    0.75,  1.0,  2.5,   5.0,  7.5,   10.0, 20.0, 40.0, 80.0};
}

/// A whole request, and the time a request waits in the queue before it first runs.
inline std::vector<double> request_latency_buckets() {
  return {0.001, 0.005, 0.01, 0.025, 0.05,  0.1,   0.3,   0.5,    0.8,
          1.0,   1.5,   2.0,  2.5,   5.0,   10.0,  15.0,  20.0,   30.0,
          40.0,  50.0,  60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};
}

}  // namespace fastchat::metrics
