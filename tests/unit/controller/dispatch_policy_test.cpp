#include <gtest/gtest.h>

#include <map>

#include "common/error/error.h"
#include "controller/dispatch/lottery_policy.h"
#include "controller/dispatch/shortest_queue_policy.h"
#include "controller/registry/worker_registry.h"
#include "fake_clock.h"

namespace fastchat::controller {
namespace {

using testing::status;

TEST(ShortestQueue, PicksLowestQueuePerSpeed) {
  ShortestQueuePolicy policy;
  std::vector<Candidate> c{{"a", 1, 4}, {"b", 4, 8}, {"c", 1, 3}};
  EXPECT_EQ(policy.pick(c), 1u);  // 8/4 = 2 beats 3 and 4
  EXPECT_TRUE(policy.counts_dispatches());
  EXPECT_FALSE(policy.pick({}));
}

TEST(ShortestQueue, TiesGoToEarliestRegistration) {
  ShortestQueuePolicy policy;
  std::vector<Candidate> c{{"a", 1, 2}, {"b", 2, 4}, {"c", 1, 2}};
  EXPECT_EQ(policy.pick(c), 0u);
}

TEST(ShortestQueue, IncrementsSpreadBackToBackRequests) {
  WorkerRegistry registry;
  ShortestQueuePolicy policy;
  registry.upsert("http://a:1", status({"m"}), true, false);
  registry.upsert("http://b:1", status({"m"}), true, false);
  registry.upsert("http://fast:1", status({"m"}, 2), true, false);
  std::vector<std::string> picks;
  for (int i = 0; i < 5; ++i) picks.push_back(*registry.dispatch("m", {}, policy));
  // loads: a 0,b 0,fast 0 -> a; b -> b; fast(0) -> fast(0.5); a 1,b 1,fast .5 -> fast(1);
  // then all at 1 -> a.
  EXPECT_EQ(picks, (std::vector<std::string>{"http://a:1", "http://b:1", "http://fast:1",
                                             "http://fast:1", "http://a:1"}));
  EXPECT_EQ(registry.find("http://fast:1")->status.queue_length, 2);
  // The next heartbeat replaces the optimistic count with the worker's own.
  registry.heartbeat("http://fast:1", 0);
  EXPECT_EQ(registry.find("http://fast:1")->status.queue_length, 0);
}

TEST(Lottery, IsDeterministicWithASeed) {
  std::vector<Candidate> c{{"a", 1, 0}, {"b", 1, 0}, {"c", 1, 0}};
  LotteryPolicy first(7), second(7);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(first.pick(c), second.pick(c));
  EXPECT_FALSE(first.counts_dispatches());
}

TEST(Lottery, FollowsSpeedWeights) {
  LotteryPolicy policy(42);
  std::vector<Candidate> c{{"slow", 1, 100}, {"fast", 3, 0}};
  std::map<size_t, int> counts;
  constexpr int kDraws = 20000;
  for (int i = 0; i < kDraws; ++i) counts[*policy.pick(c)]++;
  // Expected 25% / 75%; queue lengths play no part.
  EXPECT_NEAR(counts[0] / double(kDraws), 0.25, 0.02);
  EXPECT_NEAR(counts[1] / double(kDraws), 0.75, 0.02);
}

TEST(Lottery, NoCandidatesOrNoSpeedPicksNothing) {
  LotteryPolicy policy(1);
  EXPECT_FALSE(policy.pick({}));
  std::vector<Candidate> zero{{"a", 0, 0}};
  EXPECT_FALSE(policy.pick(zero));
}

TEST(Lottery, DoesNotChangeQueueLengths) {
  WorkerRegistry registry;
  LotteryPolicy policy(3);
  registry.upsert("http://a:1", status({"m"}), true, false);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(registry.dispatch("m", {}, policy), "http://a:1");
  EXPECT_EQ(registry.find("http://a:1")->status.queue_length, 0);
}

TEST(DispatchPolicy, FactoryKnowsBothMethods) {
  EXPECT_EQ(make_dispatch_policy("shortest_queue")->name(), "shortest_queue");
  EXPECT_EQ(make_dispatch_policy("lottery", 1)->name(), "lottery");
  try {
    make_dispatch_policy("round_robin");
    FAIL() << "expected an error";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::InvalidConfig);
    EXPECT_EQ(e.error().param, "dispatch-method");
  }
}

}  // namespace
}  // namespace fastchat::controller
