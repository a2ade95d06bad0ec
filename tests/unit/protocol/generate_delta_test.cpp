#include "protocol/generate_delta.h"

#include <gtest/gtest.h>

namespace fastchat::protocol {
namespace {

TEST(GenerateDelta, LineRoundTrip) {
  GenerateDelta delta;
  delta.text = "héllo\n\"x\"";
  delta.token_ids = {1, 2, 3};
  delta.logprobs = {{"hé", -0.25f, {{"hé", -0.25f}, {"ha", -1.5f}}}};
  delta.prompt_tokens = 7;
  delta.completion_tokens = 3;
  delta.finish_reason = "length";
  auto line = to_line(delta);
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // one line, however the text looks
  auto back = parse_delta_line(std::string_view(line).substr(0, line.size() - 1));
  EXPECT_EQ(back.text, delta.text);
  EXPECT_EQ(back.token_ids, delta.token_ids);
  ASSERT_EQ(back.logprobs.size(), 1u);
  EXPECT_EQ(back.logprobs[0].token, "hé");
  EXPECT_FLOAT_EQ(back.logprobs[0].logprob, -0.25f);
  EXPECT_EQ(back.logprobs[0].top.size(), 2u);
  EXPECT_EQ(back.prompt_tokens, 7);
  EXPECT_EQ(back.completion_tokens, 3);
  EXPECT_EQ(back.finish_reason, "length");
  EXPECT_TRUE(back.is_last());
}

TEST(GenerateDelta, ReasoningAndToolCallsRoundTrip) {
  GenerateDelta delta;
  delta.reasoning = "thinking";
  delta.tool_calls = {{0, "call_a", "get_weather", ""}, {0, "", "", R"({"city":"Paris"})"}};
  delta.finish_reason = "tool_calls";
  auto line = to_line(delta);
  auto back = parse_delta_line(std::string_view(line).substr(0, line.size() - 1));
  EXPECT_EQ(back.reasoning, "thinking");
  EXPECT_EQ(back.tool_calls, delta.tool_calls);
  EXPECT_EQ(back.finish_reason, "tool_calls");
  // A line without them (every plain delta) stays short.
  EXPECT_EQ(to_line(GenerateDelta{}).find("tool_calls"), std::string::npos);
  EXPECT_EQ(to_line(GenerateDelta{}).find("reasoning"), std::string::npos);
}

TEST(GenerateDelta, ErrorsKeepTheirCode) {
  GenerateDelta delta;
  delta.error = Error{ErrorCode::ContextLengthExceeded, "too long", "max_tokens"};
  auto line = to_line(delta);
  auto back = parse_delta_line(line.substr(0, line.size() - 1));
  ASSERT_TRUE(back.error.has_value());
  EXPECT_EQ(back.error->code, ErrorCode::ContextLengthExceeded);
  EXPECT_EQ(back.error->message, "too long");
  EXPECT_EQ(back.error->param, "max_tokens");
  EXPECT_TRUE(back.is_last());
}

TEST(GenerateDelta, MalformedLinesAreUpstreamFailures) {
  for (std::string_view bad :
       {"", "not json", "[1,2]", R"({"token_ids": "x"})", R"({"logprobs": [{"token": 1}]})",
        R"({"tool_calls": {}})", R"({"tool_calls": [1]})", R"({"tool_calls": [{"index": -1}]})",
        R"({"tool_calls": [{"index": 0, "name": 5}]})"}) {
    try {
      parse_delta_line(bad);
      FAIL() << bad;
    } catch (const ErrorException& e) {
      EXPECT_EQ(e.error().code, ErrorCode::UpstreamFailed) << bad;
    }
  }
}

// Found by tests/fuzz/fuzz_stream_parsers: nlohmann's unchecked conversion of 1e10 to int32 was
// undefined behaviour (UBSan float-cast-overflow); out-of-range counts are now malformed lines.
TEST(GenerateDelta, OutOfRangeNumbersAreUpstreamFailures) {
  for (std::string_view bad :
       {R"({"token_ids": [1e10]})", R"({"token_ids": [2147483648]})", R"({"token_ids": [1.5]})",
        R"({"prompt_tokens": 1e300})", R"({"completion_tokens": -2147483649})",
        R"({"prompt_tokens": null})"}) {
    try {
      parse_delta_line(bad);
      FAIL() << bad;
    } catch (const ErrorException& e) {
      EXPECT_EQ(e.error().code, ErrorCode::UpstreamFailed) << bad;
    }
  }
  auto delta = parse_delta_line(R"({"token_ids": [-2147483648, 2147483647], "prompt_tokens": 5})");
  EXPECT_EQ(delta.token_ids, (std::vector<int32_t>{-2147483648, 2147483647}));
  EXPECT_EQ(delta.prompt_tokens, 5);
  EXPECT_EQ(delta.completion_tokens, 0);
}

TEST(FrameSplitter, SplitsAcrossChunksAndSkipsEmptyFrames) {
  FrameSplitter lines('\n');
  EXPECT_TRUE(lines.push("ab").empty());
  EXPECT_EQ(lines.pending(), 2u);
  EXPECT_EQ(lines.push("c\n\nde"), std::vector<std::string>{"abc"});
  EXPECT_EQ(lines.push("\nf\n"), (std::vector<std::string>{"de", "f"}));
  EXPECT_EQ(lines.pending(), 0u);

  FrameSplitter nul('\0');
  std::string data("{\"a\":1}\0{\"b\"", 12);
  EXPECT_EQ(nul.push(data), std::vector<std::string>{"{\"a\":1}"});
  EXPECT_EQ(nul.push(std::string(":2}\0", 4)), std::vector<std::string>{"{\"b\":2}"});
}

}  // namespace
}  // namespace fastchat::protocol
