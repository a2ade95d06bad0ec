// Verdict extraction, case by case against FastChat's regular expressions (common.py):
// one_score_pattern \[\[(\d+\.?\d*)\]\], its backup \[(\d+\.?\d*)\], the pairwise [[A]]/[[B]]/
// [[C]] search order and the two-score form with TIE_DELTA 0.1.

#include "judge/verdict.h"

#include <gtest/gtest.h>

namespace fastchat::judge {
namespace {

TEST(ExtractRating, DoubleBracketsFirstThenSingle) {
  EXPECT_EQ(extract_rating("Rating: [[8]]").value, 8.0);
  EXPECT_TRUE(extract_rating("Rating: [[8]]").integral);
  EXPECT_EQ(extract_rating("[[8.5]]").value, 8.5);
  EXPECT_FALSE(extract_rating("[[8.5]]").integral);
  EXPECT_EQ(extract_rating("[[8.]]").value, 8.0);
  EXPECT_FALSE(extract_rating("[[8.]]").integral);  // Python's literal_eval("8.") is a float
  // [[x]] anywhere wins over an earlier [x].
  EXPECT_EQ(extract_rating("step [2] ... Rating: [[9]]").value, 9.0);
  EXPECT_EQ(extract_rating("Rating: [7]").value, 7.0);
  // The first of several.
  EXPECT_EQ(extract_rating("[[3]] then [[4]]").value, 3.0);
  // A broken [[ followed by a good one later.
  EXPECT_EQ(extract_rating("[[x]] [[ 5]] [[6]]").value, 6.0);
}

TEST(ExtractRating, NoneIsMinusOne) {
  for (const char* text : {"", "no rating", "[[ten]]", "[[-3]]", "[[.5]]", "[ 7 ]", "[[7"}) {
    const Score s = extract_rating(text);
    EXPECT_EQ(s.value, kNoScore) << text;
    EXPECT_EQ(s.to_json(), -1) << text;
  }
  // "[[-3]]" has no match for [[x]], but "[-3]" neither; "[[7" neither.
}

TEST(ExtractRating, JsonTypesFollowTheText) {
  EXPECT_TRUE(extract_rating("[[10]]").to_json().is_number_integer());
  EXPECT_TRUE(extract_rating("[[9.25]]").to_json().is_number_float());
}

TEST(ExtractPairWinner, SearchOrderIsAThenBThenC) {
  EXPECT_EQ(extract_pair_winner("verdict [[A]]", "[[A]]"), "A");
  EXPECT_EQ(extract_pair_winner("verdict [[B]]", "[[A]]"), "B");
  EXPECT_EQ(extract_pair_winner("verdict [[C]]", "[[A]]"), "tie");
  // FastChat looks for [[A]] first, wherever it is.
  EXPECT_EQ(extract_pair_winner("[[B]] no, [[A]]", "[[A]]"), "A");
  EXPECT_EQ(extract_pair_winner("[[C]] or [[B]]", "[[A]]"), "B");
  EXPECT_EQ(extract_pair_winner("A is better", "[[A]]"), "error");
  EXPECT_EQ(extract_pair_winner("[A]", "[[A]]"), "error");
}

TEST(ExtractPairWinner, TwoScoresWithTieDelta) {
  const char* fmt = "[[rating_a,rating_b]]";
  EXPECT_EQ(extract_pair_winner("[[8, 6]]", fmt), "A");
  EXPECT_EQ(extract_pair_winner("[[6,8]]", fmt), "B");
  EXPECT_EQ(extract_pair_winner("[[7.05, 7]]", fmt), "tie");
  EXPECT_EQ(extract_pair_winner("[7.2, 7]", fmt), "A");
  EXPECT_EQ(extract_pair_winner("[[7,  8]]", fmt), "error");  // \s? takes one space at most
  EXPECT_EQ(extract_pair_winner("none", fmt), "error");
}

TEST(VerdictFormats, KnownFormats) {
  EXPECT_TRUE(is_single_format("[[rating]]"));
  EXPECT_FALSE(is_single_format("[[A]]"));
  EXPECT_TRUE(is_pair_format("[[A]]"));
  EXPECT_TRUE(is_pair_format("[[rating_a,rating_b]]"));
  EXPECT_FALSE(is_pair_format("[[rating]]"));
}

}  // namespace
}  // namespace fastchat::judge
