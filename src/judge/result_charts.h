#pragma once
// The pictures show-result draws (--svg): single mode, mean score per category and model (as
// FastChat's MT-Bench notebook plots them), or per turn when the categories are unknown;
// pairwise modes, each model's win, loss and adjusted win rates.

#include <vector>

#include "judge/bar_chart.h"
#include "judge/pairwise_results.h"
#include "judge/single_results.h"

namespace fastchat::judge {

/// Categories in MT-Bench's order (writing, roleplay, reasoning, math, coding, extraction, stem,
/// humanities), then any other by name.
std::vector<std::string> ordered_categories(const SingleResults& results);

BarChart single_chart(const SingleResults& results);
BarChart pairwise_chart(const std::vector<PairwiseRow>& rows);

}  // namespace fastchat::judge
