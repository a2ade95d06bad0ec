#include "rating/battle_filter.h"

#include <map>
#include <utility>

namespace fastchat::rating {
namespace {

// flags[i] = 1 when names holds the i-th name of a table of `size` names that `find` looks up.
template <typename Find>
std::vector<char> flags_of(size_t size, const std::vector<std::string>& names, Find find) {
  std::vector<char> flags(size, 0);
  for (const auto& name : names) {
    const int32_t id = find(name);
    if (id >= 0) flags[id] = 1;
  }
  return flags;
}

bool kept_before_cap(const Battle& battle, const BattleFilter& filter,
                     const std::vector<char>& excluded, const std::vector<char>& language_ok) {
  if (!battle.anony && !filter.include_non_anony) return false;
  if (filter.exclude_ties && is_tie(battle.winner)) return false;
  if (excluded[battle.model_a] || excluded[battle.model_b]) return false;
  if (!filter.languages.empty() && (battle.language < 0 || !language_ok[battle.language])) {
    return false;
  }
  return true;
}

}  // namespace

BattleSet filter_battles(const BattleSet& battles, const BattleFilter& filter) {
  const auto excluded = flags_of(battles.num_models(), filter.exclude_models,
                                 [&](const std::string& name) { return battles.find(name); });
  const auto language_ok =
      flags_of(battles.languages().size(), filter.languages,
               [&](const std::string& name) { return battles.languages().find(name); });
  BattleSet kept;
  // Side tables are shared whole, so that Battle::style, judge and language stay valid.
  kept.styles() = battles.styles();
  kept.judges() = battles.judges();
  kept.languages() = battles.languages();
  kept.battles().reserve(battles.battles().size());
  // Remapped lazily, so that models whose every battle was dropped leave the table.
  std::vector<int32_t> remap(battles.num_models(), -1);
  auto map_model = [&](int32_t id) {
    if (remap[id] < 0) remap[id] = kept.intern(battles.models()[id]);
    return remap[id];
  };
  std::map<std::pair<int32_t, int32_t>, int> votes_per_judge_day;
  for (const Battle& battle : battles.battles()) {
    if (!kept_before_cap(battle, filter, excluded, language_ok)) continue;
    if (filter.daily_vote_cap > 0 && battle.judge >= 0 && battle.day != Battle::kNoDay &&
        ++votes_per_judge_day[{battle.judge, battle.day}] > filter.daily_vote_cap) {
      continue;
    }
    Battle copy = battle;
    copy.model_a = map_model(battle.model_a);
    copy.model_b = map_model(battle.model_b);
    kept.battles().push_back(copy);
  }
  return kept;
}

}  // namespace fastchat::rating
