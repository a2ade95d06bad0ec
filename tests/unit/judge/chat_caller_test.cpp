// The pieces of a chat call that need no server (the retries are exercised end to end against
// a scripted fake in tests/judge/test_judge_pipeline.py): Retry-After and the answer's text.

#include "judge/chat_caller.h"

#include <gtest/gtest.h>

#include "common/error/error.h"
#include "judge/parallel_runner.h"

namespace fastchat::judge {
namespace {

using namespace std::chrono_literals;

TEST(RetryAfter, SecondsOnly) {
  EXPECT_EQ(parse_retry_after("3"), 3000ms);
  EXPECT_EQ(parse_retry_after(" 0.5 "), 500ms);
  EXPECT_EQ(parse_retry_after("0"), 0ms);
  EXPECT_EQ(parse_retry_after("999999"), 3600000ms);  // capped at an hour
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), std::nullopt);
  EXPECT_EQ(parse_retry_after("-1"), std::nullopt);
  EXPECT_EQ(parse_retry_after(""), std::nullopt);
}

TEST(CompletionText, FirstChoicesContent) {
  EXPECT_EQ(
      completion_text(nlohmann::json::parse(
          R"({"choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}}]})")),
      "hi");
  for (const char* bad : {"{}", R"({"choices": []})", R"({"choices": [{"message": {}}]})",
                          R"({"choices": [{"message": {"content": null}}]})", "[1]"}) {
    EXPECT_THROW(completion_text(nlohmann::json::parse(bad)), ErrorException) << bad;
  }
}

TEST(ParallelRunner, RunsEveryJobOnceAndCountsFailures) {
  std::vector<std::atomic<int>> runs(50);
  const auto summary = run_parallel(runs.size(), 4, "test", [&](size_t i) {
    runs[i].fetch_add(1);
    if (i % 10 == 0) throw std::runtime_error("job failed");
  });
  for (const auto& r : runs) EXPECT_EQ(r.load(), 1);
  EXPECT_EQ(summary.done, 45u);
  EXPECT_EQ(summary.failed, 5u);
  EXPECT_EQ(progress_text(30, 120, 15.0), "30/120 (25%) 2.00/s ETA 0:45");
}

}  // namespace
}  // namespace fastchat::judge
