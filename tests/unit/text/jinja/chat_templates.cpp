#include "chat_templates.h"

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "test_paths.h"

namespace fastchat::jinja::testing {
namespace {

const nlohmann::ordered_json& config(const std::string& name) {
  static const std::map<std::string, nlohmann::ordered_json> configs = [] {
    std::map<std::string, nlohmann::ordered_json> all;
    for (const std::string& n : template_names()) {
      const auto path =
          fastchat::testing::test_data_dir() / "chat-templates" / n / "tokenizer_config.json";
      all.emplace(n, read_json(path.string()));
    }
    return all;
  }();
  return configs.at(name);
}

std::string token_text(const nlohmann::ordered_json& token) {
  if (token.is_string()) return token.get<std::string>();
  if (token.is_object() && token.contains("content")) return token["content"].get<std::string>();
  return "";
}

}  // namespace

const std::vector<std::string>& template_names() {
  static const std::vector<std::string> names{"llama3", "llama3_1", "gemma3", "deepseek_v3",
                                              "qwen3"};
  return names;
}

std::string chat_template(const std::string& name) {
  return config(name)["chat_template"].get<std::string>();
}

std::string bos_token(const std::string& name) { return token_text(config(name)["bos_token"]); }
std::string eos_token(const std::string& name) { return token_text(config(name)["eos_token"]); }

nlohmann::ordered_json read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::ordered_json::parse(text.str());
}

std::string source_dir() { return FASTCHAT_JINJA_TEST_DIR; }

}  // namespace fastchat::jinja::testing
