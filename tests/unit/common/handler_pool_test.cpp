#include "common/http/handler_pool.h"

#include <atomic>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "test_gate.h"

namespace fastchat::http {
namespace {

using testing_support::eventually;
using testing_support::Gate;

// Destroyed when the task holding it is: tells a dropped task from one that still waits.
class Sentinel {
 public:
  explicit Sentinel(std::atomic<bool>* destroyed) : destroyed_(destroyed) {}
  ~Sentinel() { *destroyed_ = true; }
  Sentinel(const Sentinel&) = delete;
  Sentinel& operator=(const Sentinel&) = delete;

 private:
  std::atomic<bool>* destroyed_;
};

TEST(HandlerPoolTest, RunsTasksConcurrentlyUpToItsSizeAndQueuesTheRest) {
  HandlerPool pool(3, 10);
  auto gate = std::make_shared<Gate>();
  std::atomic<int> finished{0};
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(pool.try_submit([gate, &finished] {
      gate->enter();
      ++finished;
    }));
  }
  ASSERT_TRUE(gate->wait_entered(3));
  // The fourth waits: every thread is held by the gate.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(gate->entered(), 3);
  EXPECT_EQ(pool.threads(), 3u);
  EXPECT_EQ(pool.pending(), 4u);
  gate->open();
  ASSERT_TRUE(eventually([&] { return pool.pending() == 0; }));
  EXPECT_EQ(finished, 4);
  EXPECT_EQ(pool.threads(), 3u);
}

TEST(HandlerPoolTest, ReusesItsThreads) {
  HandlerPool pool(8, 8);
  for (int i = 0; i < 20; ++i) {
    std::atomic<bool> ran{false};
    ASSERT_TRUE(pool.try_submit([&ran] { ran = true; }));
    ASSERT_TRUE(eventually([&] { return ran && pool.pending() == 0; }));
  }
  EXPECT_EQ(pool.threads(), 1u);
}

TEST(HandlerPoolTest, RefusesATaskBeyondThreadsPlusQueueWithoutRunningIt) {
  HandlerPool pool(2, 1);
  auto gate = std::make_shared<Gate>();
  std::atomic<int> ran{0};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(pool.try_submit([gate, &ran] {
      gate->enter();
      ++ran;
    }));
  }
  ASSERT_TRUE(gate->wait_entered(2));
  std::atomic<bool> destroyed{false};
  auto sentinel = std::make_shared<Sentinel>(&destroyed);
  bool refused_ran = false;
  EXPECT_FALSE(pool.try_submit([sentinel, &refused_ran] { refused_ran = true; }));
  sentinel.reset();
  EXPECT_TRUE(destroyed);  // the pool kept no copy
  gate->open();
  ASSERT_TRUE(eventually([&] { return pool.pending() == 0; }));
  EXPECT_EQ(ran, 3);
  EXPECT_FALSE(refused_ran);
}

TEST(HandlerPoolTest, WithNoQueueRefusesAsSoonAsEveryThreadIsBusy) {
  HandlerPool pool(1, 0);
  auto gate = std::make_shared<Gate>();
  ASSERT_TRUE(pool.try_submit([gate] { gate->enter(); }));
  ASSERT_TRUE(gate->wait_entered(1));
  EXPECT_FALSE(pool.try_submit([] {}));
  gate->open();
  ASSERT_TRUE(eventually([&] { return pool.pending() == 0; }));
  EXPECT_TRUE(pool.try_submit([] {}));
}

TEST(HandlerPoolTest, CloseDropsWaitingTasksUnrunAndLetsRunningOnesFinish) {
  HandlerPool pool(1, 5);
  auto gate = std::make_shared<Gate>();
  std::atomic<bool> running_finished{false};
  ASSERT_TRUE(pool.try_submit([gate, &running_finished] {
    gate->enter();
    running_finished = true;
  }));
  ASSERT_TRUE(gate->wait_entered(1));
  std::atomic<bool> destroyed{false};
  std::atomic<bool> queued_ran{false};
  {
    auto sentinel = std::make_shared<Sentinel>(&destroyed);
    ASSERT_TRUE(pool.try_submit([sentinel, &queued_ran] { queued_ran = true; }));
  }
  EXPECT_FALSE(destroyed);
  pool.close();
  EXPECT_TRUE(destroyed);
  EXPECT_FALSE(pool.try_submit([] {}));
  gate->open();
  ASSERT_TRUE(eventually([&] { return pool.pending() == 0; }));
  EXPECT_TRUE(running_finished);
  EXPECT_FALSE(queued_ran);
}

TEST(HandlerPoolTest, DestructionDoesNotWaitForATaskThatIgnoresIt) {
  auto gate = std::make_shared<Gate>();
  auto done = std::make_shared<std::atomic<bool>>(false);
  {
    HandlerPool pool(2, 2);
    ASSERT_TRUE(pool.try_submit([gate, done] {
      gate->enter();
      *done = true;
    }));
    ASSERT_TRUE(pool.try_submit([] {}));
    ASSERT_TRUE(gate->wait_entered(1));
  }  // returns with the first task still held by the gate
  EXPECT_FALSE(*done);
  gate->open();
  EXPECT_TRUE(eventually([&] { return done->load(); }));
}

TEST(HandlerPoolTest, ATaskThatThrowsDoesNotEndItsThread) {
  HandlerPool pool(1, 1);
  ASSERT_TRUE(pool.try_submit([] { throw std::runtime_error("boom"); }));
  std::atomic<bool> ran{false};
  ASSERT_TRUE(eventually([&] { return pool.pending() == 0; }));
  ASSERT_TRUE(pool.try_submit([&ran] { ran = true; }));
  EXPECT_TRUE(eventually([&] { return ran.load(); }));
  EXPECT_EQ(pool.threads(), 1u);
}

}  // namespace
}  // namespace fastchat::http
