#include "protocol/embedding_input.h"

#include <gtest/gtest.h>

#include "common/error/error.h"

namespace fastchat::protocol {
namespace {

using nlohmann::json;

TEST(EmbeddingInput, EveryShapeOpenAiAccepts) {
  EXPECT_EQ(parse_embedding_inputs("hello"), (std::vector<EmbeddingInput>{"hello"}));
  EXPECT_EQ(parse_embedding_inputs(json::parse(R"(["a", "b"])")),
            (std::vector<EmbeddingInput>{"a", "b"}));
  EXPECT_EQ(parse_embedding_inputs(json::parse("[1, 2, 3]")),
            (std::vector<EmbeddingInput>{std::vector<int32_t>{1, 2, 3}}));
  EXPECT_EQ(parse_embedding_inputs(json::parse("[[1], [2, 3]]")),
            (std::vector<EmbeddingInput>{std::vector<int32_t>{1}, std::vector<int32_t>{2, 3}}));
  const std::vector<EmbeddingInput> mixed_back = {"x", std::vector<int32_t>{4}};
  EXPECT_EQ(to_json(mixed_back), json::parse(R"(["x", [4]])"));
}

TEST(EmbeddingInput, ErrorsNameThePath) {
  const std::pair<const char*, const char*> cases[] = {
      {"5", "input"},
      {"{}", "input"},
      {"[]", "input"},
      {R"("")", "input"},
      {R"(["a", ""])", "input[1]"},
      {R"(["a", 5])", "input[1]"},
      {"[1, -2]", "input[1]"},
      {"[1, 2.5]", "input[1]"},
      {"[[1], 2]", "input[1]"},
      {"[[1], []]", "input[1]"},
      {"[[1], [3000000000]]", "input[1][0]"},
      {"[null]", "input[0]"},
  };
  for (const auto& [text, param] : cases) {
    try {
      parse_embedding_inputs(json::parse(text));
      ADD_FAILURE() << text;
    } catch (const ErrorException& e) {
      EXPECT_EQ(e.error().code, ErrorCode::InvalidRequest) << text;
      EXPECT_EQ(e.error().param, param) << text << ": " << e.error().message;
    }
  }
  EXPECT_THROW(parse_embedding_inputs(json(std::vector<std::string>(kMaxEmbeddingInputs + 1, "a"))),
               ErrorException);
}

}  // namespace
}  // namespace fastchat::protocol
