#include "protocol/chat_message.h"

#include <nlohmann/json.hpp>

#include "common/error/error.h"

namespace fastchat::protocol {
namespace {

using nlohmann::json;

std::string element_path(std::size_t index) { return "messages[" + std::to_string(index) + "]"; }

[[noreturn]] void reject(const std::string& path, const std::string& message) {
  throw_error(ErrorCode::InvalidRequest, "'" + path + "' " + message, path);
}

std::string parse_role(const json& message, const std::string& path) {
  const std::string role_path = path + ".role";
  const auto it = message.find("role");
  if (it == message.end()) reject(role_path, "is required");
  if (!it->is_string()) reject(role_path, "must be a string");
  const auto& role = it->get_ref<const std::string&>();
  if (role == "system" || role == "developer") return "system";
  if (role == "user" || role == "assistant") return role;
  reject(role_path,
         "is '" + role + "'; supported roles are 'system', 'developer', 'user' and 'assistant'");
}

// Joins the text parts of a list-of-parts content with "\n", as FastChat does.
std::string parse_parts(const json& parts, const std::string& content_path) {
  std::string text;
  for (std::size_t j = 0; j < parts.size(); ++j) {
    const json& part = parts[j];
    const std::string part_path = content_path + "[" + std::to_string(j) + "]";
    if (!part.is_object()) reject(part_path, "must be an object with a 'type'");
    const auto type = part.find("type");
    if (type == part.end() || !type->is_string()) {
      reject(part_path + ".type", "must be a string");
    }
    const auto& type_name = type->get_ref<const std::string&>();
    if (type_name != "text") {
      reject(part_path + ".type",
             "is '" + type_name +
                 "'; only 'text' content parts are supported (this server "
                 "serves text-only models, images and audio are not accepted)");
    }
    const auto value = part.find("text");
    if (value == part.end() || !value->is_string()) {
      reject(part_path + ".text", "must be a string");
    }
    if (j > 0) text += '\n';
    text += value->get_ref<const std::string&>();
  }
  return text;
}

std::string parse_content(const json& message, const std::string& role, const std::string& path) {
  const std::string content_path = path + ".content";
  const auto it = message.find("content");
  if (it == message.end() || it->is_null()) {
    if (role == "assistant") return {};
    reject(content_path, "is required for role '" + role + "'");
  }
  if (it->is_string()) return it->get<std::string>();
  if (it->is_array()) return parse_parts(*it, content_path);
  reject(content_path, "must be a string or an array of content parts");
}

}  // namespace

std::vector<ChatMessage> parse_chat_messages(const json& messages) {
  if (!messages.is_array()) reject("messages", "must be an array of messages");
  if (messages.empty()) reject("messages", "must contain at least one message");
  std::vector<ChatMessage> parsed;
  parsed.reserve(messages.size());
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const std::string path = element_path(i);
    const json& message = messages[i];
    if (!message.is_object()) reject(path, "must be an object with 'role' and 'content'");
    std::string role = parse_role(message, path);
    std::string content = parse_content(message, role, path);
    parsed.push_back(ChatMessage{std::move(role), std::move(content)});
  }
  return parsed;
}

}  // namespace fastchat::protocol
