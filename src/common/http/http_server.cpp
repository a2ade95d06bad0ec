#include "common/http/http_server.h"

#include <thread>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/ip/tcp.hpp>

#include "common/http/session.h"
#include "common/http/url.h"

namespace fastchat::http {

namespace http_ns = beast::http;
using tcp = asio::ip::tcp;

struct HttpServer::Impl {
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::shared_ptr<ServerContext> context = std::make_shared<ServerContext>();
  // Destroyed before the I/O context: its threads are idle by then (stop() waited for them).
  std::unique_ptr<HandlerPool> handler_pool;
  std::vector<std::thread> threads;
  bool started = false;
  bool stopped = false;

  void do_accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == asio::error::operation_aborted || context->stopping) return;
        spdlog::warn("accept failed: {}", ec.message());
      } else {
        on_accept(std::move(socket));
      }
      do_accept();
    });
  }

  void on_accept(tcp::socket socket) {
    if (context->connections.fetch_add(1) >= context->options.max_connections) {
      context->connections.fetch_sub(1);
      refuse(std::move(socket));
      return;
    }
    // Streamed tokens are small writes each; Nagle's algorithm would hold one back until the
    // previous one is acknowledged.
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::make_shared<Session>(std::move(socket), context)->start();
  }

  // Over the connection cap: a short 503 with the service's error body, written without
  // waiting for the request (its content does not matter), then close.
  void refuse(tcp::socket socket) {
    auto response = context->router->render(
        Error{ErrorCode::Unavailable,
              "too many connections (limit " + std::to_string(context->options.max_connections) +
                  "); retry later",
              ""});
    auto message = std::make_shared<http_ns::response<http_ns::string_body>>(
        http_ns::status::service_unavailable, 11);
    message->set(http_ns::field::content_type, response.content_type);
    message->set(http_ns::field::retry_after, "1");
    message->body() = response.body;
    message->keep_alive(false);
    message->prepare_payload();
    auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
    stream->expires_after(std::chrono::seconds(2));
    http_ns::async_write(*stream, *message, [stream, message](beast::error_code, size_t) {
      beast::error_code ignored;
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
    });
  }
};

HttpServer::HttpServer(ServerOptions options, std::shared_ptr<const Router> router)
    : impl_(std::make_unique<Impl>()) {
  impl_->context->options = std::move(options);
  impl_->context->router = std::move(router);
  const auto& opts = impl_->context->options;
  impl_->handler_pool = std::make_unique<HandlerPool>(opts.handler_threads, opts.handler_queue);
  impl_->context->handler_pool = impl_->handler_pool.get();
  auto where = opts.host + ":" + std::to_string(opts.port);
  beast::error_code ec;
  auto address = asio::ip::make_address(opts.host == "localhost" ? "127.0.0.1" : opts.host, ec);
  if (ec) {
    throw_error(
        ErrorCode::InvalidConfig,
        "--host must be an IP address such as 127.0.0.1 or 0.0.0.0, got '" + opts.host + "'",
        "host");
  }
  tcp::endpoint endpoint(address, opts.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw_error(ErrorCode::InvalidConfig, "cannot listen on " + where + ": " + ec.message(),
                "port");
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
  if (impl_->started) return;
  impl_->started = true;
  impl_->do_accept();
  int n = std::max(1, impl_->context->options.io_threads);
  for (int i = 0; i < n; ++i) impl_->threads.emplace_back([this] { impl_->ioc.run(); });
}

void HttpServer::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  auto& context = *impl_->context;
  context.stopping = true;
  asio::post(impl_->ioc, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(context.mutex);
    for (auto& [_, weak] : context.sessions) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  for (auto& session : open) session->shutdown();
  open.clear();
  // Requests still waiting for a handler thread are cut like the ones in flight: their
  // connections are closing.
  impl_->handler_pool->close();
  {
    // Running handlers see their streams fail and return; bounded so a stuck one cannot hang us.
    std::unique_lock lock(context.mutex);
    context.idle.wait_for(lock, std::chrono::seconds(10),
                          [&] { return context.blocking_handlers == 0; });
  }
  impl_->ioc.stop();
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
  // The posted close may not have run before ioc.stop(); no thread runs the context now.
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
}

void HttpServer::begin_drain() { impl_->context->draining = true; }

size_t HttpServer::in_flight() const {
  std::lock_guard lock(impl_->context->mutex);
  return impl_->context->requests_in_flight;
}

bool HttpServer::wait_idle(std::chrono::steady_clock::time_point deadline) const {
  auto& context = *impl_->context;
  std::unique_lock lock(context.mutex);
  return context.idle.wait_until(lock, deadline, [&] {
    return context.requests_in_flight == 0 && context.blocking_handlers == 0;
  });
}

uint16_t HttpServer::port() const {
  beast::error_code ec;
  auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

std::string HttpServer::url() const {
  return Url{impl_->context->options.host, port(), ""}.to_string();
}

const ServerOptions& HttpServer::options() const { return impl_->context->options; }

size_t HttpServer::active_connections() const { return impl_->context->connections.load(); }

size_t HttpServer::handler_threads() const { return impl_->handler_pool->threads(); }

}  // namespace fastchat::http
