#include "protocol/template_inputs.h"

#include <set>
#include <string>

#include "common/json/json_fields.h"

namespace fastchat::protocol {
namespace {

using nlohmann::ordered_json;

bool valid_function_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

const ordered_json* member(const ordered_json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string check_function(const ordered_json& function, const std::string& path) {
  if (!function.is_object()) reject_field(path, "must be an object with a 'name'");
  const ordered_json* name = member(function, "name");
  if (!name) reject_field(path + ".name", "is required");
  if (!name->is_string()) reject_field(path + ".name", "must be a string");
  const auto& text = name->get_ref<const std::string&>();
  if (!valid_function_name(text)) {
    reject_field(path + ".name",
                 "must be 1 to 64 characters of a-z, A-Z, 0-9, '_' and '-', got \"" +
                     text.substr(0, 80) + "\"");
  }
  if (const ordered_json* description = member(function, "description");
      description && !description->is_string()) {
    reject_field(path + ".description", "must be a string");
  }
  if (const ordered_json* parameters = member(function, "parameters");
      parameters && !parameters->is_object()) {
    reject_field(path + ".parameters", "must be a JSON Schema object");
  }
  if (const ordered_json* strict = member(function, "strict"); strict && !strict->is_boolean()) {
    reject_field(path + ".strict", "must be a boolean");
  }
  return text;
}

}  // namespace

const ordered_json& validate_tools(const ordered_json& tools) {
  if (!tools.is_array()) reject_field("tools", "must be an array of tools");
  std::set<std::string> names;
  for (std::size_t i = 0; i < tools.size(); ++i) {
    const std::string path = "tools[" + std::to_string(i) + "]";
    const ordered_json& tool = tools[i];
    if (!tool.is_object()) reject_field(path, "must be an object with 'type' and 'function'");
    const ordered_json* type = member(tool, "type");
    if (!type || !type->is_string() || type->get_ref<const std::string&>() != "function") {
      reject_field(path + ".type", "must be \"function\" (the only tool type supported)");
    }
    const ordered_json* function = member(tool, "function");
    if (!function) reject_field(path + ".function", "is required");
    const std::string name = check_function(*function, path + ".function");
    if (!names.insert(name).second) {
      reject_field(path + ".function.name", "repeats the name \"" + name + "\"");
    }
  }
  return tools;
}

bool offers_function(const ordered_json& tools, const std::string& name) {
  for (const auto& tool : tools) {
    if (tool["function"]["name"] == name) return true;
  }
  return false;
}

const ordered_json& validate_template_kwargs(const ordered_json& kwargs) {
  if (!kwargs.is_object()) {
    reject_field("chat_template_kwargs", "must be an object of template variables");
  }
  for (const char* reserved :
       {"messages", "tools", "add_generation_prompt", "bos_token", "eos_token"}) {
    if (kwargs.contains(reserved)) {
      reject_field(std::string("chat_template_kwargs.") + reserved,
                   "is set by the server from the request and cannot be overridden");
    }
  }
  return kwargs;
}

}  // namespace fastchat::protocol
