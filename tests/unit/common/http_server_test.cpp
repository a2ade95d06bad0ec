#include "common/http/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/http/http_client.h"

namespace fastchat::http {
namespace {

using namespace std::chrono_literals;

// A raw client socket, for what the HTTP client never does (stalling, half requests).
class RawSocket {
 public:
  explicit RawSocket(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawSocket() { ::close(fd_); }
  bool connected() const { return connected_; }
  void send(const std::string& data) {
    ASSERT_EQ(::send(fd_, data.data(), data.size(), 0), (ssize_t)data.size());
  }
  // Reads until `needle` shows up, EOF or the 5 s receive timeout.
  std::string read_until(const std::string& needle) {
    std::string out;
    char buf[4096];
    while (out.find(needle) == std::string::npos) {
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) break;
      out.append(buf, n);
    }
    return out;
  }
  bool closed_by_peer() {
    char buf[256];
    for (int i = 0; i < 100; ++i) {
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n == 0) return true;
      if (n < 0) return false;
    }
    return false;
  }
  void set_receive_buffer(int bytes) {
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
  }

 private:
  int fd_;
  bool connected_ = false;
};

std::string piece(int i) {
  std::string out = std::to_string(i);
  out.insert(out.begin(), 'c');
  out.push_back(';');
  return out;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions options = {}) {
    options.port = 0;
    server_ = std::make_unique<HttpServer>(options, router_);
    server_->start();
    url_.host = "127.0.0.1";
    url_.port = server_->port();
  }
  void TearDown() override {
    if (server_) server_->stop();
  }

  std::shared_ptr<Router> router_ = std::make_shared<Router>();
  std::unique_ptr<HttpServer> server_;
  Url url_;
};

TEST_F(HttpServerTest, InlineAndBlockingHandlersAnswer) {
  router_->add("GET", "/hello", [](const Request& r, Responder& out) {
    out.send(Response::json(200, {{"path", r.target}}));
  });
  router_->add(
      "POST", "/echo",
      [](const Request& r, Responder& out) { out.send(Response::text(200, r.body)); },
      Execution::Blocking);
  start();
  auto hello = send_request(url_, "GET", "/hello?x=1", "");
  EXPECT_EQ(hello.status, 200);
  EXPECT_EQ(nlohmann::json::parse(hello.body)["path"], "/hello?x=1");
  auto echo = post_json(url_, "/echo", R"({"a":1})");
  EXPECT_EQ(echo.body, R"({"a":1})");
  EXPECT_EQ(send_request(url_, "GET", "/missing", "").status, 404);
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  router_->add("GET", "/n",
               [](const Request&, Responder& out) { out.send(Response::text(200, "ok")); });
  start();
  RawSocket socket(url_.port);
  ASSERT_TRUE(socket.connected());
  for (int i = 0; i < 3; ++i) {
    socket.send("GET /n HTTP/1.1\r\nHost: x\r\n\r\n");
    auto reply = socket.read_until("\r\n\r\nok");
    EXPECT_NE(reply.find("200 OK"), std::string::npos) << i;
  }
}

TEST_F(HttpServerTest, BodyOverTheLimitIs413WithTheServicesErrorShape) {
  router_->add("POST", "/echo",
               [](const Request& r, Responder& out) { out.send(Response::text(200, r.body)); });
  ServerOptions options;
  options.max_body_bytes = 1024;
  start(options);
  auto response = post_json(url_, "/echo", std::string(4096, 'x'));
  EXPECT_EQ(response.status, 413);
  auto body = nlohmann::json::parse(response.body);
  EXPECT_NE(body["error"]["message"].get<std::string>().find("1024"), std::string::npos);
  EXPECT_EQ(post_json(url_, "/echo", std::string(1000, 'y')).status, 200);
}

