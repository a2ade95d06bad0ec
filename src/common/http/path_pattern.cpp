#include "common/http/path_pattern.h"

#include <vector>

namespace fastchat::http {
namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool is_variable(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

}  // namespace

bool path_matches(std::string_view pattern, std::string_view path) {
  if (pattern.find('{') == std::string_view::npos) return pattern == path;
  const auto want = segments(pattern);
  const auto have = segments(path);
  if (want.size() != have.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (is_variable(want[i]) ? have[i].empty() : want[i] != have[i]) return false;
  }
  return true;
}

std::optional<std::string> path_param(std::string_view pattern, std::string_view path,
                                      std::string_view name) {
  if (!path_matches(pattern, path)) return std::nullopt;
  const auto want = segments(pattern);
  const auto have = segments(path);
  for (size_t i = 0; i < want.size(); ++i) {
    if (is_variable(want[i]) && want[i].substr(1, want[i].size() - 2) == name) {
      return percent_decode(have[i]);
    }
  }
  return std::nullopt;
}

}  // namespace fastchat::http
