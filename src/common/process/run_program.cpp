#include "common/process/run_program.h"

#include <cstdlib>
#include <iostream>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <spdlog/spdlog.h>

#include "common/error/error.h"

namespace fastchat::process {

void add_drain_timeout_flag(CLI::App& app, double& seconds) {
  app.add_option("--drain-timeout", seconds,
                 "Seconds a SIGINT/SIGTERM lets requests in flight finish (new ones get 503) "
                 "before the server stops; 0: stop at once. A second signal stops at once")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
}

namespace {

// glibc gives threads malloc arenas of their own, up to 8 per core, and each arena keeps what
// was freed in it. The servers keep up to --handler-threads handler threads and still start
// short-lived ones (each choice of an n > 1 request, the controller's calls to its workers), so
// with glibc's default their heap spreads over many arenas. Measured on fastchat-server after
// 10,000 mixed requests at concurrency 64: 14.6 MiB with two arenas, 15.2 MiB with glibc's 16,
// at the same throughput. (With a thread per request, before the handler pool, the gap grew
// with every thousand requests.) MALLOC_ARENA_MAX in the environment wins.
void limit_malloc_arenas() {
#ifdef __GLIBC__
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
#endif
}

}  // namespace

int run_program(CLI::App& app, int argc, char** argv, const std::string& program,
                const std::string& log_level, const std::function<int()>& serve) {
  limit_malloc_arenas();
  // A misspelled key in a --config file is an error, not a silently ignored setting.
  app.allow_config_extras(CLI::config_extras_mode::error);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help is a "success" parse error; every real one is a usage error.
    return app.exit(e) == 0 ? 0 : 2;
  }
  spdlog::set_level(spdlog::level::from_str(log_level));
  try {
    return serve();
  } catch (const ErrorException& e) {
    std::cerr << program << ": error: " << e.what() << std::endl;
    return e.error().code == ErrorCode::InvalidConfig ? 2 : 1;
  }
}

}  // namespace fastchat::process
