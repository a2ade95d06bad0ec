#pragma once
// The routing table: (method, path) -> handler. Transport-free, so services can be tested by
// calling dispatch() with a fake Responder.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/error/error.h"
#include "common/http/http_message.h"
#include "common/http/response_stream.h"

namespace fastchat::http {

/// What a handler answers through: exactly one of send() or stream().
class Responder {
 public:
  virtual ~Responder() = default;
  virtual void send(Response response) = 0;
  /// Starts a chunked response with this status and content type.
  virtual std::shared_ptr<ResponseStream> stream(int status, std::string content_type,
                                                 Headers headers = {}) = 0;
  /// True once send() or stream() was called.
  virtual bool responded() const = 0;
};

using Handler = std::function<void(const Request&, Responder&)>;

/// Where a handler runs. Inline handlers run on an I/O thread and must not block (no outbound
/// calls, no waiting on the engine); Blocking ones run on the server's handler pool (a bounded
/// set of threads with a bounded queue in front, see handler_pool.h).
enum class Execution { Inline, Blocking };

/// Renders an Error as the service's body (OpenAI's envelope, FastChat's shape, ...).
using ErrorRenderer = std::function<Response(const Error&)>;

/// Default rendering: {"error": {"message", "type", "param", "code"}} with http_status(code).
Response render_error(const Error& error);

class Router {
 public:
  struct Route {
    std::string method;
    std::string path;
    Handler handler;
    Execution execution = Execution::Inline;
  };

  explicit Router(ErrorRenderer render = render_error) : render_(std::move(render)) {}

  /// `path` may have "{name}" segments (path_pattern.h); the handler reads them with path_param.
  void add(std::string method, std::string path, Handler handler,
           Execution execution = Execution::Inline);

  /// The route for a request, or nullptr after answering it with 404 (no such path) or
  /// 405 (path exists, other method) through `responder`.
  const Route* match(const Request& request, Responder& responder) const;

  /// Runs a matched route's handler, turning an escaping ErrorException into its rendered
  /// error and anything else into a 500 whose body says only "internal error" (details go to
  /// the log). If the handler had already started a stream, the stream is closed instead.
  void invoke(const Route& route, const Request& request, Responder& responder) const;

  /// match() + invoke() on the calling thread; for tests and inline routes.
  void dispatch(const Request& request, Responder& responder) const;

  Response render(const Error& error) const { return render_(error); }

 private:
  std::vector<Route> routes_;
  ErrorRenderer render_;
};

}  // namespace fastchat::http