TEST_F(HttpServerTest, MalformedRequestIs400AndOversizedHeadersAre431) {
  ServerOptions options;
  options.max_header_bytes = 1024;
  start(options);
  {
    RawSocket socket(url_.port);
    socket.send("THIS IS NOT HTTP\r\n\r\n");
    EXPECT_NE(socket.read_until("}").find("400 Bad Request"), std::string::npos);
  }
  RawSocket socket(url_.port);
  socket.send("GET / HTTP/1.1\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
  EXPECT_NE(socket.read_until("}").find("431"), std::string::npos);
}

TEST_F(HttpServerTest, StreamsChunksInOrder) {
  router_->add(
      "POST", "/stream",
      [](const Request&, Responder& out) {
        auto stream = out.stream(200, "text/event-stream");
        for (int i = 0; i < 50; ++i) ASSERT_TRUE(stream->write(piece(i)));
        stream->close();
      },
      Execution::Blocking);
  start();
  std::string received;
  int content_type_seen = 0;
  int status = stream_request(
      url_, "POST", "/stream", "{}", {},
      [&](int, const Headers& h) {
        content_type_seen = find_header(h, "content-type") == "text/event-stream";
        return true;
      },
      [&](std::string_view data) {
        received.append(data);
        return true;
      });
  EXPECT_EQ(status, 200);
  EXPECT_EQ(content_type_seen, 1);
  std::string expected;
  for (int i = 0; i < 50; ++i) expected += piece(i);
  EXPECT_EQ(received, expected);
  // The connection is reusable afterwards and another exchange works.
  EXPECT_EQ(send_request(url_, "POST", "/stream", "").status, 200);
}

TEST_F(HttpServerTest, ClientDisconnectIsReportedToTheProducer) {
  std::promise<void> gone;
  auto gone_future = gone.get_future();
  std::atomic<bool> write_failed{false};
  router_->add(
      "POST", "/stream",
      [&](const Request&, Responder& out) {
        auto stream = out.stream(200, "text/plain");
        stream->on_client_gone([&] { gone.set_value(); });
        stream->write("first");
        // Wait like a producer blocked on the engine: only the callback can wake us.
        if (gone_future.wait_for(5s) == std::future_status::ready) {
          write_failed = !stream->write("late");
        }
      },
      Execution::Blocking);
  start();
  stream_request(
      url_, "POST", "/stream", "", {}, [](int, const Headers&) { return true; },
      [](std::string_view) { return false; });
  EXPECT_EQ(gone_future.wait_for(5s), std::future_status::ready);
  for (int i = 0; i < 100 && !write_failed; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(write_failed);
}

TEST_F(HttpServerTest, StalledClientMakesWritesFailAfterTheTimeout) {
  std::promise<int> writes_until_failure;
  router_->add(
      "GET", "/flood",
      [&](const Request&, Responder& out) {
        auto stream = out.stream(200, "text/plain");
        std::string chunk(64 * 1024, 'z');
        int i = 0;
        for (; i < 2000; ++i) {
          if (!stream->write(chunk)) break;
        }
        writes_until_failure.set_value(i);
      },
      Execution::Blocking);
  ServerOptions options;
  options.write_timeout = 300ms;
  options.max_queued_stream_bytes = 128 * 1024;
  start(options);
  RawSocket socket(url_.port);
  socket.set_receive_buffer(4096);
  socket.send("GET /flood HTTP/1.1\r\nHost: x\r\n\r\n");  // and never read
  auto future = writes_until_failure.get_future();
  ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
  EXPECT_LT(future.get(), 2000);
}

TEST_F(HttpServerTest, DrainKeepsServingClosesConnectionsAndWaitsForStreamsInFlight) {
  std::promise<void> release;
  auto released = release.get_future().share();
  std::promise<void> streaming;
  router_->add("GET", "/n",
               [](const Request&, Responder& out) { out.send(Response::text(200, "ok")); });
  router_->add(
      "POST", "/stream",
      [&, released](const Request&, Responder& out) {
        auto stream = out.stream(200, "text/plain");
        stream->write("first;");
        streaming.set_value();
        (void)released.wait_for(5s);
        stream->write("last;");
      },
      Execution::Blocking);
  start();
  EXPECT_EQ(server_->in_flight(), 0u);
  EXPECT_TRUE(server_->wait_idle(std::chrono::steady_clock::now()));
  std::string received;
  std::thread client([&] {
    stream_request(
        url_, "POST", "/stream", "{}", {}, [](int, const Headers&) { return true; },
        [&](std::string_view data) {
          received.append(data);
          return true;
        });
  });
  ASSERT_EQ(streaming.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_EQ(server_->in_flight(), 1u);
  server_->begin_drain();
  EXPECT_FALSE(server_->wait_idle(std::chrono::steady_clock::now() + 100ms));
  // Still accepting and answering during the drain, but every answer closes its connection.
  RawSocket socket(url_.port);
  ASSERT_TRUE(socket.connected());
  socket.send("GET /n HTTP/1.1\r\nHost: x\r\n\r\n");
  auto reply = socket.read_until("\r\n\r\nok");
  EXPECT_NE(reply.find("200 OK"), std::string::npos);
  EXPECT_NE(reply.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(socket.closed_by_peer());
  release.set_value();
  EXPECT_TRUE(server_->wait_idle(std::chrono::steady_clock::now() + 5s));
  EXPECT_EQ(server_->in_flight(), 0u);
  client.join();
  EXPECT_EQ(received, "first;last;");
}

TEST_F(HttpServerTest, StopCutsAStreamAndTellsItsProducerAtOnce) {
  std::promise<void> gone;
  auto gone_future = gone.get_future();
  std::promise<void> streaming;
  router_->add(
      "POST", "/stream",
      [&](const Request&, Responder& out) {
        auto stream = out.stream(200, "text/plain");
        stream->on_client_gone([&] { gone.set_value(); });
        stream->write("first;");
        streaming.set_value();
        (void)gone_future.wait_for(5s);  // a producer blocked elsewhere: only the callback wakes it
      },
      Execution::Blocking);
  start();
  std::thread client([&] {
    try {
      stream_request(
          url_, "POST", "/stream", "{}", {}, [](int, const Headers&) { return true; },
          [](std::string_view) { return true; });
    } catch (const ClientError&) {
    }
  });
  ASSERT_EQ(streaming.get_future().wait_for(5s), std::future_status::ready);
  server_->begin_drain();
  EXPECT_FALSE(server_->wait_idle(std::chrono::steady_clock::now() + 50ms));
  auto before = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
  EXPECT_EQ(server_->in_flight(), 0u);
  client.join();
}

TEST_F(HttpServerTest, ConnectionsOverTheCapGet503) {
  router_->add("GET", "/x",
               [](const Request&, Responder& out) { out.send(Response::text(200, "ok")); });
  ServerOptions options;
  options.max_connections = 1;
  start(options);
  RawSocket first(url_.port);
  ASSERT_TRUE(first.connected());
  std::this_thread::sleep_for(50ms);  // let the server accept the first
  auto second = send_request(url_, "GET", "/x", "");
  EXPECT_EQ(second.status, 503);
  EXPECT_EQ(find_header(second.headers, "retry-after").value_or(""), "1");
}

TEST_F(HttpServerTest, SlowRequestIsCutOffByTheReadTimeout) {
  ServerOptions options;
  options.read_timeout = 200ms;
  start(options);
  RawSocket socket(url_.port);
  socket.send("GET / HTTP/1.1\r\nHost: x\r\n");  // headers never finish
  EXPECT_TRUE(socket.closed_by_peer());
}

TEST_F(HttpServerTest, ClientTimeoutsAndCapsAreErrorsNotHangs) {
  router_->add(
      "GET", "/slow",
      [](const Request&, Responder& out) {
        std::this_thread::sleep_for(1s);
        out.send(Response::text(200, "late"));
      },
      Execution::Blocking);
  router_->add("GET", "/big", [](const Request&, Responder& out) {
    out.send(Response::text(200, std::string(100000, 'b')));
  });
  start();
  ClientOptions quick;
  quick.read_timeout = 200ms;
  try {
    send_request(url_, "GET", "/slow", "", quick);
    FAIL();
  } catch (const ClientError& e) {
    EXPECT_EQ(e.error().code, ErrorCode::UpstreamTimeout);
    EXPECT_TRUE(e.connected());
  }
  ClientOptions capped;
  capped.max_response_bytes = 1000;
  EXPECT_THROW(send_request(url_, "GET", "/big", "", capped), ClientError);

  Url closed = url_;
  server_->stop();
  try {
    send_request(closed, "GET", "/big", "");
    FAIL();
  } catch (const ClientError& e) {
    EXPECT_EQ(e.error().code, ErrorCode::UpstreamFailed);
    EXPECT_FALSE(e.connected());
  }
}

}  // namespace
}  // namespace fastchat::http
