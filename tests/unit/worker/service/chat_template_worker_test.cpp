// A model folder with its own Jinja chat template: the worker renders chats with it by default
// (a FastChat template only with --conv-template), writes BOS once, stops at the template's end
// of turn, says which format is in use, and answers a template's refusal with a 400 naming the
// template line. stories260K in a temporary copy with a test chat_template.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "protocol/generate_delta.h"
#include "recording_responder.h"
#include "test_paths.h"
#include "worker/engine/model_instance.h"
#include "worker/service/worker_service.h"

namespace fastchat::service {
namespace {

using nlohmann::json;
using recording::call;

// A template in the style of real ones: BOS written by the template, one marker per turn, the
// EOS token closing each message, and a refusal for a conversation it cannot format.
constexpr const char* kTemplate =
    "{{ bos_token }}{% for m in messages %}"
    "{% if m.content == 'forbidden' %}{{ raise_exception('this content is refused') }}{% endif %}"
    "[{{ m.role }}] {{ m.content }}{{ eos_token }}"
    "{% endfor %}{% if add_generation_prompt %}[assistant]{% endif %}";

std::filesystem::path make_folder() {
  const auto source = testing::test_data_dir() / "models" / "stories260K";
  const auto dir = testing::make_temp_dir("chat-template-worker") / "stories260K";
  std::filesystem::create_directories(dir);
  for (const auto& entry : std::filesystem::directory_iterator(source)) {
    std::filesystem::copy_file(entry.path(), dir / entry.path().filename());
  }
  std::ifstream in(dir / "tokenizer_config.json");
  json config = json::parse(in);
  in.close();
  config["chat_template"] = kTemplate;
  std::filesystem::remove(dir / "tokenizer_config.json");
  std::ofstream(dir / "tokenizer_config.json") << config.dump(2);
  return dir;
}

class ChatTemplateWorker : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new std::filesystem::path(make_folder());
    engine::LaunchOptions launch;
    launch.model_path = *folder_;
    launch.engine.num_threads = 1;
    model_ = new engine::ModelInstance(launch);
  }
  static void TearDownTestSuite() {
    delete model_;
    std::filesystem::remove_all(folder_->parent_path());
    delete folder_;
  }

  static std::filesystem::path* folder_;
  static engine::ModelInstance* model_;
  WorkerService service_{*model_, {{"stories260K"}, 8}};
  std::shared_ptr<http::Router> router_ = service_.router();
};

std::filesystem::path* ChatTemplateWorker::folder_ = nullptr;
engine::ModelInstance* ChatTemplateWorker::model_ = nullptr;

TEST_F(ChatTemplateWorker, TheFoldersTemplateIsUsedAndNamed) {
  ASSERT_NE(model_->chat_template(), nullptr);
  // "</s>" is one token (2): generation stops on it as a token id.
  const json format = {{"type", "chat_template"},   {"origin", "tokenizer_config.json"},
                       {"end_of_turn", "</s>"},     {"stop_token_ids", {2}},
                       {"stop", json::array()},     {"tool_call_format", "none"},
                       {"reasoning_format", "none"}};
  EXPECT_EQ(model_->prompt_format(), format);
  auto details = call(*router_, "/model_details", json::object());
  ASSERT_TRUE(details.response);
  EXPECT_EQ(json::parse(details.response->body)["prompt_format"], format);
  auto conv = call(*router_, "/worker_get_conv_template", json::object());
  ASSERT_TRUE(conv.response);
  const auto body = json::parse(conv.response->body);
  EXPECT_EQ(body["prompt_format"], format);
  EXPECT_TRUE(body["conv"].contains("template_name"));  // FastChat's clients still find a conv
}

TEST_F(ChatTemplateWorker, RendersWithTheTemplateAndWritesBosOnce) {
  const std::vector<protocol::ChatMessage> messages = {{"system", "Be kind."},
                                                       {"user", "Once upon a time"}};
  const std::string prompt = model_->render_chat(messages);
  EXPECT_EQ(prompt, "<s>[system] Be kind.</s>[user] Once upon a time</s>[assistant]");
  const auto ids = model_->encode_chat(prompt);
  ASSERT_GE(ids.size(), 2u);
  EXPECT_EQ(ids[0], 1);  // the template's BOS
  EXPECT_NE(ids[1], 1);  // and no second one from the tokenizer
  EXPECT_EQ(ids, model_->tokenizer().encode(prompt, /*add_special_tokens=*/false));

  auto out = call(*router_, "/native/generate",
                  {{"messages",
                    {{{"role", "system"}, {"content", "Be kind."}},
                     {{"role", "user"}, {"content", "Once upon a time"}}}},
                   {"temperature", 0},
                   {"max_tokens", 6}});
  ASSERT_TRUE(out.stream_);
  protocol::FrameSplitter lines('\n');
  int32_t prompt_tokens = 0;
  for (const auto& line : lines.push(out.stream_->data)) {
    prompt_tokens = std::max(prompt_tokens, protocol::parse_delta_line(line).prompt_tokens);
  }
  EXPECT_EQ(prompt_tokens, static_cast<int32_t>(ids.size()));
}

