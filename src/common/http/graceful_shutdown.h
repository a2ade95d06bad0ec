#pragma once
// The second half of a server's graceful shutdown, shared by the three programs. After the
// first SIGINT/SIGTERM, once the service answers /health with 503 and refuses new work:
// keep serving the requests in flight until they are done, `timeout` passes or a second
// signal arrives, then stop the server (cutting whatever is left). Logs what was drained and
// what was cut.

#include <chrono>

#include "common/http/http_server.h"

namespace fastchat::http {

enum class DrainOutcome { Drained, TimedOut, Interrupted };

/// Calls server.begin_drain() (again: the caller usually did, before its service started
/// answering 503), waits, then server.stop().
DrainOutcome drain_and_stop(HttpServer& server, std::chrono::milliseconds timeout);

/// --drain-timeout's seconds as a duration (negative reads as 0).
std::chrono::milliseconds drain_timeout(double seconds);

}  // namespace fastchat::http
