#include "text/reply/deepseek_v3_tool_call_parser.h"

#include <gtest/gtest.h>

#include "reply_streaming.h"

namespace fastchat::reply {
namespace {

using testing::Assembled;
using testing::feed_every_split;
using testing::names_and_arguments;
using Calls = std::vector<std::pair<std::string, std::string>>;

const ReplyOptions kDeepSeek{.tool_calls = ToolCallFormat::DeepSeekV3};

// As DeepSeek V3's chat template renders an assistant turn's calls.
const std::string kBegin = "<｜tool▁calls▁begin｜>";
const std::string kEnd = "<｜tool▁calls▁end｜>";
std::string call(const std::string& name, const std::string& arguments) {
  return "<｜tool▁call▁begin｜>function<｜tool▁sep｜>" + name + "\n```json\n" + arguments +
         "\n```<｜tool▁call▁end｜>";
}

TEST(DeepSeekV3ToolCalls, OneCall) {
  const Assembled result =
      feed_every_split(kDeepSeek, kBegin + call("get_weather", R"({"city": "Paris"})") + kEnd);
  EXPECT_EQ(result.content, "");
  EXPECT_EQ(names_and_arguments(result), (Calls{{"get_weather", R"({"city":"Paris"})"}}));
  EXPECT_TRUE(result.made_tool_calls);
}

TEST(DeepSeekV3ToolCalls, ContentBeforeAndSeveralCalls) {
  const Assembled result = feed_every_split(
      kDeepSeek, "Checking." + kBegin + call("get_weather", R"({"city": "Paris"})") + "\n" +
                     call("get_time", "{}") + kEnd);
  EXPECT_EQ(result.content, "Checking.");
  EXPECT_EQ(names_and_arguments(result),
            (Calls{{"get_weather", R"({"city":"Paris"})"}, {"get_time", "{}"}}));
}

TEST(DeepSeekV3ToolCalls, PlainAnswersStayContent) {
  const Assembled result = feed_every_split(kDeepSeek, "No tools needed: it is 4.");
  EXPECT_EQ(result.content, "No tools needed: it is 4.");
  EXPECT_TRUE(result.calls.empty());
}

TEST(DeepSeekV3ToolCalls, AMalformedCallComesBackAsContent) {
  const std::string broken = kBegin + call("get_weather", "{not json") + kEnd;
  const Assembled result = feed_every_split(kDeepSeek, broken);
  EXPECT_EQ(result.content, broken);
  EXPECT_TRUE(result.calls.empty());
  const std::string no_separator =
      kBegin + "<｜tool▁call▁begin｜>get_weather {}<｜tool▁call▁end｜>" + kEnd;
  EXPECT_EQ(feed_every_split(kDeepSeek, no_separator).content, no_separator);
}

TEST(DeepSeekV3ToolCalls, AnUnfinishedCallIsGivenBack) {
  const std::string text =
      kBegin + call("get_time", "{}") + "<｜tool▁call▁begin｜>function<｜tool▁sep｜>get_wea";
  const Assembled result = feed_every_split(kDeepSeek, text);
  EXPECT_EQ(names_and_arguments(result), (Calls{{"get_time", "{}"}}));
  EXPECT_EQ(result.content, "<｜tool▁call▁begin｜>function<｜tool▁sep｜>get_wea");
}

}  // namespace
}  // namespace fastchat::reply
