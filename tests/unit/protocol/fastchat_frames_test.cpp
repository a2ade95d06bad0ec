#include "protocol/fastchat_frames.h"

#include <gtest/gtest.h>

namespace fastchat::protocol {
namespace {

TEST(FastChatFrames, TextIsCumulativeAndFramesEndWithNul) {
  FastChatFrames frames;
  protocol::GenerateDelta first;
  first.text = "Once";
  first.prompt_tokens = 4;
  first.completion_tokens = 1;
  auto a = frames.add(first);
  EXPECT_EQ(a["text"], "Once");
  EXPECT_EQ(a["error_code"], 0);
  EXPECT_TRUE(a["finish_reason"].is_null());
  protocol::GenerateDelta second;
  second.text = " upon";
  second.prompt_tokens = 4;
  second.completion_tokens = 2;
  second.finish_reason = "length";
  auto b = frames.add(second);
  EXPECT_EQ(b["text"], "Once upon");
  EXPECT_EQ(b["usage"]["total_tokens"], 6);
  EXPECT_EQ(b["finish_reason"], "length");
  auto encoded = FastChatFrames::encode(b);
  EXPECT_EQ(encoded.back(), '\0');
  EXPECT_EQ(nlohmann::json::parse(encoded.substr(0, encoded.size() - 1)), b);
}

TEST(FastChatFrames, LogprobsAccumulateWithTextOffsets) {
  FastChatFrames frames;
  protocol::GenerateDelta delta;
  delta.logprobs = {{"Once", -0.5f, {{"Once", -0.5f}}}, {" upon", -0.25f, {}}};
  frames.add(delta);
  delta.logprobs = {{" a", -1.0f, {}}};
  auto frame = frames.add(delta);
  EXPECT_EQ(frame["logprobs"]["tokens"], nlohmann::json({"Once", " upon", " a"}));
  EXPECT_EQ(frame["logprobs"]["text_offset"], nlohmann::json({0, 4, 9}));
  EXPECT_EQ(frame["logprobs"]["top_logprobs"][0]["Once"], -0.5);
}

TEST(FastChatFrames, ErrorsUseFastChatsCodes) {
  auto frame = FastChatFrames::error(Error{ErrorCode::ContextLengthExceeded, "too long", ""});
  EXPECT_EQ(frame["error_code"], 40303);
  EXPECT_EQ(frame["text"], "too long");
  EXPECT_EQ(fastchat_error_code(ErrorCode::InvalidRequest), 40302);
  EXPECT_EQ(fastchat_error_code(ErrorCode::Overloaded), 42903);
  EXPECT_EQ(fastchat_error_code(ErrorCode::Internal), 50001);
}

}  // namespace
}  // namespace fastchat::protocol
