#pragma once
// What every session of one HttpServer shares: options, routes, counters and the set of open
// sessions that stop() must close. Internal to the HTTP library.

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "common/http/handler_pool.h"
#include "common/http/http_server.h"

namespace fastchat::http {

class Session;

struct ServerContext {
  ServerOptions options;
  std::shared_ptr<const Router> router;
  std::atomic<bool> stopping{false};
  /// Graceful shutdown under way: every response closes its connection; see begin_drain().
  std::atomic<bool> draining{false};
  std::atomic<size_t> connections{0};
  /// Runs the blocking routes. Owned by the HttpServer, which outlives every I/O thread.
  HandlerPool* handler_pool = nullptr;

  std::mutex mutex;
  std::condition_variable idle;  // signalled when a blocking handler or a request ends
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions;
  /// Blocking requests handed to the pool and not finished (waiting or running), counted
  /// until their session reference is released, so stop() knows when none is left.
  size_t blocking_handlers = 0;
  /// Requests read and routed whose response is not yet fully written (see in_flight()).
  size_t requests_in_flight = 0;
};

}  // namespace fastchat::http
