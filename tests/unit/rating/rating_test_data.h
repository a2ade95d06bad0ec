#pragma once
// Battles for the rating tests: small hand-made sets, seeded synthetic ones, and the Arena
// sample with FastChat's reference ratings (test-data/arena/battles-sample.json).

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "rating/battle.h"

namespace fastchat::rating::testing {

/// Battles from (model_a, model_b, winner) triples, all anonymous, in the order given.
BattleSet make_battles(const std::vector<std::tuple<std::string, std::string, Winner>>& list);

/// `count` battles among `models` models "m0", "m1", ... with hidden strengths `theta` (base-10
/// log-odds), uniformly random pairs, 20% ties. Seeded.
BattleSet random_battles(const std::vector<double>& theta, int64_t count, uint64_t seed);

/// The Arena sample and FastChat's reference ratings for it.
struct ArenaSample {
  BattleSet battles;
  std::map<std::string, double> online_elo;
  std::map<std::string, double> bradley_terry;
};
ArenaSample load_arena_sample();

/// The rating of `model` in `ratings` (indexed like battles.models()).
double rating_of(const BattleSet& battles, const std::vector<double>& ratings,
                 const std::string& model);

}  // namespace fastchat::rating::testing
