#pragma once
// run_service(): the life of a server process, written once for fastchat-controller,
// fastchat-worker and fastchat-server, which plug their own steps in through ServerProgram.
// It runs inside run_program()'s serve callback.
//
// The start/stop contract every long-lived component follows:
//  1. Signals: SIGINT and SIGTERM are blocked in every thread and taken only by the main
//     thread. run_service() blocks them before it makes the program, so every thread a
//     component starts inherits the mask and no component handles a signal itself.
//  2. One owner: the main thread constructs, starts, stops and destroys components. Other
//     threads only call into them (handlers, the engine's callers, heartbeats).
//  3. Starting: a component with threads starts them either in its constructor (ExpirySweeper,
//     WorkerPool's stream poller, ModelInstance's engine) or in start() (HttpServer,
//     ControllerRegistration). HttpServer binds in its constructor, so a bad address fails
//     before anything runs, and accepts only from start().
//  4. Order of a run: make the program (its constructor builds every component, the server
//     bound but not started); start the server; print "<program> listening on <url>" on stdout
//     (scripts and tests wait for that line); on_listening(). A signal that comes before
//     on_listening() returns waits until it does (a worker loading its model drains after).
//  5. begin_drain, on the first signal: log "received SIGx, shutting down"; the server's
//     begin_drain() (it keeps accepting and answering, health probes included, but every
//     response closes its connection); then on_drain(): the program's services answer /health
//     503 "draining" and refuse new work, and a worker unregisters from the controller.
//     Requests in flight, and blocking requests still waiting for a handler thread, go on.
//  6. Drain, then stop: wait until no request is in flight, or --drain-timeout passes, or a
//     second signal comes (that stops at once; the log says how many requests were drained or
//     cut). HttpServer::stop() then cuts what is left: closes every connection, drops queued
//     requests, waits up to 10 s for running handlers and joins its I/O threads. on_stopped()
//     stops what ran beside the server.
//  7. Destruction: the program's members go in reverse declaration order, so a program declares
//     what its handlers call before its server, which must stop first. Every stop() is
//     idempotent, joins the component's threads, and is also called by its destructor.
//  8. Exit code: 0 after a signal, whether the drain finished, timed out or was cut short. An
//     exception from the program's constructor or on_listening() destroys what was made and
//     escapes to run_program(): exit 2 for InvalidConfig, 1 otherwise.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "common/http/http_server.h"

namespace fastchat::process {

/// What one server program plugs into run_service(): its components, built by its constructor
/// and held as members, and its own steps. Every step runs on the main thread.
class ServerProgram {
 public:
  virtual ~ServerProgram() = default;

  /// The program's server, bound and not yet started.
  virtual http::HttpServer& server() = 0;
  /// After the "listening on" line: what must happen before the service counts as up (log its
  /// settings, load a model, register). May throw, which ends the process (see 8. above).
  virtual void on_listening() {}
  /// After the first signal and the server's begin_drain(): make the services refuse new work.
  virtual void on_drain() = 0;
  /// After the server stopped: stop what ran beside it.
  virtual void on_stopped() {}
};

/// Runs a server process as the contract above says; `make` is called once signals are
/// blocked. `program` names it in the "listening on" line. Returns the exit code.
int run_service(const std::string& program, double drain_timeout_s,
                const std::function<std::unique_ptr<ServerProgram>()>& make);

/// --handler-threads N (config key handler-threads) and --handler-queue N (handler-queue):
/// the size of the server's pool of threads for blocking routes and of the queue in front of
/// it (http::ServerOptions::handler_threads and handler_queue).
void add_handler_flags(CLI::App& app, size_t& threads, size_t& queue);

}  // namespace fastchat::process
