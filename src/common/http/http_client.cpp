#include "common/http/http_client.h"

#include <array>
#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace fastchat::http {

namespace beast = boost::beast;
namespace asio = boost::asio;
namespace http_ns = beast::http;
using tcp = asio::ip::tcp;

namespace {

// One outbound exchange. Operations are asynchronous only so that each has a deadline; the
// private io_context runs on the calling thread, so the call itself is synchronous.
class Exchange {
 public:
  Exchange(const Url& url, std::string_view method, std::string_view path,
           const ClientOptions& options)
      : url_(url), options_(options), stream_(ioc_),
        what_(std::string(method) + " " + url.to_string() + std::string(path)) {
    request_.method_string(std::string(method));
    request_.target(url.base_path + std::string(path));
    request_.version(11);
    request_.set(http_ns::field::host, url.authority());
    request_.set(http_ns::field::user_agent, "fastchat-cpp");
    request_.set(http_ns::field::accept, "*/*");
    for (const auto& [name, value] : options.headers) request_.insert(name, value);
    request_.keep_alive(false);
  }

  void send(std::string body) {
    if (!body.empty() || request_.method() == http_ns::verb::post) {
      request_.set(http_ns::field::content_type, "application/json");
      request_.body() = std::move(body);
    }
    request_.prepare_payload();
    connect();
    beast::error_code ec;
    stream_.expires_after(options_.read_timeout);
    http_ns::async_write(stream_, request_, [&](beast::error_code e, size_t) { ec = e; });
    run();
    if (ec) fail(ec, "sending the request");
  }

  /// Reads the header; the body follows through read_body_piece().
  int read_header() {
    parser_.body_limit(options_.max_response_bytes);
    beast::error_code ec;
    stream_.expires_after(options_.read_timeout);
    http_ns::async_read_header(stream_, buffer_, parser_, [&](beast::error_code e, size_t) { ec = e; });
    run();
    if (ec) fail(ec, "reading the response header");
    for (const auto& field : parser_.get()) {
      headers_.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    return static_cast<int>(parser_.get().result_int());
  }

  const Headers& headers() const { return headers_; }
  bool done() const { return parser_.is_done(); }

  /// Next piece of the body (empty at the end).
  std::string_view read_body_piece() {
    if (parser_.is_done()) return {};
    parser_.get().body().data = piece_.data();
    parser_.get().body().size = piece_.size();
    beast::error_code ec;
    stream_.expires_after(options_.read_timeout);
    http_ns::async_read_some(stream_, buffer_, parser_, [&](beast::error_code e, size_t) { ec = e; });
    run();
    if (ec == http_ns::error::need_buffer) ec = {};
    if (ec) fail(ec, "reading the response body");
    size_t n = piece_.size() - parser_.get().body().size;
    received_ += n;
    if (received_ > options_.max_response_bytes) {
      throw ClientError(Error{ErrorCode::UpstreamFailed,
                              what_ + ": response larger than " +
                                  std::to_string(options_.max_response_bytes) + " bytes",
                              ""},
                        true);
    }
    return {piece_.data(), n};
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

 private:
  void connect() {
    tcp::resolver resolver(ioc_);
    beast::error_code ec;
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(url_.host, std::to_string(url_.port),
                           [&](beast::error_code e, tcp::resolver::results_type r) {
                             ec = e;
                             endpoints = std::move(r);
                           });
    run();
    if (ec) fail(ec, "resolving the host");
    stream_.expires_after(options_.connect_timeout);
    stream_.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    run();
    if (ec) fail(ec, "connecting");
    connected_ = true;
  }

  void run() {
    ioc_.run();
    ioc_.restart();
  }

  [[noreturn]] void fail(beast::error_code ec, const char* during) {
    bool timeout = ec == beast::error::timeout;
    throw ClientError(Error{timeout ? ErrorCode::UpstreamTimeout : ErrorCode::UpstreamFailed,
                            what_ + ": " + (timeout ? std::string("timed out") : ec.message()) +
                                " while " + during,
                            ""},
                      connected_);
  }

  const Url& url_;
  const ClientOptions& options_;
  asio::io_context ioc_;
  beast::tcp_stream stream_;
  std::string what_;
  http_ns::request<http_ns::string_body> request_;
  http_ns::response_parser<http_ns::buffer_body> parser_;
  beast::flat_buffer buffer_;
  std::array<char, 16384> piece_{};
  Headers headers_;
  size_t received_ = 0;
  bool connected_ = false;
};

}  // namespace

ClientResponse send_request(const Url& url, std::string_view method, std::string_view path,
                            std::string body, const ClientOptions& options) {
  ClientResponse response;
  response.status = stream_request(
      url, method, path, std::move(body), options,
      [&](int, const Headers& headers) {
        response.headers = headers;
        return true;
      },
      [&](std::string_view data) {
        response.body.append(data);
        return true;
      });
  return response;
}

ClientResponse post_json(const Url& url, std::string_view path, std::string body,
                         const ClientOptions& options) {
  return send_request(url, "POST", path, std::move(body), options);
}

int stream_request(const Url& url, std::string_view method, std::string_view path,
                   std::string body, const ClientOptions& options,
                   const std::function<bool(int, const Headers&)>& on_headers,
                   const std::function<bool(std::string_view)>& on_data) {
  Exchange exchange(url, method, path, options);
  exchange.send(std::move(body));
  int status = exchange.read_header();
  if (!on_headers(status, exchange.headers())) {
    exchange.close();
    return status;
  }
  while (!exchange.done()) {
    auto piece = exchange.read_body_piece();
    if (!piece.empty() && !on_data(piece)) {
      exchange.close();
      return status;
    }
  }
  return status;
}

}  // namespace fastchat::http
