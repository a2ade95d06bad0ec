#pragma once
// Arena battles as the rating code sees them: two models by index into a name table and the
// vote's outcome. Names are interned once when battles are read, so that the rating loops over
// a million battles touch integers only.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rating/name_table.h"

namespace fastchat::rating {

/// The vote of a battle, as FastChat's cleaned battle data spells it in `winner`.
enum class Winner : uint8_t {
  ModelA,      ///< "model_a"
  ModelB,      ///< "model_b"
  Tie,         ///< "tie"
  TieBothBad,  ///< "tie (bothbad)"
};

/// The `winner` value for `winner` ("model_a", ...).
std::string_view winner_name(Winner winner);
/// The Winner spelled `text`, or nullopt when it is none of FastChat's four values.
std::optional<Winner> parse_winner(std::string_view text);
/// Model A's score: 1 for a win, 0 for a loss, 0.5 for either kind of tie.
double score_a(Winner winner);
inline bool is_tie(Winner winner) { return winner == Winner::Tie || winner == Winner::TieBothBad; }

/// The style of both replies of a battle, from FastChat's `conv_metadata`, for style control:
/// per side, assistant tokens, markdown headers, list items and bold spans (index kTokens...).
struct StyleCounts {
  static constexpr size_t kTokens = 0, kHeaders = 1, kLists = 2, kBold = 3, kFeatures = 4;
  std::array<double, kFeatures> a{};
  std::array<double, kFeatures> b{};
};

/// One battle. `model_a`/`model_b` index BattleSet::models.
struct Battle {
  static constexpr int32_t kNoDay = INT32_MIN;

  int32_t model_a = 0;
  int32_t model_b = 0;
  Winner winner = Winner::Tie;
  bool anony = true;   ///< anonymous battle (the leaderboard keeps only these by default)
  int32_t style = -1;  ///< index into BattleSet::styles(), -1 when the record had no conv_metadata
  int32_t judge = -1;  ///< index into BattleSet::judges(), -1 when the record had none
  int32_t language = -1;  ///< index into BattleSet::languages(), -1 when the record had none
  int32_t day = kNoDay;   ///< UTC day of `tstamp` (seconds / 86400), for the daily vote cap
};

/// Battles in file order with the tables of names they index. Plain data; not shared between
/// threads while being appended to.
class BattleSet {
 public:
  /// The index of model `name`, added at the end of models() the first time it is seen.
  int32_t intern(std::string_view name) { return models_.intern(name); }
  /// The index of model `name`, or -1 when no battle names it.
  int32_t find(std::string_view name) const { return models_.find(name); }

  const std::vector<std::string>& models() const { return models_.names(); }
  size_t num_models() const { return models_.size(); }
  std::vector<Battle>& battles() { return battles_; }
  const std::vector<Battle>& battles() const { return battles_; }
  std::vector<StyleCounts>& styles() { return styles_; }
  const std::vector<StyleCounts>& styles() const { return styles_; }
  /// Who voted (FastChat's `judge`, e.g. "arena_user_<id>") and the conversation's language.
  NameTable& judges() { return judges_; }
  const NameTable& judges() const { return judges_; }
  NameTable& languages() { return languages_; }
  const NameTable& languages() const { return languages_; }

 private:
  NameTable models_;
  std::vector<Battle> battles_;
  std::vector<StyleCounts> styles_;
  NameTable judges_;
  NameTable languages_;
};

}  // namespace fastchat::rating
