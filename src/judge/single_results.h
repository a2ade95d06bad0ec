#pragma once
// show-result's single-answer numbers, as FastChat's show_result.py computes them: the mean
// score per model over first turns, over second turns, and over all judgments pooled (not the
// mean of the two turn means), with scores of -1 (no rating found) dropped.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "judge/single_judgment.h"

namespace fastchat::judge {

struct ModelScore {
  std::string model;
  double score = 0.0;  ///< mean
  size_t count = 0;    ///< judgments averaged
};

struct SingleResults {
  std::vector<ModelScore> first_turn;  ///< by score, best first
  std::vector<ModelScore> second_turn;
  std::vector<ModelScore> average;
  /// Mean over both turns per category (when categories were given), for the chart.
  std::map<std::string, std::vector<ModelScore>> by_category;
};

/// Accumulates judgments one at a time, so a large file is never held whole.
class SingleResultsBuilder {
 public:
  /// `model_list` empty: every model; else only these (show_result.py's --model-list).
  explicit SingleResultsBuilder(std::vector<std::string> model_list = {});

  /// Question categories by id_key (from question.jsonl), for SingleResults::by_category.
  void set_categories(std::map<std::string, std::string> categories);

  void add(const SingleJudgment& judgment);
  SingleResults finish() const;

 private:
  struct Sum {
    double total = 0.0;
    size_t count = 0;
  };
  std::set<std::string> models_;
  std::map<std::string, Sum> turns_[2];
  std::map<std::string, Sum> all_;
  std::map<std::string, std::string> categories_;
  std::map<std::string, std::map<std::string, Sum>> by_category_;
};

}  // namespace fastchat::judge
