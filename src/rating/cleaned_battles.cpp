#include "rating/cleaned_battles.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace fastchat::rating {

BattleSet to_battle_set(const std::vector<CleanBattle>& battles) {
  BattleSet set;
  set.battles().reserve(battles.size());
  for (const CleanBattle& clean : battles) {
    Battle battle;
    battle.model_a = set.intern(clean.model_a);
    battle.model_b = set.intern(clean.model_b);
    battle.winner = clean.winner;
    battle.anony = clean.anony;
    battle.judge = set.judges().intern(clean.judge);
    // As battle_reader: days since 1970, for any timestamp that is a Unix time.
    if (std::abs(clean.tstamp) < 1e14) {
      battle.day = static_cast<int32_t>(std::floor(clean.tstamp / 86400.0));
    }
    set.battles().push_back(battle);
  }
  return set;
}

std::string battles_to_json(const std::vector<CleanBattle>& battles) {
  std::string out = "[";
  for (size_t i = 0; i < battles.size(); ++i) {
    const CleanBattle& battle = battles[i];
    nlohmann::ordered_json record;
    if (!battle.question_id.empty()) record["question_id"] = battle.question_id;
    record["model_a"] = battle.model_a;
    record["model_b"] = battle.model_b;
    record["winner"] = winner_name(battle.winner);
    record["judge"] = battle.judge;
    record["turn"] = battle.turn;
    record["anony"] = battle.anony;
    record["tstamp"] = battle.tstamp;
    out += (i == 0 ? "\n" : ",\n") + record.dump();
  }
  return out + "\n]\n";
}

std::string format_clean_stats(const CleanStats& stats) {
  std::string out = std::to_string(stats.records) + " log records: " + std::to_string(stats.votes) +
                    " battle votes, " + std::to_string(stats.non_votes) +
                    " other records skipped; " + std::to_string(stats.kept) + " battles kept\n";
  for (size_t i = 0; i < kDropReasons; ++i) {
    out += "  dropped " + std::string(drop_reason_name(static_cast<DropReason>(i))) + ": " +
           std::to_string(stats.dropped[i]) + "\n";
  }
  return out;
}

}  // namespace fastchat::rating
