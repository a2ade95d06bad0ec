// StreamPoller: many streams read on one thread as their bytes arrive, handed back on a
// consumer's Yield, stopped on cancellation while silent, timed out, and given back when the
// poller goes away.

#include "common/http/stream_poller.h"

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "raw_http_peer.h"

namespace fastchat::http {
namespace {

using fastchat::testing::RawHttpPeer;
using namespace std::chrono_literals;

constexpr auto kTimeout = std::chrono::milliseconds(10000);

std::string numbered(int i) { return "<" + std::to_string(i) + ">"; }

// Sends `count` chunks with a short pause between them, then ends the body.
RawHttpPeer::Script paced_chunks(int count) {
  return [count](int fd) {
    if (!RawHttpPeer::write_all(fd, RawHttpPeer::kChunkedHead)) return;
    for (int i = 0; i < count; ++i) {
      if (!RawHttpPeer::write_all(fd, RawHttpPeer::chunk(numbered(i)))) return;
      std::this_thread::sleep_for(2ms);
    }
    RawHttpPeer::write_all(fd, RawHttpPeer::kLastChunk);
  };
}

TEST(StreamPollerTest, FollowsManyStreamsAtOnceOnItsOwnThread) {
  constexpr int kStreams = 16;
  constexpr int kChunks = 40;
  RawHttpPeer peer(paced_chunks(kChunks));
  StreamPoller poller;
  std::vector<std::string> bodies(kStreams);
  std::vector<StreamPoller::Outcome> outcomes(kStreams);
  std::atomic<int> pieces_on_callers{0};
  std::vector<std::thread> callers;
  for (int s = 0; s < kStreams; ++s) {
    callers.emplace_back([&, s] {
      ClientStream stream(Url::parse(peer.address(), "test"), "GET", "/", "", {});
      const auto caller = std::this_thread::get_id();
      PieceConsumer consumer{[&](std::string_view piece) {
        if (std::this_thread::get_id() == caller) ++pieces_on_callers;
        bodies[static_cast<size_t>(s)].append(piece);
        return PieceVerdict::Continue;
      }};
      outcomes[static_cast<size_t>(s)] = poller.follow(stream, consumer, kTimeout);
    });
  }
  for (auto& t : callers) t.join();
  std::string expected;
  for (int i = 0; i < kChunks; ++i) expected += numbered(i);
  for (int s = 0; s < kStreams; ++s) {
    EXPECT_EQ(outcomes[static_cast<size_t>(s)], StreamPoller::Outcome::Ended);
    EXPECT_EQ(bodies[static_cast<size_t>(s)], expected) << "stream " << s;
  }
  // Only bytes already buffered at follow() time are handed over on the caller's thread.
  EXPECT_LT(pieces_on_callers.load(), kStreams * kChunks / 4);
}

TEST(StreamPollerTest, AYieldingConsumerGetsTheStreamBackToReadOnItself) {
  RawHttpPeer peer(paced_chunks(10));
  StreamPoller poller;
  ClientStream stream(Url::parse(peer.address(), "test"), "GET", "/", "", {});
  std::string body;
  PieceConsumer consumer{[&](std::string_view piece) {
    body.append(piece);
    return body.size() >= 6 ? PieceVerdict::Yield : PieceVerdict::Continue;
  }};
  EXPECT_EQ(poller.follow(stream, consumer, kTimeout), StreamPoller::Outcome::Yielded);
  EXPECT_GE(body.size(), 6u);
  for (int i = 0; i < 100 && !stream.done(); ++i) body.append(stream.read());
  std::string expected;
  for (int i = 0; i < 10; ++i) expected += numbered(i);
  EXPECT_EQ(body, expected);
}

TEST(StreamPollerTest, CancellationStopsASilentStreamAndTheCallerClosesIt) {
  std::promise<bool> client_closed;
  RawHttpPeer peer([&](int fd) {
    RawHttpPeer::write_all(fd,
                           std::string(RawHttpPeer::kChunkedHead) + RawHttpPeer::chunk("first"));
    client_closed.set_value(RawHttpPeer::wait_client_closed(fd, 10000));
  });
  StreamPoller poller;
  std::atomic<bool> cancelled{false};
  std::atomic<bool> got_first{false};
  {
    ClientStream stream(Url::parse(peer.address(), "test"), "GET", "/", "", {});
    PieceConsumer consumer{[&](std::string_view) {
                             got_first = true;
                             return PieceVerdict::Continue;
                           },
                           [&] { return cancelled.load(); }};
    auto follow =
        std::async(std::launch::async, [&] { return poller.follow(stream, consumer, kTimeout); });
    for (int i = 0; i < 500 && !got_first; ++i) std::this_thread::sleep_for(10ms);
    ASSERT_TRUE(got_first);
    cancelled = true;  // the peer stays silent: only the poller's sweep can notice this
    ASSERT_EQ(follow.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(follow.get(), StreamPoller::Outcome::Stopped);
  }
  EXPECT_TRUE(client_closed.get_future().get());
}

TEST(StreamPollerTest, ASilentStreamTimesOut) {
  std::promise<void> release;
  auto released = release.get_future().share();
  RawHttpPeer peer([released](int fd) {
    RawHttpPeer::write_all(fd, RawHttpPeer::kChunkedHead);
    released.wait_for(10s);
  });
  StreamPoller poller;
  ClientStream stream(Url::parse(peer.address(), "test"), "GET", "/", "", {});
  PieceConsumer consumer{[](std::string_view) { return PieceVerdict::Continue; }};
  try {
    poller.follow(stream, consumer, 300ms);
    FAIL() << "no timeout";
  } catch (const ClientError& e) {
    EXPECT_EQ(e.error().code, ErrorCode::UpstreamTimeout);
    EXPECT_NE(e.error().message.find("timed out"), std::string::npos) << e.error().message;
  }
  release.set_value();
}

TEST(StreamPollerTest, WhatAConsumerThrowsReachesItsCallerAndOthersGoOn) {
  RawHttpPeer peer(paced_chunks(30));
  StreamPoller poller;
  auto failing = std::async(std::launch::async, [&] {
    ClientStream stream(Url::parse(peer.address(), "test"), "GET", "/", "", {});
    PieceConsumer consumer{[](std::string_view) -> PieceVerdict {
      throw ErrorException(Error{ErrorCode::UpstreamFailed, "bad piece", ""});
    }};
    return poller.follow(stream, consumer, kTimeout);
  });
  std::string body;
  ClientStream stream(Url::parse(peer.address(), "test"), "GET", "/", "", {});
  PieceConsumer consumer{[&](std::string_view piece) {
    body.append(piece);
    return PieceVerdict::Continue;
  }};
  EXPECT_EQ(poller.follow(stream, consumer, kTimeout), StreamPoller::Outcome::Ended);
  EXPECT_THROW(failing.get(), ErrorException);
  EXPECT_EQ(body.size(), 30u * 3 + 20u);  // "<0>".."<9>" are 3 bytes, "<10>".."<29>" 4
}

TEST(StreamPollerTest, DestructionGivesFollowedStreamsBackWithAnError) {
  std::promise<void> release;
  auto released = release.get_future().share();
  RawHttpPeer peer([released](int fd) {
    RawHttpPeer::write_all(fd, std::string(RawHttpPeer::kChunkedHead) + RawHttpPeer::chunk("x"));
    released.wait_for(10s);
  });
  auto poller = std::make_unique<StreamPoller>();
  std::atomic<bool> got_first{false};
  auto follow = std::async(std::launch::async, [&] {
    ClientStream stream(Url::parse(peer.address(), "test"), "GET", "/", "", {});
    PieceConsumer consumer{[&](std::string_view) {
      got_first = true;
      return PieceVerdict::Continue;
    }};
    return poller->follow(stream, consumer, kTimeout);
  });
  for (int i = 0; i < 500 && !got_first; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(got_first);
  std::this_thread::sleep_for(50ms);  // the caller is now waiting on the poller
  poller.reset();
  ASSERT_EQ(follow.wait_for(5s), std::future_status::ready);
  try {
    follow.get();
    FAIL() << "the follow survived its poller";
  } catch (const ClientError& e) {
    EXPECT_EQ(e.error().code, ErrorCode::Unavailable);
  }
  release.set_value();
}

}  // namespace
}  // namespace fastchat::http
