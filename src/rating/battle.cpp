#include "rating/battle.h"

namespace fastchat::rating {

std::string_view winner_name(Winner winner) {
  switch (winner) {
    case Winner::ModelA:
      return "model_a";
    case Winner::ModelB:
      return "model_b";
    case Winner::Tie:
      return "tie";
    case Winner::TieBothBad:
      return "tie (bothbad)";
  }
  return "tie";
}

std::optional<Winner> parse_winner(std::string_view text) {
  for (Winner w : {Winner::ModelA, Winner::ModelB, Winner::Tie, Winner::TieBothBad}) {
    if (text == winner_name(w)) return w;
  }
  return std::nullopt;
}

double score_a(Winner winner) {
  switch (winner) {
    case Winner::ModelA:
      return 1.0;
    case Winner::ModelB:
      return 0.0;
    default:
      return 0.5;
  }
}

}  // namespace fastchat::rating
