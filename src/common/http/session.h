#pragma once
// One HTTP connection, after Beast's async server examples: read a request (with limits and
// a timeout) on the connection's strand, hand it to the router, write the answer (whole, or
// as a chunked stream fed from another thread through a bounded queue), then read the next.

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "common/http/server_context.h"

namespace fastchat::http {

namespace beast = boost::beast;
namespace asio = boost::asio;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(asio::ip::tcp::socket&& socket, std::shared_ptr<ServerContext> context);
  ~Session();

  void start();
  /// Closes the connection from any thread (server stop).
  void shutdown();

  // Used by this session's Responder and ResponseStream (any thread).
  void send(Response response);
  void begin_stream(std::shared_ptr<class ChunkedStream> stream);
  /// Posts work onto the session's strand.
  template <class F>
  void post(F&& f) {
    asio::post(stream_.get_executor(), std::forward<F>(f));
  }
  beast::tcp_stream& stream() { return stream_; }
  const ServerContext& context() const { return *context_; }
  /// After a response or stream ends: read the next request, or close.
  void finish_exchange();

 private:
  void do_read();
  void on_read(beast::error_code ec, size_t bytes);
  void reject(int status, Error error);
  void route(Request request);
  void on_write(beast::error_code ec, size_t bytes);
  void close();
  /// Counts this connection's current request in ServerContext::requests_in_flight, until
  /// end_request(). Both on the strand (or in the destructor).
  void begin_request();
  void end_request();

  beast::tcp_stream stream_;
  std::shared_ptr<ServerContext> context_;
  beast::flat_buffer buffer_;
  std::optional<beast::http::request_parser<beast::http::string_body>> parser_;
  std::shared_ptr<beast::http::response<beast::http::string_body>> response_;
  bool keep_alive_ = false;
  bool in_request_ = false;
  std::string remote_;
};

}  // namespace fastchat::http
