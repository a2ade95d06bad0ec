#include "common/http/session.h"

#include <string>

#include <spdlog/spdlog.h>

#include "common/http/chunked_stream.h"

namespace fastchat::http {

namespace http_ns = beast::http;

namespace {

// What the producer holds: closing on destruction guarantees every stream ends properly even
// when a handler returns early or throws.
class StreamHandle : public ResponseStream {
 public:
  explicit StreamHandle(std::shared_ptr<ChunkedStream> stream) : stream_(std::move(stream)) {}
  ~StreamHandle() override { stream_->close(); }
  bool write(std::string chunk) override { return stream_->write(std::move(chunk)); }
  void close() override { stream_->close(); }
  bool client_gone() const override { return stream_->client_gone(); }
  bool congested() const override { return stream_->congested(); }
  void on_client_gone(std::function<void()> callback) override {
    stream_->on_client_gone(std::move(callback));
  }

 private:
  std::shared_ptr<ChunkedStream> stream_;
};

class SessionResponder : public Responder {
 public:
  SessionResponder(std::shared_ptr<Session> session, bool keep_alive)
      : session_(std::move(session)), keep_alive_(keep_alive) {}

  void send(Response response) override {
    responded_ = true;
    session_->send(std::move(response));
  }
  std::shared_ptr<ResponseStream> stream(int status, std::string content_type,
                                         Headers headers) override {
    responded_ = true;
    auto stream = std::make_shared<ChunkedStream>(session_, status, std::move(content_type),
                                                  std::move(headers), keep_alive_);
    session_->begin_stream(stream);
    return std::make_shared<StreamHandle>(std::move(stream));
  }
  bool responded() const override { return responded_; }

 private:
  std::shared_ptr<Session> session_;
  bool keep_alive_;
  bool responded_ = false;
};

// A blocking request on its way through the handler pool, counted in
// ServerContext::blocking_handlers from creation to destruction, whether it ran or was dropped
// unrun (queue full, server stopping). The responder holds the session, whose socket belongs to
// the server's I/O context: it goes before the count drops, since stop() tears the server down
// once the count reads zero.
class BlockingJob {
 public:
  BlockingJob(std::shared_ptr<ServerContext> context, const Router::Route& route, Request request,
              std::shared_ptr<SessionResponder> responder)
      : context_(std::move(context)),
        route_(route),
        request_(std::move(request)),
        responder_(std::move(responder)) {
    std::lock_guard lock(context_->mutex);
    ++context_->blocking_handlers;
  }
  ~BlockingJob() {
    responder_.reset();
    std::lock_guard lock(context_->mutex);
    --context_->blocking_handlers;
    context_->idle.notify_all();
  }
  BlockingJob(const BlockingJob&) = delete;
  BlockingJob& operator=(const BlockingJob&) = delete;

  void run() { context_->router->invoke(route_, request_, *responder_); }

 private:
  std::shared_ptr<ServerContext> context_;
  const Router::Route& route_;
  Request request_;
  std::shared_ptr<SessionResponder> responder_;
};

// Every handler thread is taken and the queue in front of them is full: a 503 at once, in the
// service's error shape, rather than a wait of unknown length.
Response busy_response(const ServerContext& context) {
  const auto& options = context.options;
  auto response = context.router->render(
      Error{ErrorCode::Unavailable,
            "server busy: " + std::to_string(options.handler_threads) +
                " requests are being handled and " + std::to_string(options.handler_queue) +
                " are waiting; retry later",
            ""});
  response.status = 503;
  if (!find_header(response.headers, "Retry-After")) {
    response.headers.emplace_back("Retry-After", "1");
  }
  return response;
}

std::string remote_of(const asio::ip::tcp::socket& socket) {
  beast::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  return ec ? std::string("unknown") : endpoint.address().to_string();
}

}  // namespace

Session::Session(asio::ip::tcp::socket&& socket, std::shared_ptr<ServerContext> context)
    : stream_(std::move(socket)), context_(std::move(context)) {
  remote_ = remote_of(stream_.socket());
}

Session::~Session() {
  end_request();
  std::lock_guard lock(context_->mutex);
  context_->sessions.erase(this);
  context_->connections.fetch_sub(1);
}

void Session::begin_request() {
  if (in_request_) return;
  in_request_ = true;
  std::lock_guard lock(context_->mutex);
  ++context_->requests_in_flight;
}

void Session::end_request() {
  if (!in_request_) return;
  in_request_ = false;
  std::lock_guard lock(context_->mutex);
  --context_->requests_in_flight;
  context_->idle.notify_all();
}

void Session::start() {
  {
    std::lock_guard lock(context_->mutex);
    context_->sessions.emplace(this, weak_from_this());
  }
  post([self = shared_from_this()] { self->do_read(); });
}

void Session::shutdown() {
  post([self = shared_from_this()] { self->close(); });
}

void Session::do_read() {
  if (context_->stopping) return close();
  parser_.emplace();
  parser_->body_limit(context_->options.max_body_bytes);
  parser_->header_limit(static_cast<uint32_t>(context_->options.max_header_bytes));
  stream_.expires_after(context_->options.read_timeout);
  http_ns::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::on_read, shared_from_this()));
}

