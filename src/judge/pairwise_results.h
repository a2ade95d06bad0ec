#pragma once
// show-result's pairwise numbers, as FastChat's show_result.py computes them. A judgment whose
// either game is "error" is dropped. A pair counts as a win (and a loss for the other model)
// only when both games name the same winner; a tie in game 1, or games that disagree, count as a
// tie for both. win_rate = win/total, loss_rate = loss/total, win_rate_adjusted =
// (win + 0.5 tie)/total. With a baseline, only pairs involving it count and it is left out of
// the table.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "judge/pair_judgment.h"

namespace fastchat::judge {

struct PairwiseRow {
  std::string model;
  int64_t win = 0;
  int64_t loss = 0;
  int64_t tie = 0;
  double win_rate = 0.0;
  double loss_rate = 0.0;
  double win_rate_adjusted = 0.0;
};

class PairwiseResultsBuilder {
 public:
  /// `model_list`: only judgments whose model_1 is listed (empty: all), as show_result.py.
  PairwiseResultsBuilder(std::vector<std::string> model_list, std::optional<std::string> baseline);

  void add(const PairJudgment& judgment);
  /// Rows by win_rate_adjusted, best first.
  std::vector<PairwiseRow> finish() const;

 private:
  struct Tally {
    int64_t win = 0;
    int64_t loss = 0;
    int64_t tie = 0;
  };
  std::set<std::string> models_;
  std::optional<std::string> baseline_;
  std::map<std::string, Tally> tallies_;
};

}  // namespace fastchat::judge
