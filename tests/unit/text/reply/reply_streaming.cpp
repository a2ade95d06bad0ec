#include "reply_streaming.h"

#include <gtest/gtest.h>

namespace fastchat::reply::testing {
namespace {

void add_delta(const ReplyDelta& delta, Assembled& result) {
  result.content += delta.content;
  result.reasoning += delta.reasoning;
  for (const protocol::ToolCallDelta& piece : delta.tool_calls) {
    const auto index = static_cast<std::size_t>(piece.index);
    if (index == result.calls.size()) {
      // A call's first delta.
      EXPECT_FALSE(piece.id.empty()) << "call " << index << " starts without an id";
      EXPECT_FALSE(piece.name.empty()) << "call " << index << " starts without a name";
      EXPECT_EQ(piece.arguments, "") << "call " << index;
      result.calls.push_back({piece.id, piece.name, ""});
      continue;
    }
    ASSERT_LT(index, result.calls.size()) << "call index skipped";
    EXPECT_EQ(index, result.calls.size() - 1) << "a delta for an earlier call";
    EXPECT_EQ(piece.id, "") << "id repeated on call " << index;
    EXPECT_EQ(piece.name, "") << "name repeated on call " << index;
    result.calls[index].arguments += piece.arguments;
  }
}

std::string describe(const std::vector<std::string>& pieces) {
  std::string text;
  for (const std::string& piece : pieces) text += "[" + piece + "]";
  return text;
}

void expect_same(const Assembled& expected, const Assembled& actual,
                 const std::vector<std::string>& pieces) {
  EXPECT_EQ(actual.content, expected.content) << describe(pieces);
  EXPECT_EQ(actual.reasoning, expected.reasoning) << describe(pieces);
  EXPECT_EQ(names_and_arguments(actual), names_and_arguments(expected)) << describe(pieces);
  EXPECT_EQ(actual.made_tool_calls, expected.made_tool_calls) << describe(pieces);
}

}  // namespace

Assembled feed(const ReplyOptions& options, const std::vector<std::string>& pieces) {
  ReplyParser parser(options);
  Assembled result;
  for (const std::string& piece : pieces) add_delta(parser.push(piece), result);
  add_delta(parser.finish(), result);
  result.made_tool_calls = parser.made_tool_calls();
  EXPECT_EQ(result.made_tool_calls, !result.calls.empty());
  return result;
}

Assembled feed_every_split(const ReplyOptions& options, std::string_view text) {
  const std::string whole(text);
  const Assembled expected = feed(options, {whole});

  std::vector<std::string> chars;
  for (char c : whole) chars.emplace_back(1, c);
  expect_same(expected, feed(options, chars), chars);

  constexpr std::size_t kMaxLengthForPairs = 160;
  for (std::size_t cut = 0; cut <= whole.size(); ++cut) {
    const std::vector<std::string> two = {whole.substr(0, cut), whole.substr(cut)};
    expect_same(expected, feed(options, two), two);
    if (whole.size() > kMaxLengthForPairs) continue;
    for (std::size_t second = cut; second <= whole.size(); ++second) {
      const std::vector<std::string> three = {whole.substr(0, cut), whole.substr(cut, second - cut),
                                              whole.substr(second)};
      expect_same(expected, feed(options, three), three);
    }
  }
  return expected;
}

std::vector<std::pair<std::string, std::string>> names_and_arguments(const Assembled& result) {
  std::vector<std::pair<std::string, std::string>> calls;
  for (const AssembledCall& call : result.calls) calls.emplace_back(call.name, call.arguments);
  return calls;
}

}  // namespace fastchat::reply::testing
