#pragma once
// The five real chat templates of the test data (tests/data/chat-templates.tar.xz) and the
// context their reference renderings were made with, for the jinja tests.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fastchat::jinja::testing {

/// llama3, llama3_1, gemma3, deepseek_v3, qwen3.
const std::vector<std::string>& template_names();

/// The chat_template of `name`'s tokenizer_config.json.
std::string chat_template(const std::string& name);

/// `name`'s bos_token and eos_token as plain strings (an AddedToken's content; "" for none).
std::string bos_token(const std::string& name);
std::string eos_token(const std::string& name);

/// A JSON file of the test data or of this folder, read with its key order kept.
nlohmann::ordered_json read_json(const std::string& path);

/// This test folder in the source tree (for extra_renderings.json).
std::string source_dir();

}  // namespace fastchat::jinja::testing
