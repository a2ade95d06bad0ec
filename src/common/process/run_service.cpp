#include "common/process/run_service.h"

#include <iostream>

#include <spdlog/spdlog.h>

#include "common/http/graceful_shutdown.h"
#include "common/process/shutdown_signals.h"

namespace fastchat::process {

int run_service(const std::string& program, double drain_timeout_s,
                const std::function<std::unique_ptr<ServerProgram>()>& make) {
  // Before any thread starts, so that the signals reach the wait below and no other thread.
  block_shutdown_signals();
  std::unique_ptr<ServerProgram> running = make();
  http::HttpServer& server = running->server();
  server.start();
  std::cout << program << " listening on " << server.url() << std::endl;
  running->on_listening();

  spdlog::info("received {}, shutting down", wait_for_shutdown_signal());
  server.begin_drain();
  running->on_drain();
  http::drain_and_stop(server, http::drain_timeout(drain_timeout_s));
  running->on_stopped();
  return 0;
}

void add_handler_flags(CLI::App& app, size_t& threads, size_t& queue) {
  app.add_option("--handler-threads", threads,
                 "Most requests of the blocking routes handled at once (a stream holds its "
                 "thread until its last chunk, so this bounds concurrent generations); more "
                 "wait in the --handler-queue")
      ->check(CLI::Range(size_t{1}, size_t{1} << 16))
      ->capture_default_str();
  app.add_option("--handler-queue", queue,
                 "Most requests waiting for a handler thread; more are answered 503 with "
                 "Retry-After at once (0: none wait)")
      ->check(CLI::Range(size_t{0}, size_t{1} << 20))
      ->capture_default_str();
}

}  // namespace fastchat::process
