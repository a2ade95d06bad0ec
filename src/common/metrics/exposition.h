#pragma once
// Prometheus text exposition format 0.0.4 (what every Prometheus server and promtool read): the
// escaping and number spelling rules, kept in one place so that each metric type only decides
// *which* lines it writes.

#include <string>
#include <string_view>
#include <vector>

namespace fastchat::metrics {

/// The Content-Type of a /metrics answer in this format.
inline constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

/// One value per label name of the family, in the same order.
using LabelValues = std::vector<std::string>;

/// [a-zA-Z_:][a-zA-Z0-9_:]*
bool valid_metric_name(std::string_view name);
/// [a-zA-Z_][a-zA-Z0-9_]*, and not starting with "__" (reserved for Prometheus itself).
bool valid_label_name(std::string_view name);

/// Label values escape backslash, double quote and newline.
std::string escape_label_value(std::string_view value);
/// HELP text escapes backslash and newline (a quote is plain text there).
std::string escape_help(std::string_view help);

/// Shortest text that reads back as the same double; "+Inf", "-Inf", "NaN" as Prometheus spells
/// them. Integral values print without a fraction ("3", not "3.0").
std::string format_value(double value);

/// `{a="x",b="y"}`, or "" when there are no labels. `extra_name`/`extra_value`, when given, are
/// appended last (the `le` label of histogram buckets).
std::string format_labels(const std::vector<std::string>& names, const LabelValues& values,
                          std::string_view extra_name = {}, std::string_view extra_value = {});

/// Appends one sample line: `name{labels} value\n`.
void append_sample(std::string& out, std::string_view name, std::string_view labels, double value);

}  // namespace fastchat::metrics
