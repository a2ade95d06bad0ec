#include "protocol/openai/sse.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fastchat::openai {
namespace {

using nlohmann::json;
using Events = std::vector<std::string>;

// Feeds `stream` in pieces of `step` bytes and collects every payload.
Events parse_in_steps(const std::string& stream, std::size_t step, SseParser& parser) {
  Events events;
  for (std::size_t i = 0; i < stream.size(); i += step) {
    for (auto& event : parser.feed(std::string_view(stream).substr(i, step))) {
      events.push_back(std::move(event));
    }
  }
  return events;
}

TEST(Sse, EventFraming) {
  EXPECT_EQ(sse_event(json{{"a", 1}, {"b", "x y"}}), "data: {\"a\":1,\"b\":\"x y\"}\n\n");
  EXPECT_EQ(sse_done(), "data: [DONE]\n\n");
  // Newlines inside strings are escaped, so one event is always one data line.
  EXPECT_EQ(sse_event(json("a\nb")), "data: \"a\\nb\"\n\n");
  EXPECT_EQ(sse_event(json("\xff")), "data: \"\xEF\xBF\xBD\"\n\n");
}

TEST(Sse, RoundTripInAnySplit) {
  const std::vector<json> payloads = {json{{"id", "x"}, {"choices", json::array()}},
                                      json{{"text", "é\n"}}, json("😀")};
  std::string stream;
  for (const json& payload : payloads) stream += sse_event(payload);
  stream += sse_done();
  for (std::size_t step : {1u, 2u, 3u, 7u, 1000u}) {
    SCOPED_TRACE(step);
    SseParser parser;
    const Events events = parse_in_steps(stream, step, parser);
    ASSERT_EQ(events.size(), 4u);
    for (std::size_t i = 0; i < payloads.size(); ++i)
      EXPECT_EQ(json::parse(events[i]), payloads[i]);
    EXPECT_EQ(events[3], kSseDone);
    EXPECT_FALSE(parser.has_partial());
  }
}

TEST(Sse, CrlfAndCrLineEndsSplitAnywhere) {
  const std::string stream = "data: 1\r\n\r\ndata: 2\r\rdata:3\n\ndata: 4\r\n\r\n";
  for (std::size_t step : {1u, 2u, 5u, 100u}) {
    SCOPED_TRACE(step);
    SseParser parser;
    EXPECT_EQ(parse_in_steps(stream, step, parser), (Events{"1", "2", "3", "4"}));
  }
}

TEST(Sse, CommentsOtherFieldsAndMultiLineData) {
  SseParser parser;
  const Events events = parser.feed(
      ": keep-alive\n\n"
      "event: message\nid: 7\nretry: 10\ndata: a\ndata:  b\ndata\n\n"
      "event: ping\n\n"
      "data:\n\n");
  // "data:  b" keeps the second space; "data" alone is an empty line of data; an event without
  // data yields nothing; "data:" alone yields an empty payload.
  EXPECT_EQ(events, (Events{"a\n b\n", ""}));
}

TEST(Sse, PartialEventsWaitForTheBlankLine) {
  SseParser parser;
  EXPECT_TRUE(parser.feed("data: {\"a\"").empty());
  EXPECT_TRUE(parser.has_partial());
  EXPECT_TRUE(parser.feed(":1}\n").empty());
  EXPECT_TRUE(parser.has_partial());
  EXPECT_EQ(parser.feed("\n"), (Events{"{\"a\":1}"}));
  EXPECT_FALSE(parser.has_partial());
}

}  // namespace
}  // namespace fastchat::openai
