#pragma once
// Helpers for tests of /metrics output, shared by the metrics, worker and API server tests.
// promtool_check_metrics() runs Prometheus' own checker, so that tests judge the text format by
// the parser and linter real scrapers use rather than by our reading of the spec. promtool
// comes from Debian's `prometheus` package (scripts/install_deps.sh); PROMTOOL overrides the
// command.

#include <optional>
#include <string>

namespace fastchat::testing {

struct PromtoolResult {
  int exit_code =
      -1;  ///< 0: valid and lint-clean; 1: parse error; 3: lint problems; 127: no promtool
  std::string output;  ///< stdout and stderr together
};

/// `promtool check metrics` with `text` on its standard input.
PromtoolResult promtool_check_metrics(const std::string& text);

/// A message for a failed check, with the hint to install promtool when it is missing.
std::string describe(const PromtoolResult& result, const std::string& text);

/// The value of one series in a rendered exposition, e.g.
/// sample_value(text, "fastchat_worker_time_to_first_token_seconds_count{model=\"m\"}");
/// nullopt when no line has exactly that name and label set.
std::optional<double> sample_value(const std::string& text, const std::string& series);

}  // namespace fastchat::testing
