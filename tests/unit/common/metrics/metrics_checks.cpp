#include "metrics_checks.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fastchat::testing {

PromtoolResult promtool_check_metrics(const std::string& text) {
  PromtoolResult result;
  std::string path = (std::filesystem::temp_directory_path() / "fastchat-metrics-XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd < 0) {
    result.output = "mkstemp failed";
    return result;
  }
  close(fd);
  {
    std::ofstream file(path, std::ios::binary);
    file << text;
  }
  const char* promtool = std::getenv("PROMTOOL");
  const std::string command = std::string(promtool && *promtool ? promtool : "promtool") +
                              " check metrics < '" + path + "' 2>&1";
  if (FILE* pipe = popen(command.c_str(), "r")) {
    std::array<char, 4096> buffer;
    size_t n = 0;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
      result.output.append(buffer.data(), n);
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  } else {
    result.output = "popen failed";
  }
  std::filesystem::remove(path);
  return result;
}

std::string describe(const PromtoolResult& result, const std::string& text) {
  std::string message =
      "promtool check metrics exited " + std::to_string(result.exit_code) + ": " + result.output;
  if (result.exit_code == 127) {
    message +=
        "\npromtool is missing: install Debian's prometheus package (scripts/install_deps.sh)";
  }
  return message + "\n--- metrics ---\n" + text;
}

std::optional<double> sample_value(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  const std::string prefix = series + " ";
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) == 0) return std::stod(line.substr(prefix.size()));
  }
  return std::nullopt;
}

}  // namespace fastchat::testing
