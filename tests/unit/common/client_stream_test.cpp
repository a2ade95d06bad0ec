// ClientStream's two ways of reading a body (blocking read() and the non-blocking
// receive_available() + next_buffered() a poller uses), against raw scripted peers.

#include "common/http/client_stream.h"

#include <poll.h>

#include <chrono>
#include <future>

#include <gtest/gtest.h>

#include "raw_http_peer.h"

namespace fastchat::http {
namespace {

using fastchat::testing::RawHttpPeer;
using namespace std::chrono_literals;

Url url_of(const RawHttpPeer& peer) { return Url::parse(peer.address(), "test"); }

// Reads everything without blocking reads: waits for readiness with poll(), as a poller would.
std::string read_without_blocking(ClientStream& stream, int max_rounds = 500) {
  std::string body;
  for (int round = 0; round < max_rounds && !stream.done(); ++round) {
    while (auto piece = stream.next_buffered()) body.append(*piece);
    if (stream.done()) break;
    pollfd p{stream.native_handle(), POLLIN, 0};
    ::poll(&p, 1, 20);
    stream.receive_available();
  }
  return body;
}

TEST(ClientStreamTest, ReadsAChunkedBodyAsItArrivesWithoutBlocking) {
  std::promise<void> go;
  auto gate = go.get_future().share();
  RawHttpPeer peer([gate](int fd) {
    RawHttpPeer::write_all(fd, std::string(RawHttpPeer::kChunkedHead) + RawHttpPeer::chunk("one "));
    gate.wait();  // the client has seen the first chunk and found nothing more
    RawHttpPeer::write_all(fd, RawHttpPeer::chunk("two ") + RawHttpPeer::chunk("three"));
    RawHttpPeer::write_all(fd, RawHttpPeer::kLastChunk);
  });
  ClientStream stream(url_of(peer), "POST", "/x", "{}", {});
  EXPECT_EQ(stream.status(), 200);
  std::string body;
  for (int i = 0; i < 500 && body.size() < 4; ++i) {
    while (auto piece = stream.next_buffered()) body.append(*piece);
    if (body.size() < 4) {
      std::this_thread::sleep_for(5ms);
      stream.receive_available();
    }
  }
  EXPECT_EQ(body, "one ");
  EXPECT_FALSE(stream.next_buffered());      // nothing buffered: a caller goes back to polling
  EXPECT_FALSE(stream.receive_available());  // and nothing on the socket: no waiting either
  EXPECT_FALSE(stream.done());
  go.set_value();
  body += read_without_blocking(stream);
  EXPECT_EQ(body, "one two three");
  EXPECT_TRUE(stream.done());
}

TEST(ClientStreamTest, BlockingAndNonBlockingReadsShareOneParser) {
  RawHttpPeer peer([](int fd) {
    std::string all = RawHttpPeer::kChunkedHead;
    for (int i = 0; i < 20; ++i) all += RawHttpPeer::chunk("piece" + std::to_string(i) + ";");
    RawHttpPeer::write_all(fd, all + RawHttpPeer::kLastChunk);
  });
  ClientStream stream(url_of(peer), "GET", "/x", "", {});
  std::string body;
  // Alternate: a blocking read, then whatever is buffered, until the end.
  for (int i = 0; i < 100 && !stream.done(); ++i) {
    body.append(stream.read());
    if (auto piece = stream.next_buffered()) body.append(*piece);
  }
  std::string expected;
  for (int i = 0; i < 20; ++i) expected += "piece" + std::to_string(i) + ";";
  EXPECT_EQ(body, expected);
  EXPECT_TRUE(stream.done());
}

TEST(ClientStreamTest, ABodyEndedByClosingTheConnectionIsComplete) {
  RawHttpPeer peer([](int fd) {
    RawHttpPeer::write_all(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
  });
  ClientStream stream(url_of(peer), "GET", "/x", "", {});
  EXPECT_EQ(read_without_blocking(stream), "until the end");
  EXPECT_TRUE(stream.done());
}

TEST(ClientStreamTest, AChunkedBodyCutShortIsAnError) {
  RawHttpPeer peer([](int fd) {
    RawHttpPeer::write_all(fd,
                           std::string(RawHttpPeer::kChunkedHead) + RawHttpPeer::chunk("partial"));
  });  // closes without the last chunk
  ClientStream stream(url_of(peer), "POST", "/x", "{}", {});
  try {
    read_without_blocking(stream);
    FAIL() << "a truncated body was accepted";
  } catch (const ClientError& e) {
    EXPECT_EQ(e.error().code, ErrorCode::UpstreamFailed);
    EXPECT_NE(e.error().message.find("POST http://127.0.0.1:"), std::string::npos)
        << e.error().message;
    EXPECT_TRUE(e.connected());
  }
}

TEST(ClientStreamTest, TheSizeCapAppliesToNonBlockingReads) {
  RawHttpPeer peer([](int fd) {
    std::string all = RawHttpPeer::kChunkedHead;
    for (int i = 0; i < 10; ++i) all += RawHttpPeer::chunk(std::string(100, 'x'));
    RawHttpPeer::write_all(fd, all + RawHttpPeer::kLastChunk);
  });
  ClientOptions options;
  options.max_response_bytes = 450;
  ClientStream stream(url_of(peer), "GET", "/x", "", options);
  try {
    read_without_blocking(stream);
    FAIL() << "the cap was not applied";
  } catch (const ClientError& e) {
    EXPECT_EQ(e.error().code, ErrorCode::UpstreamFailed);
  }
}

TEST(ClientStreamTest, ABlockingReadTimesOutOnASilentPeer) {
  std::promise<void> release;
  auto released = release.get_future().share();
  RawHttpPeer peer([released](int fd) {
    RawHttpPeer::write_all(fd, RawHttpPeer::kChunkedHead);
    released.wait_for(5s);
  });
  ClientOptions options;
  options.read_timeout = 200ms;
  ClientStream stream(url_of(peer), "GET", "/x", "", options);
  try {
    for (int i = 0; i < 10 && !stream.done(); ++i) stream.read();
    FAIL() << "no timeout";
  } catch (const ClientError& e) {
    EXPECT_EQ(e.error().code, ErrorCode::UpstreamTimeout);
  }
  release.set_value();
}

}  // namespace
}  // namespace fastchat::http
