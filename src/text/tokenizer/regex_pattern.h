#pragma once
// A PCRE2 regular expression compiled once (UTF + Unicode properties, JIT when available) for
// the pre-tokenizer's split patterns. Thread-safety: find_all is const and safe to call
// concurrently; each call uses its own match data.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fastchat::tokenizer {

class RegexPattern {
 public:
  /// Compiles pattern (a literal string when literal is true). `origin` names the file for errors.
  RegexPattern(const std::string& pattern, bool literal, const std::string& origin);
  ~RegexPattern();
  RegexPattern(const RegexPattern&) = delete;
  RegexPattern& operator=(const RegexPattern&) = delete;

  /// Appends the [begin, end) byte ranges of all non-empty, non-overlapping matches in text,
  /// which must be valid UTF-8.
  void find_all(std::string_view text, std::vector<std::pair<std::size_t, std::size_t>>& out) const;

 private:
  struct Code;
  std::unique_ptr<Code> code_;
};

}  // namespace fastchat::tokenizer
