#include "judge/pairwise_results.h"

#include <algorithm>

namespace fastchat::judge {

PairwiseResultsBuilder::PairwiseResultsBuilder(std::vector<std::string> model_list,
                                               std::optional<std::string> baseline)
    : models_(model_list.begin(), model_list.end()), baseline_(std::move(baseline)) {}

void PairwiseResultsBuilder::add(const PairJudgment& j) {
  if (j.g1_winner == "error" || j.g2_winner == "error") return;
  if (!models_.empty() && !models_.count(j.model_1)) return;
  if (baseline_ && *baseline_ != j.model_1 && *baseline_ != j.model_2) return;
  if (j.g1_winner == "tie" || j.g1_winner != j.g2_winner) {
    ++tallies_[j.model_1].tie;
    ++tallies_[j.model_2].tie;
    return;
  }
  const bool first_won = j.g1_winner == "model_1";
  ++tallies_[first_won ? j.model_1 : j.model_2].win;
  ++tallies_[first_won ? j.model_2 : j.model_1].loss;
}

std::vector<PairwiseRow> PairwiseResultsBuilder::finish() const {
  std::vector<PairwiseRow> rows;
  for (const auto& [model, t] : tallies_) {
    if (baseline_ && model == *baseline_) continue;
    const auto total = static_cast<double>(t.win + t.loss + t.tie);
    PairwiseRow row{model, t.win, t.loss, t.tie};
    row.win_rate = static_cast<double>(t.win) / total;
    row.loss_rate = static_cast<double>(t.loss) / total;
    row.win_rate_adjusted = (static_cast<double>(t.win) + 0.5 * static_cast<double>(t.tie)) / total;
    rows.push_back(row);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const PairwiseRow& a, const PairwiseRow& b) {
    return a.win_rate_adjusted > b.win_rate_adjusted;
  });
  return rows;
}

}  // namespace fastchat::judge
