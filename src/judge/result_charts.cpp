#include "judge/result_charts.h"

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>

namespace fastchat::judge {

namespace {

constexpr std::array<std::string_view, 8> kMtBenchCategories{
    "writing", "roleplay", "reasoning", "math", "coding", "extraction", "stem", "humanities"};

constexpr double kNoBar = std::numeric_limits<double>::quiet_NaN();

// The score of `model` in `rows`, or no bar.
double score_of(const std::vector<ModelScore>& rows, const std::string& model) {
  for (const auto& r : rows) {
    if (r.model == model) return r.score;
  }
  return kNoBar;
}

}  // namespace

std::vector<std::string> ordered_categories(const SingleResults& results) {
  std::vector<std::string> out;
  for (const auto name : kMtBenchCategories) {
    if (results.by_category.count(std::string(name))) out.emplace_back(name);
  }
  for (const auto& [name, rows] : results.by_category) {
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

BarChart single_chart(const SingleResults& results) {
  BarChart chart;
  chart.y_label = "mean score (1-10)";
  for (const auto& r : results.average) chart.series.push_back(r.model);
  std::vector<const std::vector<ModelScore>*> columns;
  if (!results.by_category.empty()) {
    chart.title = "Score per category";
    chart.groups = ordered_categories(results);
    for (const auto& g : chart.groups) columns.push_back(&results.by_category.at(g));
  } else {
    chart.title = "Score per turn";
    chart.groups = {"turn 1", "turn 2", "average"};
    columns = {&results.first_turn, &results.second_turn, &results.average};
  }
  for (const auto& model : chart.series) {
    std::vector<double> values;
    for (const auto* column : columns) values.push_back(score_of(*column, model));
    chart.values.push_back(values);
  }
  return chart;
}

BarChart pairwise_chart(const std::vector<PairwiseRow>& rows) {
  BarChart chart;
  chart.title = "Pairwise results";
  chart.y_label = "rate";
  chart.y_max = 1.0;
  chart.groups = {"win_rate", "loss_rate", "win_rate_adjusted"};
  for (const auto& r : rows) {
    chart.series.push_back(r.model);
    chart.values.push_back({r.win_rate, r.loss_rate, r.win_rate_adjusted});
  }
  return chart;
}

}  // namespace fastchat::judge
