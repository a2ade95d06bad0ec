// DeltaReader: lines split across pieces, holding back what a sink could block on, refusals
// and broken lines.

#include "webserver/upstream/delta_reader.h"

#include <gtest/gtest.h>

namespace fastchat::upstream {
namespace {

std::string line(const std::string& text, const char* finish = nullptr) {
  protocol::GenerateDelta delta;
  delta.text = text;
  if (finish) delta.finish_reason = finish;
  return protocol::to_line(delta);
}

struct RecordingSink {
  std::vector<std::string> texts;
  bool full = false;
  bool refuse = false;
  DeltaSink sink{[this](const protocol::GenerateDelta& d) {
                   texts.push_back(d.text);
                   return !refuse;
                 },
                 [this] { return full; }};
};

TEST(DeltaReaderTest, LinesSplitAcrossPiecesArriveWhole) {
  RecordingSink out;
  DeltaReader reader(out.sink, "w");
  const std::string all = line("a") + line("bc") + line("", "stop");
  EXPECT_FALSE(reader.received());
  for (char c : all)
    ASSERT_EQ(reader.take(std::string_view(&c, 1), false), http::PieceVerdict::Continue);
  EXPECT_EQ(out.texts, (std::vector<std::string>{"a", "bc", ""}));
  EXPECT_TRUE(reader.received());
  EXPECT_TRUE(reader.ended());
}

TEST(DeltaReaderTest, WhatTheSinkCouldBlockOnIsHeldBackUntilBlockingIsAllowed) {
  RecordingSink out;
  DeltaReader reader(out.sink, "w");
  EXPECT_EQ(reader.take(line("1"), false), http::PieceVerdict::Continue);
  out.full = true;
  EXPECT_EQ(reader.take(line("2") + line("3"), false), http::PieceVerdict::Yield);
  EXPECT_EQ(out.texts, std::vector<std::string>{"1"});
  EXPECT_EQ(reader.take(line("4"), false), http::PieceVerdict::Yield);  // still full: all held
  EXPECT_EQ(reader.deliver_held_back(), http::PieceVerdict::Continue);  // may block: delivered
  EXPECT_EQ(out.texts, (std::vector<std::string>{"1", "2", "3", "4"}));
  EXPECT_EQ(reader.take(line("5"), true), http::PieceVerdict::Continue);
  EXPECT_EQ(out.texts.back(), "5");
}

TEST(DeltaReaderTest, ARefusalStopsAndCancels) {
  RecordingSink out;
  DeltaReader reader(out.sink, "w");
  out.refuse = true;
  EXPECT_EQ(reader.take(line("a") + line("b"), false), http::PieceVerdict::Stop);
  EXPECT_EQ(out.texts, std::vector<std::string>{"a"});
  EXPECT_TRUE(reader.cancelled());
}

TEST(DeltaReaderTest, BrokenOrEndlessLinesAreUpstreamFailures) {
  RecordingSink out;
  DeltaReader reader(out.sink, "http://w:1");
  try {
    reader.take("not json\n", true);
    FAIL();
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::UpstreamFailed);
  }
  DeltaReader endless(out.sink, "http://w:1");
  const std::string mebibyte(1u << 20, 'x');
  try {
    for (int i = 0; i < 8; ++i) endless.take(mebibyte, true);
    FAIL();
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::UpstreamFailed);
    EXPECT_NE(e.error().message.find("http://w:1"), std::string::npos);
  }
}

}  // namespace
}  // namespace fastchat::upstream
