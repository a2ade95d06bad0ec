#include "rating_test_data.h"

#include <cmath>
#include <random>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "common/json/json_file.h"
#include "rating/battle_reader.h"
#include "test_paths.h"

namespace fastchat::rating::testing {

BattleSet make_battles(const std::vector<std::tuple<std::string, std::string, Winner>>& list) {
  BattleSet set;
  for (const auto& [a, b, winner] : list) {
    Battle battle;
    battle.model_a = set.intern(a);
    battle.model_b = set.intern(b);
    battle.winner = winner;
    set.battles().push_back(battle);
  }
  return set;
}

BattleSet random_battles(const std::vector<double>& theta, int64_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  BattleSet set;
  const int n = static_cast<int>(theta.size());
  for (int m = 0; m < n; ++m) set.intern(std::string("m").append(std::to_string(m)));
  std::uniform_int_distribution<int> pick(0, n - 1);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int64_t i = 0; i < count; ++i) {
    Battle battle;
    battle.model_a = pick(rng);
    do {
      battle.model_b = pick(rng);
    } while (battle.model_b == battle.model_a);
    const double u = unit(rng);
    const double p_a = 1.0 / (1.0 + std::pow(10.0, theta[battle.model_b] - theta[battle.model_a]));
    if (u < 0.2) {
      battle.winner = Winner::Tie;
    } else {
      battle.winner = (u - 0.2) / 0.8 < p_a ? Winner::ModelA : Winner::ModelB;
    }
    set.battles().push_back(battle);
  }
  return set;
}

ArenaSample load_arena_sample() {
  const auto file = fastchat::testing::test_data_dir() / "arena" / "battles-sample.json";
  ArenaSample sample;
  sample.battles = read_battles(file);
  const auto document = read_json_file(file);
  const auto& reference = document.at("reference");
  for (const auto& [model, value] : reference.at("online_elo").at("ratings").items()) {
    sample.online_elo[model] = value.get<double>();
  }
  for (const auto& [model, value] : reference.at("bradley_terry").at("ratings").items()) {
    sample.bradley_terry[model] = value.get<double>();
  }
  return sample;
}

double rating_of(const BattleSet& battles, const std::vector<double>& ratings,
                 const std::string& model) {
  const int32_t id = battles.find(model);
  if (id < 0) throw std::runtime_error("no model " + model);
  return ratings.at(id);
}

}  // namespace fastchat::rating::testing
