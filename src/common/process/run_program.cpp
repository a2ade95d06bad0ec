#include "common/process/run_program.h"

#include <iostream>

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

int run_program(CLI::App& app, int argc, char** argv, const std::string& program,
                const std::string& log_level, const std::function<int()>& serve) {
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