TEST_F(ChatTemplateWorker, ATemplatesRefusalIsA400NamingTheLine) {
  auto out =
      call(*router_, "/native/generate",
           {{"messages",
             {{{"role", "user"}, {"content", "x"}}, {{"role", "user"}, {"content", "forbidden"}}}},
            {"max_tokens", 4}});
  ASSERT_TRUE(out.response);
  EXPECT_EQ(out.response->status, 400);
  const auto error = json::parse(out.response->body)["error"];
  EXPECT_NE(error["message"].get<std::string>().find("line 1"), std::string::npos) << error;
  EXPECT_NE(error["message"].get<std::string>().find("this content is refused"), std::string::npos)
      << error;
}

// The 400 of a /native/generate body, or a failure when it is not one.
Error native_refusal(http::Router& router, const json& body) {
  auto out = call(router, "/native/generate", body);
  if (!out.response || out.response->status != 400) {
    ADD_FAILURE() << "expected a 400 for " << body.dump();
    return {};
  }
  const auto error = json::parse(out.response->body)["error"];
  return Error{ErrorCode::InvalidRequest, error.value("message", ""), error.value("param", "")};
}

const std::string kTools = R"([{"type": "function", "function": {"name": "get_weather"}}])";

TEST_F(ChatTemplateWorker, ToolsNeedAKnownToolCallFormat) {
  // This template writes no tool-call markup, so no format is known: answering would leave the
  // model's calls, if any, as text.
  const auto error = native_refusal(
      *router_, {{"messages", {{{"role", "user"}, {"content", "x"}}}}, {"tools", kTools}});
  EXPECT_EQ(error.param, "tools");
  EXPECT_NE(error.message.find("--tool-call-parser"), std::string::npos) << error.message;
}

TEST(ChatTemplateWorkerFlags, AToolCallParserFlagChoosesTheFormat) {
  const auto folder = make_folder();
  engine::LaunchOptions launch;
  launch.model_path = folder;
  launch.tool_call_parser = "hermes";
  launch.reasoning_parser = "think";
  launch.engine.num_threads = 1;
  engine::ModelInstance model(launch);
  EXPECT_EQ(model.prompt_format()["tool_call_format"], "hermes");
  EXPECT_EQ(model.prompt_format()["reasoning_format"], "think");
  protocol::GenerateRequest request;
  request.messages = std::vector<protocol::ChatMessage>{{"user", "x"}};
  request.tools = nlohmann::ordered_json::parse(kTools);
  const auto prompt = model.render_chat(request);
  ASSERT_TRUE(prompt.reply.has_value());
  EXPECT_EQ(prompt.reply->tool_calls, reply::ToolCallFormat::Hermes);
  EXPECT_EQ(prompt.reply->reasoning, reply::ReasoningFormat::Think);
  EXPECT_FALSE(prompt.keep_special_tokens);
  request.tools = nullptr;
  EXPECT_EQ(model.render_chat(request).reply->tool_calls, reply::ToolCallFormat::None);
  std::filesystem::remove_all(folder.parent_path());
}

TEST(ChatTemplateWorkerFlags, ConvTemplateChoosesFastChatsFormat) {
  const auto folder = make_folder();
  engine::LaunchOptions launch;
  launch.model_path = folder;
  launch.conv_template = "raw";
  launch.engine.num_threads = 1;
  engine::ModelInstance model(launch);
  EXPECT_EQ(model.chat_template(), nullptr);
  EXPECT_EQ(model.prompt_format(), (json{{"type", "fastchat"}, {"name", "raw"}}));

  // A FastChat template has no place for tools, tool turns or template variables.
  WorkerService service{model, {{"stories260K"}, 8}};
  auto router = service.router();
  const json user = {{"role", "user"}, {"content", "x"}};
  EXPECT_EQ(native_refusal(*router, {{"messages", {user}}, {"tools", kTools}}).param, "tools");
  EXPECT_EQ(native_refusal(*router, {{"messages", {user}},
                                     {"chat_template_kwargs", R"({"enable_thinking": false})"}})
                .param,
            "chat_template_kwargs");
  const json tool_turn = {{"role", "tool"}, {"tool_call_id", "c"}, {"content", "sunny"}};
  const auto error = native_refusal(*router, {{"messages", {user, tool_turn}}});
  EXPECT_EQ(error.param, "messages[1].role");
  EXPECT_NE(error.message.find("'raw'"), std::string::npos) << error.message;

  launch.tool_call_parser = "hermes";
  try {
    engine::ModelInstance refused(launch);
    ADD_FAILURE() << "a tool-call parser needs a chat template";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::InvalidConfig);
    EXPECT_EQ(e.error().param, "tool-call-parser");
  }
  std::filesystem::remove_all(folder.parent_path());
}

}  // namespace
}  // namespace fastchat::service
