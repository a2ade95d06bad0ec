#include "common/json/json_lines.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace fastchat {
namespace {

std::vector<std::pair<std::string, size_t>> lines_of(std::string_view text, size_t stop_after = 0) {
  std::vector<std::pair<std::string, size_t>> out;
  for_each_nonblank_line(text, [&](std::string_view line, size_t number) {
    out.emplace_back(std::string(line), number);
    return stop_after == 0 || out.size() < stop_after;
  });
  return out;
}

TEST(JsonLines, NonBlankLinesWithTheirNumbers) {
  using Lines = std::vector<std::pair<std::string, size_t>>;
  EXPECT_EQ(lines_of("{\"a\":1}\n\n  \t\r\n{\"b\":2}\r\n{\"c\":3}"),
            (Lines{{"{\"a\":1}", 1}, {"{\"b\":2}\r", 4}, {"{\"c\":3}", 5}}));
  EXPECT_EQ(lines_of(""), Lines{});
  EXPECT_EQ(lines_of("\n\n"), Lines{});
  EXPECT_EQ(lines_of("x\ny\nz\n", 2), (Lines{{"x", 1}, {"y", 2}}));  // stopped early
}

}  // namespace
}  // namespace fastchat
