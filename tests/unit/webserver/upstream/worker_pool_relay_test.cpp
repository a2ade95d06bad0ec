// How WorkerPool relays a stream once it has started: on the shared poller thread while the
// sink can take deltas without blocking, on the caller's own thread while it could block,
// and cut (the worker sees the connection close) when the sink cancels during a silence.

#include <atomic>
#include <future>
#include <thread>

#include "worker_pool_fixture.h"

namespace fastchat::upstream {
namespace {

using namespace std::chrono_literals;

// Its own suite name: gtest ties a suite to the fixture type of one translation unit.
class WorkerPoolRelayTest : public WorkerPoolTest {};

// "t<i>", built without operator+ (GCC 12's -Wrestrict misfires on "t" + std::string).
std::string token(int i) {
  std::string text = "t";
  text += std::to_string(i);
  return text;
}

// A worker streaming `count` deltas, a little apart, then a finish.
void add_paced_worker(FakeServer& worker, int count) {
  worker.router->add(
      "POST", "/native/generate",
      [count](const http::Request&, http::Responder& out) {
        auto stream = out.stream(200, "application/x-ndjson");
        for (int i = 0; i < count; ++i) {
          if (!stream->write(delta_line(token(i)))) return;
          std::this_thread::sleep_for(1ms);
        }
        stream->write(delta_line("", "length"));
      },
      http::Execution::Blocking);
  worker.start();
}

std::string expected_text(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += token(i);
  return text;
}

TEST_F(WorkerPoolRelayTest, AfterTheFirstDeltaTheStreamIsReadOnThePoller) {
  FakeServer worker;
  add_paced_worker(worker, 50);
  workers_ = {worker.address()};
  const auto caller = std::this_thread::get_id();
  int on_caller = 0;
  int elsewhere = 0;
  std::string text;
  DeltaSink sink{[&](const protocol::GenerateDelta& d) {
    (std::this_thread::get_id() == caller ? on_caller : elsewhere) += 1;
    text += d.text;
    return true;
  }};
  pool_->generate("m", protocol::GenerateRequest{}, sink);
  EXPECT_EQ(text, expected_text(50));
  EXPECT_GE(on_caller, 1);  // the first delta: a worker failing before it is replaced
  EXPECT_GT(elsewhere, 25);
}

TEST_F(WorkerPoolRelayTest, ASinkThatWouldBlockIsFedOnTheCallersThreadInOrder) {
  FakeServer worker;
  add_paced_worker(worker, 60);
  workers_ = {worker.address()};
  const auto caller = std::this_thread::get_id();
  std::atomic<int> delivered{0};
  int on_caller_while_congested = 0;
  int congested_on_poller = 0;
  std::string text;
  // Congested for deltas 10..39, as a client that stopped reading for a while.
  auto congested = [&] { return delivered >= 10 && delivered < 40; };
  DeltaSink sink{[&](const protocol::GenerateDelta& d) {
                   const bool on_caller = std::this_thread::get_id() == caller;
                   if (congested())
                     (on_caller ? on_caller_while_congested : congested_on_poller) += 1;
                   text += d.text;
                   ++delivered;
                   return true;
                 },
                 congested};
  pool_->generate("m", protocol::GenerateRequest{}, sink);
  EXPECT_EQ(text, expected_text(60));
  EXPECT_EQ(congested_on_poller, 0);  // never a delta the poller thread could have blocked on
  EXPECT_EQ(on_caller_while_congested, 30);
}

TEST_F(WorkerPoolRelayTest, CancellingDuringASilenceEndsTheGenerationAndClosesTheStream) {
  std::promise<bool> stream_cut;
  FakeServer worker;
  worker.router->add(
      "POST", "/native/generate",
      [&](const http::Request&, http::Responder& out) {
        auto stream = out.stream(200, "application/x-ndjson");
        std::promise<void> gone;
        stream->on_client_gone([&] { gone.set_value(); });
        stream->write(delta_line("first"));
        // Silent from here on, like a worker whose request waits in its queue.
        stream_cut.set_value(gone.get_future().wait_for(10s) == std::future_status::ready);
      },
      http::Execution::Blocking);
  worker.start();
  workers_ = {worker.address()};
  std::atomic<bool> cancelled{false};
  std::atomic<int> deltas{0};
  DeltaSink sink{[&](const protocol::GenerateDelta&) {
                   ++deltas;
                   return true;
                 },
                 [] { return false; }, [&] { return cancelled.load(); }};
  auto generation = std::async(std::launch::async, [&] { pool_->generate("m", {}, sink); });
  for (int i = 0; i < 500 && deltas == 0; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(deltas, 1);
  cancelled = true;
  ASSERT_EQ(generation.wait_for(5s), std::future_status::ready);
  generation.get();  // a cancelled generation ends without an error
  EXPECT_TRUE(stream_cut.get_future().get());
}

}  // namespace
}  // namespace fastchat::upstream
