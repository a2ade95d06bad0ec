#include "controller/registry/worker_registry.h"

#include <gtest/gtest.h>

#include "controller/dispatch/shortest_queue_policy.h"
#include "fake_clock.h"

namespace fastchat::controller {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;
using testing::status;

TEST(WorkerRegistry, AddsAndFindsWorkers) {
  FakeClock clock;
  WorkerRegistry registry(clock.fn());
  EXPECT_FALSE(registry.upsert("http://127.0.0.1:21002", status({"vicuna"}, 2, 3), true, false));
  ASSERT_EQ(registry.size(), 1u);
  const auto w = registry.find("http://127.0.0.1:21002");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->status.model_names, std::vector<std::string>{"vicuna"});
  EXPECT_EQ(w->status.speed, 2);
  EXPECT_EQ(w->status.queue_length, 3);
  EXPECT_TRUE(w->check_heart_beat);
  EXPECT_FALSE(w->multimodal);
  EXPECT_EQ(w->last_heart_beat, clock.now);
  EXPECT_FALSE(registry.find("http://127.0.0.1:9"));
}

TEST(WorkerRegistry, OverwriteKeepsRegistrationOrder) {
  FakeClock clock;
  WorkerRegistry registry(clock.fn());
  registry.upsert("http://a:1", status({"m"}), true, false);
  registry.upsert("http://b:1", status({"m"}), true, false);
  EXPECT_TRUE(registry.upsert("http://a:1", status({"m", "n"}, 1, 7), false, true));
  const auto all = registry.snapshot();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "http://a:1");  // still first, as a Python dict overwrite
  EXPECT_EQ(all[0].status.queue_length, 7);
  EXPECT_FALSE(all[0].check_heart_beat);
  EXPECT_TRUE(all[0].multimodal);
  EXPECT_LT(all[0].order, all[1].order);
}

TEST(WorkerRegistry, HeartbeatUpdatesKnownWorkersOnly) {
  FakeClock clock;
  WorkerRegistry registry(clock.fn());
  registry.upsert("http://a:1", status({"m"}), true, false);
  clock.advance(10s);
  EXPECT_TRUE(registry.heartbeat("http://a:1", 4));
  EXPECT_EQ(registry.find("http://a:1")->status.queue_length, 4);
  EXPECT_EQ(registry.find("http://a:1")->last_heart_beat, clock.now);
  EXPECT_FALSE(registry.heartbeat("http://b:1", 1));
  EXPECT_EQ(registry.size(), 1u);
}

TEST(WorkerRegistry, ExpiresOnlyStaleCheckedWorkers) {
  FakeClock clock;
  WorkerRegistry registry(clock.fn());
  registry.upsert("http://a:1", status({"m"}), true, false);
  registry.upsert("http://pinned:1", status({"m"}), false, false);  // never expires
  registry.upsert("http://b:1", status({"m"}), true, false);
  clock.advance(60s);
  registry.heartbeat("http://b:1", 0);
  clock.advance(31s);
  EXPECT_TRUE(registry.remove_expired(90s).size() == 1);
  EXPECT_FALSE(registry.find("http://a:1"));
  EXPECT_TRUE(registry.find("http://b:1"));
  EXPECT_TRUE(registry.find("http://pinned:1"));
  clock.advance(59s);  // b's beat is exactly 90 s old: not yet expired
  EXPECT_TRUE(registry.remove_expired(90s).empty());
  clock.advance(1ms);
  const auto removed = registry.remove_expired(90s);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].name, "http://b:1");
  EXPECT_EQ(registry.size(), 1u);
}

TEST(WorkerRegistry, RemoveAndUpdateStatus) {
  FakeClock clock;
  WorkerRegistry registry(clock.fn());
  registry.upsert("http://a:1", status({"m"}, 1, 5), true, false);
  EXPECT_TRUE(registry.update_status("http://a:1", status({"x"})));
  EXPECT_EQ(registry.find("http://a:1")->status.model_names, std::vector<std::string>{"x"});
  const auto removed = registry.remove("http://a:1");
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->name, "http://a:1");
  EXPECT_FALSE(registry.remove("http://a:1"));
  EXPECT_FALSE(registry.update_status("http://a:1", status({"x"})));  // not resurrected
  EXPECT_EQ(registry.size(), 0u);
}

TEST(WorkerRegistry, ListsModelsSortedUniqueByKind) {
  WorkerRegistry registry;
  registry.upsert("http://a:1", status({"zeta", "alpha"}), true, false);
  registry.upsert("http://b:1", status({"alpha", "llava"}), true, true);
  EXPECT_EQ(registry.model_names(), (std::vector<std::string>{"alpha", "llava", "zeta"}));
  EXPECT_EQ(registry.model_names(ModelFilter::Language),
            (std::vector<std::string>{"alpha", "zeta"}));
  EXPECT_EQ(registry.model_names(ModelFilter::Multimodal),
            (std::vector<std::string>{"alpha", "llava"}));
}

TEST(WorkerRegistry, DispatchSkipsOtherModelsAndExcludedWorkers) {
  WorkerRegistry registry;
  ShortestQueuePolicy policy;
  registry.upsert("http://a:1", status({"m"}), true, false);
  registry.upsert("http://b:1", status({"other"}), true, false);
  registry.upsert("http://c:1", status({"m"}, 1, 5), true, false);
  EXPECT_EQ(registry.dispatch("m", {}, policy), "http://a:1");
  EXPECT_EQ(registry.dispatch("m", {"http://a:1"}, policy), "http://c:1");
  EXPECT_FALSE(registry.dispatch("m", {"http://a:1", "http://c:1"}, policy));
  EXPECT_FALSE(registry.dispatch("missing", {}, policy));
  EXPECT_EQ(registry.find("http://a:1")->status.queue_length, 1);
  EXPECT_EQ(registry.find("http://c:1")->status.queue_length, 6);
}

}  // namespace
}  // namespace fastchat::controller
