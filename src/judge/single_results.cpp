#include "judge/single_results.h"

#include <algorithm>

#include "judge/jsonl_reader.h"

namespace fastchat::judge {

namespace {

// Highest mean first; equal means by model name so the order is the same on every run.
template <typename Sums>
std::vector<ModelScore> ranked(const Sums& sums) {
  std::vector<ModelScore> out;
  for (const auto& [model, sum] : sums) {
    out.push_back({model, sum.total / static_cast<double>(sum.count), sum.count});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const ModelScore& a, const ModelScore& b) { return a.score > b.score; });
  return out;
}

}  // namespace

SingleResultsBuilder::SingleResultsBuilder(std::vector<std::string> model_list)
    : models_(model_list.begin(), model_list.end()) {}

void SingleResultsBuilder::set_categories(std::map<std::string, std::string> categories) {
  categories_ = std::move(categories);
}

void SingleResultsBuilder::add(const SingleJudgment& j) {
  if (j.score.value == kNoScore) return;
  if (!models_.empty() && !models_.count(j.model)) return;
  std::vector<std::map<std::string, Sum>*> targets{&turns_[j.turn == 2 ? 1 : 0], &all_};
  const auto category = categories_.find(id_key(j.question_id));
  if (category != categories_.end()) targets.push_back(&by_category_[category->second]);
  for (auto* sums : targets) {
    Sum& sum = (*sums)[j.model];
    sum.total += j.score.value;
    ++sum.count;
  }
}

SingleResults SingleResultsBuilder::finish() const {
  SingleResults results{ranked(turns_[0]), ranked(turns_[1]), ranked(all_), {}};
  for (const auto& [category, sums] : by_category_) results.by_category[category] = ranked(sums);
  return results;
}

}  // namespace fastchat::judge
