#include "text/reply/marker_scanner.h"

#include <gtest/gtest.h>

namespace fastchat::reply {
namespace {

TEST(FindMarker, WholeMarker) {
  const MarkerSearch search = find_marker("ab</think>cd", "</think>");
  EXPECT_EQ(search.pos, 2u);
  EXPECT_TRUE(search.complete);
}

TEST(FindMarker, PrefixRunningToTheEnd) {
  const MarkerSearch search = find_marker("ab</thi", "</think>");
  EXPECT_EQ(search.pos, 2u);
  EXPECT_FALSE(search.complete);
}

TEST(FindMarker, EarliestPrefixWins) {
  // "<<" could start the marker at either '<'; the earlier one bounds what is safe to release.
  const MarkerSearch search = find_marker("x<<", "<<a>");
  EXPECT_EQ(search.pos, 1u);
  EXPECT_FALSE(search.complete);
}

TEST(FindMarker, NothingToHold) {
  EXPECT_EQ(find_marker("a < b", "<think>").pos, std::string_view::npos);
  EXPECT_EQ(find_marker("", "<think>").pos, std::string_view::npos);
  EXPECT_EQ(find_marker("<thinking", "<think>").pos, std::string_view::npos);
}

TEST(MarkerScanner, HoldsAPartialMarkerAcrossPushes) {
  MarkerScanner scanner("<tool_call>");
  MarkerScanner::Scan scan = scanner.push("Hello <tool");
  EXPECT_EQ(scan.before, "Hello ");
  EXPECT_FALSE(scan.found);
  scan = scanner.push("_ca");
  EXPECT_EQ(scan.before, "");
  EXPECT_FALSE(scan.found);
  scan = scanner.push("ll>{\"a\"");
  EXPECT_EQ(scan.before, "");
  EXPECT_TRUE(scan.found);
  EXPECT_EQ(scan.after, "{\"a\"");
}

TEST(MarkerScanner, ReleasesAPrefixThatDidNotComplete) {
  MarkerScanner scanner("<tool_call>");
  EXPECT_EQ(scanner.push("a <to").before, "a ");
  EXPECT_EQ(scanner.push("day").before, "<today");
  EXPECT_EQ(scanner.push("<tool_c").before, "");
  EXPECT_EQ(scanner.finish(), "<tool_c");
  EXPECT_EQ(scanner.finish(), "");
}

TEST(MarkerScanner, TextAfterTheMarkerIsNotScanned) {
  MarkerScanner scanner("[TOOL_CALLS]");
  const MarkerScanner::Scan scan = scanner.push("x[TOOL_CALLS]a[TOOL_CALLS]b");
  EXPECT_EQ(scan.before, "x");
  EXPECT_TRUE(scan.found);
  EXPECT_EQ(scan.after, "a[TOOL_CALLS]b");
  EXPECT_EQ(scanner.finish(), "");
}

}  // namespace
}  // namespace fastchat::reply
