#pragma once
// A grouped bar chart as a standalone SVG file (no plotting library, no fonts to install):
// show-result's picture of scores per category and model, like the bars of FastChat's MT-Bench
// notebook, and of pairwise win rates.

#include <string>
#include <vector>

namespace fastchat::judge {

struct BarChart {
  std::string title;
  std::string y_label;
  double y_max = 10.0;              ///< top of the axis; gridlines at fifths
  std::vector<std::string> groups;  ///< x-axis groups (categories)
  std::vector<std::string> series;  ///< one bar per series in each group (models), one colour each
  /// values[s][g]: series s in group g; a NaN draws no bar (no data).
  std::vector<std::vector<double>> values;
};

/// The chart as an SVG document. Text is XML-escaped; values above y_max are clipped.
std::string to_svg(const BarChart& chart);

}  // namespace fastchat::judge
