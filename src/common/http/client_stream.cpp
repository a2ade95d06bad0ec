#include "common/http/client_stream.h"

#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

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

// Operations are asynchronous only so that each has a deadline; the private io_context runs on
// the calling thread, so each blocking step is synchronous.
class ClientStream::Exchange {
 public:
  Exchange(const Url& url, std::string_view method, std::string_view path,
           const ClientOptions& options)
      : url_(url),
        options_(options),
        stream_(ioc_),
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
    request_.body().clear();
  }

  void read_header() {
    parser_.body_limit(options_.max_response_bytes);
    beast::error_code ec;
    stream_.expires_after(options_.read_timeout);
    http_ns::async_read_header(stream_, buffer_, parser_,
                               [&](beast::error_code e, size_t) { ec = e; });
    run();
    if (ec) fail(ec, "reading the response header");
    for (const auto& field : parser_.get()) {
      headers_.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    status_ = static_cast<int>(parser_.get().result_int());
    // The non-blocking reads below leave the deadline alone: it belongs to blocking waits.
    stream_.expires_never();
  }

  std::string_view read() {
    if (parser_.is_done()) return {};
    point_body_at_piece();
    beast::error_code ec;
    stream_.expires_after(options_.read_timeout);
    http_ns::async_read_some(stream_, buffer_, parser_,
                             [&](beast::error_code e, size_t) { ec = e; });
    run();
    stream_.expires_never();
    if (ec == http_ns::error::need_buffer) ec = {};
    if (ec) fail(ec, "reading the response body");
    return take_piece();
  }

  bool receive_available() {
    if (parser_.is_done() || eof_) return false;
    auto space = buffer_.prepare(kReceiveBytes);
    const ssize_t n = ::recv(native_handle(), space.data(), space.size(), MSG_DONTWAIT);
    if (n > 0) {
      buffer_.commit(static_cast<size_t>(n));
      return true;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return false;
    if (n < 0) {
      fail(beast::error_code(errno, beast::system_category()), "reading the response body");
    }
    eof_ = true;  // next_buffered() decides, once the bytes before it are parsed
    return true;
  }

  std::optional<std::string_view> next_buffered() {
    if (parser_.is_done()) return std::nullopt;
    point_body_at_piece();
    // Chunk headers and trailers produce no body bytes: go on until some do or input runs out.
    while (buffer_.size() > 0 && !parser_.is_done()) {
      beast::error_code ec;
      const size_t used = parser_.put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == http_ns::error::need_more || ec == http_ns::error::need_buffer) break;
      if (ec) fail(ec, "reading the response body");
      if (parser_.get().body().size < piece_.size() || used == 0) break;
    }
    auto piece = take_piece();
    if (!piece.empty()) return piece;
    if (eof_ && !parser_.is_done()) {
      // Nothing more will come: the end of the connection ends a body delimited by it, and
      // truncates any other.
      beast::error_code ec;
      parser_.put_eof(ec);
      if (ec) fail(ec, "reading the response body");
    }
    return std::nullopt;
  }

  int status() const { return status_; }
  const Headers& headers() const { return headers_; }
  bool done() const { return parser_.is_done(); }
  int native_handle() { return stream_.socket().native_handle(); }
  const std::string& description() const { return what_; }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

 private:
  static constexpr size_t kReceiveBytes = 16384;

  void point_body_at_piece() {
    parser_.get().body().data = piece_.data();
    parser_.get().body().size = piece_.size();
  }

  std::string_view take_piece() {
    const size_t n = piece_.size() - parser_.get().body().size;
    parser_.get().body().data = nullptr;
    parser_.get().body().size = 0;
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
    const bool timeout = ec == beast::error::timeout;
    throw ClientError(Error{timeout ? ErrorCode::UpstreamTimeout : ErrorCode::UpstreamFailed,
                            what_ + ": " + (timeout ? std::string("timed out") : ec.message()) +
                                " while " + during,
                            ""},
                      connected_);
  }

  const Url url_;
  const ClientOptions options_;
  asio::io_context ioc_;
  beast::tcp_stream stream_;
  std::string what_;
  http_ns::request<http_ns::string_body> request_;
  http_ns::response_parser<http_ns::buffer_body> parser_;
  beast::flat_buffer buffer_;
  std::array<char, 16384> piece_{};
  Headers headers_;
  int status_ = 0;
  size_t received_ = 0;
  bool connected_ = false;
  bool eof_ = false;
};

ClientStream::ClientStream(const Url& url, std::string_view method, std::string_view path,
                           std::string body, const ClientOptions& options)
    : exchange_(std::make_unique<Exchange>(url, method, path, options)) {
  exchange_->send(std::move(body));
  exchange_->read_header();
}

ClientStream::~ClientStream() = default;

int ClientStream::status() const { return exchange_->status(); }
const Headers& ClientStream::headers() const { return exchange_->headers(); }
bool ClientStream::done() const { return exchange_->done(); }
std::string_view ClientStream::read() { return exchange_->read(); }
bool ClientStream::receive_available() { return exchange_->receive_available(); }
std::optional<std::string_view> ClientStream::next_buffered() { return exchange_->next_buffered(); }
int ClientStream::native_handle() const { return exchange_->native_handle(); }
const std::string& ClientStream::description() const { return exchange_->description(); }
void ClientStream::close() { exchange_->close(); }

}  // namespace fastchat::http
