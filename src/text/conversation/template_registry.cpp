#include "text/conversation/template_registry.h"

#include "common/error/error.h"
#include "text/conversation/builtin_templates.h"

namespace fastchat::conversation {
namespace {

// How many valid names a NotFound message lists before "...": enough to hint, short enough to read.
constexpr std::size_t kNamesInError = 8;

}  // namespace

TemplateRegistry::TemplateRegistry(std::vector<ConversationTemplate> templates)
    : templates_(std::move(templates)) {
  for (std::size_t i = 0; i < templates_.size(); ++i) {
    const std::string& name = templates_[i].name;
    if (name.empty()) {
      throw_error(ErrorCode::InvalidConfig,
                  "conversation template #" + std::to_string(i) + " has an empty name");
    }
    if (!index_.emplace(name, i).second) {
      throw_error(ErrorCode::InvalidConfig,
                  "conversation template '" + name + "' is registered twice", name);
    }
  }
}

const TemplateRegistry& TemplateRegistry::builtin() {
  static const TemplateRegistry registry(builtin_templates());
  return registry;
}

const ConversationTemplate& TemplateRegistry::get(std::string_view name) const {
  if (const auto it = index_.find(name); it != index_.end()) return templates_[it->second];
  std::string known;
  for (std::size_t i = 0; i < templates_.size() && i < kNamesInError; ++i) {
    known += (i == 0 ? "" : ", ") + templates_[i].name;
  }
  if (templates_.size() > kNamesInError) {
    known += ", ... (" + std::to_string(templates_.size()) + " in all)";
  }
  throw_error(ErrorCode::NotFound,
              "unknown conversation template '" + std::string(name) +
                  "'; known templates: " + (known.empty() ? std::string("none") : known),
              "conv_template");
}

bool TemplateRegistry::contains(std::string_view name) const { return index_.contains(name); }

std::vector<std::string> TemplateRegistry::names() const {
  std::vector<std::string> names;
  names.reserve(templates_.size());
  for (const ConversationTemplate& tpl : templates_) names.push_back(tpl.name);
  return names;
}

}  // namespace fastchat::conversation