void Session::on_read(beast::error_code ec, size_t) {
  if (ec == http_ns::error::end_of_stream || ec == asio::error::operation_aborted ||
      ec == beast::error::timeout || ec == asio::error::eof ||
      ec == asio::error::connection_reset) {
    return close();
  }
  if (ec == http_ns::error::body_limit) {
    return reject(413, Error{ErrorCode::PayloadTooLarge,
                             "request body exceeds the limit of " +
                                 std::to_string(context_->options.max_body_bytes) + " bytes",
                             "body"});
  }
  if (ec == http_ns::error::header_limit) {
    auto error = Error{ErrorCode::InvalidRequest,
                       "request headers exceed the limit of " +
                           std::to_string(context_->options.max_header_bytes) + " bytes",
                       "headers"};
    return reject(431, std::move(error));
  }
  if (ec) {
    return reject(400,
                  Error{ErrorCode::InvalidRequest, "malformed HTTP request: " + ec.message(), ""});
  }
  auto message = parser_->release();
  keep_alive_ = message.keep_alive();
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.path = request.target.substr(0, request.target.find('?'));
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  request.remote_address = remote_;
  route(std::move(request));
}

void Session::reject(int status, Error error) {
  keep_alive_ = false;
  auto response = context_->router->render(error);
  response.status = status;
  send(std::move(response));
}

void Session::route(Request request) {
  stream_.expires_never();  // a handler may take long; writes set their own deadlines
  begin_request();
  auto responder = std::make_shared<SessionResponder>(
      shared_from_this(), keep_alive_ && !context_->draining && !context_->stopping);
  const Router& router = *context_->router;
  const Router::Route* route = router.match(request, *responder);
  if (!route) return;
  if (route->execution == Execution::Inline) {
    router.invoke(*route, request, *responder);
    return;
  }
  auto job = std::make_shared<BlockingJob>(context_, *route, std::move(request), responder);
  // A refused job is gone once try_submit() returns, so the count is right before the 503 goes.
  if (context_->handler_pool->try_submit([job = std::move(job)] { job->run(); })) return;
  responder->send(busy_response(*context_));
}

void Session::send(Response response) {
  post([self = shared_from_this(), response = std::move(response)]() mutable {
    auto message = std::make_shared<http_ns::response<http_ns::string_body>>(
        static_cast<http_ns::status>(response.status), 11);
    message->set(http_ns::field::server, "fastchat-cpp");
    message->set(http_ns::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) message->insert(name, value);
    message->body() = std::move(response.body);
    message->keep_alive(self->keep_alive_ && !self->context_->stopping &&
                        !self->context_->draining);
    message->prepare_payload();
    self->response_ = message;
    self->stream_.expires_after(self->context_->options.write_timeout);
    http_ns::async_write(self->stream_, *message,
                         beast::bind_front_handler(&Session::on_write, self));
  });
}

void Session::on_write(beast::error_code ec, size_t) {
  bool keep_alive = response_ && response_->keep_alive();
  response_.reset();
  end_request();
  if (ec || !keep_alive) return close();
  do_read();
}

void Session::begin_stream(std::shared_ptr<ChunkedStream> stream) {
  post([stream = std::move(stream)] { stream->start(); });
}

void Session::finish_exchange() {
  end_request();
  if (!keep_alive_ || context_->stopping || context_->draining) return close();
  do_read();
}

void Session::close() {
  end_request();  // whatever was still to be written will not be
  beast::error_code ec;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  stream_.socket().close(ec);
}

}  // namespace fastchat::http
