#pragma once
// The shape every fastchat server's main() shares: parse the flags (usage errors exit 2,
// --help exits 0), apply the log level, run, and turn an escaping ErrorException into one line
// on stderr with exit code 2 for bad configuration and 1 otherwise.

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace fastchat::process {

/// Default of --drain-timeout, in seconds.
inline constexpr double kDefaultDrainTimeoutS = 30.0;

/// --drain-timeout SECONDS (0 to 86400; config key drain-timeout): how long a SIGINT/SIGTERM
/// lets the requests in flight finish before the server stops.
void add_drain_timeout_flag(CLI::App& app, double& seconds);

/// `log_level` is read after parsing (it is usually bound to a --log-level flag of `app`).
int run_program(CLI::App& app, int argc, char** argv, const std::string& program,
                const std::string& log_level, const std::function<int()>& serve);

}  // namespace fastchat::process
