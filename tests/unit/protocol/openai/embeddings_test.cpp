#include "protocol/openai/embeddings.h"

#include <gtest/gtest.h>

#include "common/error/error.h"

namespace fastchat::openai {
namespace {

using nlohmann::json;

TEST(Embeddings, ParsesTheRequest) {
  auto request = parse_embeddings_request(
      R"({"model": "m", "input": ["a", "b"], "encoding_format": "base64", "dimensions": 64,
          "user": "u"})");
  EXPECT_EQ(request.model, "m");
  EXPECT_EQ(request.inputs.size(), 2u);
  EXPECT_TRUE(request.base64);
  EXPECT_EQ(request.dimensions, 64);
  request = parse_embeddings_request(R"({"model": "m", "input": "a"})");
  EXPECT_FALSE(request.base64);
  EXPECT_FALSE(request.dimensions.has_value());
  // The legacy route's path names the model when the body does not.
  EXPECT_EQ(parse_embeddings_request(R"({"input": "a"})", "from-path").model, "from-path");
  EXPECT_EQ(parse_embeddings_request(R"({"model": "body", "input": "a"})", "from-path").model,
            "body");
}

TEST(Embeddings, ErrorsNameTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"input": "a"})", "model"},
      {R"({"model": "m"})", "input"},
      {R"({"model": "m", "input": []})", "input"},
      {R"({"model": "m", "input": "a", "encoding_format": "int8"})", "encoding_format"},
      {R"({"model": "m", "input": "a", "dimensions": 0})", "dimensions"},
      {R"({"model": "m", "input": "a", "dimensions": "8"})", "dimensions"},
      {R"({"model": "m", "input": "a", "user": 5})", "user"},
  };
  for (const auto& [body, param] : cases) {
    try {
      parse_embeddings_request(body);
      ADD_FAILURE() << body;
    } catch (const ErrorException& e) {
      EXPECT_EQ(e.error().param, param) << body << ": " << e.error().message;
    }
  }
}

TEST(Embeddings, Base64IsLittleEndianFloat32) {
  EXPECT_EQ(float32_base64({}), "");
  EXPECT_EQ(float32_base64({1.0f}), "AACAPw==");             // 00 00 80 3F
  EXPECT_EQ(float32_base64({1.0f, -2.0f}), "AACAPwAAAMA=");  // + 00 00 00 C0
  EXPECT_EQ(float32_base64({0.0f, 0.0f, 0.0f}), "AAAAAAAAAAAAAAAA");
}

TEST(Embeddings, ResponseShape) {
  const json floats = embeddings_response({{0.6f, 0.8f}, {1.0f, 0.0f}}, "m", 7, false);
  EXPECT_EQ(floats.at("object"), "list");
  EXPECT_EQ(floats.at("model"), "m");
  EXPECT_EQ(floats.at("usage"), (json{{"prompt_tokens", 7}, {"total_tokens", 7}}));
  ASSERT_EQ(floats.at("data").size(), 2u);
  EXPECT_EQ(floats["data"][1].at("object"), "embedding");
  EXPECT_EQ(floats["data"][1].at("index"), 1);
  EXPECT_EQ(floats["data"][1].at("embedding"), (json{1.0, 0.0}));
  const json encoded = embeddings_response({{1.0f}}, "m", 1, true);
  EXPECT_EQ(encoded["data"][0].at("embedding"), "AACAPw==");
}

}  // namespace
}  // namespace fastchat::openai
