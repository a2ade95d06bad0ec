#include "protocol/openai/stream_chunk.h"

#include <gtest/gtest.h>

#include "expect_error.h"

namespace fastchat::openai {
namespace {

TEST(StreamChunk, ChatDeltaWithReasoningAndFinishReason) {
  const auto chunk = parse_stream_chunk(
      R"({"id":"c","object":"chat.completion.chunk","choices":[)"
      R"({"index":1,"delta":{"content":"Hi","reasoning_content":"think"},"finish_reason":null},)"
      R"({"index":0,"delta":{"role":"assistant"},"finish_reason":"stop"}]})");
  ASSERT_EQ(chunk.choices.size(), 2u);
  EXPECT_EQ(chunk.choices[0].index, 1);
  EXPECT_EQ(chunk.choices[0].text, "Hi");
  EXPECT_EQ(chunk.choices[0].reasoning, "think");
  EXPECT_FALSE(chunk.choices[0].finish_reason.has_value());
  EXPECT_EQ(chunk.choices[1].text, "");
  EXPECT_EQ(chunk.choices[1].finish_reason, "stop");
  EXPECT_EQ(chunk.text_size(), 7u);
  EXPECT_FALSE(chunk.usage.has_value());
  EXPECT_FALSE(chunk.error.has_value());
}

TEST(StreamChunk, CompletionTextAndUsageChunk) {
  const auto text =
      parse_stream_chunk(R"({"choices":[{"index":0,"text":"abc","finish_reason":"length"}]})");
  ASSERT_EQ(text.choices.size(), 1u);
  EXPECT_EQ(text.choices[0].text, "abc");
  EXPECT_EQ(text.choices[0].finish_reason, "length");
  const auto usage = parse_stream_chunk(
      R"({"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14}})");
  ASSERT_TRUE(usage.usage.has_value());
  EXPECT_EQ(usage.usage->prompt_tokens, 5);
  EXPECT_EQ(usage.usage->completion_tokens, 9);
  // vLLM sends "usage": null on every chunk but the last; a usage without counts is none.
  EXPECT_FALSE(parse_stream_chunk(R"({"choices":[],"usage":null})").usage.has_value());
  EXPECT_FALSE(parse_stream_chunk(R"({"choices":[],"usage":{}})").usage.has_value());
}

TEST(StreamChunk, ErrorEventsAndBadPayloads) {
  const auto error = parse_stream_chunk(
      R"({"error":{"message":"worker died","type":"upstream_error","param":null}})");
  ASSERT_TRUE(error.error.has_value());
  EXPECT_EQ(error.error->code, ErrorCode::UpstreamFailed);
  EXPECT_EQ(error.error->message, "worker died");
  EXPECT_TRUE(parse_stream_chunk(R"({"error":[1,2]})").error.has_value());
  testing::expect_invalid([] { parse_stream_chunk("not json"); }, "",
                          "a data event that is not a JSON object: not json",
                          ErrorCode::UpstreamFailed);
  testing::expect_invalid([] { parse_stream_chunk("[1]"); }, "", "not a JSON object",
                          ErrorCode::UpstreamFailed);
  // Odd shapes are skipped, not fatal, as the SDKs do.
  const auto odd = parse_stream_chunk(R"({"choices":[7,{"index":"x","delta":[]}]})");
  ASSERT_EQ(odd.choices.size(), 1u);
  EXPECT_EQ(odd.choices[0].index, 0);
}

}  // namespace
}  // namespace fastchat::openai
