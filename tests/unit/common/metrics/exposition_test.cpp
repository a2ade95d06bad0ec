// The text format's spelling rules: escaping, numbers, label sets and names.

#include "common/metrics/exposition.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace fastchat::metrics {
namespace {

TEST(Exposition, LabelValuesEscapeBackslashQuoteAndNewline) {
  EXPECT_EQ(escape_label_value("plain"), "plain");
  EXPECT_EQ(escape_label_value("a\\b"), "a\\\\b");
  EXPECT_EQ(escape_label_value("say \"hi\""), "say \\\"hi\\\"");
  EXPECT_EQ(escape_label_value("two\nlines"), "two\\nlines");
  EXPECT_EQ(escape_label_value("\\\"\n"), "\\\\\\\"\\n");
  EXPECT_EQ(escape_label_value("ünïcode"), "ünïcode");  // UTF-8 passes through
}

TEST(Exposition, HelpEscapesBackslashAndNewlineButNotQuotes) {
  EXPECT_EQ(escape_help("a \"quoted\" word"), "a \"quoted\" word");
  EXPECT_EQ(escape_help("back\\slash\nnext"), "back\\\\slash\\nnext");
}

TEST(Exposition, ValuesUseTheShortestExactFormAndPrometheusSpecials) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(3), "3");
  EXPECT_EQ(format_value(-2), "-2");
  EXPECT_EQ(format_value(0.005), "0.005");
  EXPECT_EQ(format_value(2.5), "2.5");
  EXPECT_EQ(format_value(0.1 + 0.2), "0.30000000000000004");  // exact, not rounded
  EXPECT_EQ(format_value(1e-7), "1e-07");
  EXPECT_EQ(format_value(123456789012.0), "123456789012");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_value(std::nan("")), "NaN");
}

TEST(Exposition, LabelSetsKeepNameOrderAndAppendTheExtraLabelLast) {
  EXPECT_EQ(format_labels({}, {}), "");
  EXPECT_EQ(format_labels({"model"}, {"m\"1"}), "{model=\"m\\\"1\"}");
  EXPECT_EQ(format_labels({"b", "a"}, {"1", "2"}), "{b=\"1\",a=\"2\"}");
  EXPECT_EQ(format_labels({"model"}, {"x"}, "le", "+Inf"), "{model=\"x\",le=\"+Inf\"}");
  EXPECT_EQ(format_labels({}, {}, "le", "0.5"), "{le=\"0.5\"}");
}

TEST(Exposition, SampleLines) {
  std::string out;
  append_sample(out, "requests_total", "{code=\"200\"}", 7);
  append_sample(out, "up", "", 1);
  EXPECT_EQ(out, "requests_total{code=\"200\"} 7\nup 1\n");
}

TEST(Exposition, NamesFollowTheFormatsGrammar) {
  EXPECT_TRUE(valid_metric_name("fastchat_worker_prompt_tokens_total"));
  EXPECT_TRUE(valid_metric_name("vllm:num_requests_running"));  // legal, though promtool lints it
  EXPECT_TRUE(valid_metric_name("_x1"));
  EXPECT_FALSE(valid_metric_name(""));
  EXPECT_FALSE(valid_metric_name("1x"));
  EXPECT_FALSE(valid_metric_name("a-b"));
  EXPECT_FALSE(valid_metric_name("a b"));
  EXPECT_TRUE(valid_label_name("model"));
  EXPECT_TRUE(valid_label_name("finish_reason"));
  EXPECT_FALSE(valid_label_name("a:b"));
  EXPECT_FALSE(valid_label_name("__name__"));
  EXPECT_FALSE(valid_label_name("9"));
}

}  // namespace
}  // namespace fastchat::metrics
