#include "protocol/chat_message.h"

#include "common/error/error.h"

namespace fastchat::protocol {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

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
  if (role == "user" || role == "assistant" || role == "tool") return role;
  reject(role_path, "is '" + role +
                        "'; supported roles are 'system', 'developer', 'user', 'assistant' and "
                        "'tool'");
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

void parse_content(const json& message, const std::string& path, ChatMessage& out) {
  const std::string content_path = path + ".content";
  const auto it = message.find("content");
  if (it == message.end() || it->is_null()) {
    if (out.role != "assistant") reject(content_path, "is required for role '" + out.role + "'");
    out.content_is_null = true;
    return;
  }
  if (it->is_string()) {
    out.content = it->get<std::string>();
  } else if (it->is_array()) {
    out.content = parse_parts(*it, content_path);
  } else {
    reject(content_path, "must be a string or an array of content parts");
  }
}

// A string field that is optional (absent or null) unless `required`.
std::string optional_string(const json& object, const char* key, const std::string& path,
                            bool required = false) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (required) reject(path + "." + key, "is required");
    return {};
  }
  if (!it->is_string()) reject(path + "." + key, "must be a string");
  return it->get<std::string>();
}

ToolCall parse_tool_call(const json& call, const std::string& path) {
  if (!call.is_object()) reject(path, "must be an object with 'id', 'type' and 'function'");
  ToolCall parsed;
  parsed.id = optional_string(call, "id", path, /*required=*/true);
  const std::string type = optional_string(call, "type", path);
  if (!type.empty() && type != "function") {
    reject(path + ".type", "is '" + type + "'; only 'function' tool calls are supported");
  }
  const auto function = call.find("function");
  if (function == call.end() || !function->is_object()) {
    reject(path + ".function", "must be an object with 'name' and 'arguments'");
  }
  const std::string function_path = path + ".function";
  parsed.name = optional_string(*function, "name", function_path, /*required=*/true);
  const auto arguments = function->find("arguments");
  if (arguments == function->end() || !(arguments->is_string() || arguments->is_object())) {
    reject(function_path + ".arguments", "must be a string holding the arguments as JSON");
  }
  parsed.arguments = ordered_json::parse(arguments->dump());
  return parsed;
}

void parse_tool_fields(const json& message, const std::string& path, ChatMessage& out) {
  out.name = optional_string(message, "name", path);
  if (out.role == "tool") {
    out.tool_call_id = optional_string(message, "tool_call_id", path, /*required=*/true);
  }
  const auto calls = message.find("tool_calls");
  if (calls == message.end() || calls->is_null()) return;
  const std::string calls_path = path + ".tool_calls";
  if (out.role != "assistant") reject(calls_path, "is only allowed in assistant messages");
  if (!calls->is_array()) reject(calls_path, "must be an array of tool calls");
  for (std::size_t i = 0; i < calls->size(); ++i) {
    out.tool_calls.push_back(
        parse_tool_call((*calls)[i], calls_path + "[" + std::to_string(i) + "]"));
  }
}

}  // namespace

ordered_json to_json(const ChatMessage& message) {
  ordered_json out = {{"role", message.role}};
  out["content"] = message.content_is_null ? ordered_json(nullptr) : ordered_json(message.content);
  if (!message.tool_calls.empty()) {
    ordered_json calls = ordered_json::array();
    for (const auto& call : message.tool_calls) {
      calls.push_back({{"id", call.id},
                       {"type", "function"},
                       {"function", {{"name", call.name}, {"arguments", call.arguments}}}});
    }
    out["tool_calls"] = std::move(calls);
  }
  if (!message.tool_call_id.empty()) out["tool_call_id"] = message.tool_call_id;
  if (!message.name.empty()) out["name"] = message.name;
  return out;
}

std::vector<ChatMessage> parse_chat_messages(const json& messages) {
  if (!messages.is_array()) reject("messages", "must be an array of messages");
  if (messages.empty()) reject("messages", "must contain at least one message");
  std::vector<ChatMessage> parsed;
  parsed.reserve(messages.size());
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const std::string path = element_path(i);
    const json& message = messages[i];
    if (!message.is_object()) reject(path, "must be an object with 'role' and 'content'");
    ChatMessage out;
    out.role = parse_role(message, path);
    parse_content(message, path, out);
    parse_tool_fields(message, path, out);
    parsed.push_back(std::move(out));
  }
  return parsed;
}

}  // namespace fastchat::protocol
