#pragma once
// The set of named conversation templates a worker can serve (FastChat's conv_templates dict).

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "text/conversation/conversation_template.h"

namespace fastchat::conversation {

/// Templates by name, in registration order. Immutable after construction, so concurrent reads
/// need no locking.
class TemplateRegistry {
 public:
  /// Throws ErrorCode::InvalidConfig on an empty or duplicate name.
  explicit TemplateRegistry(std::vector<ConversationTemplate> templates);

  /// The built-in templates (FastChat's strings), built once on first use.
  static const TemplateRegistry& builtin();

  /// Throws ErrorCode::NotFound (param "conv_template") naming `name` and a few valid names.
  const ConversationTemplate& get(std::string_view name) const;
  bool contains(std::string_view name) const;
  /// All names in registration order.
  std::vector<std::string> names() const;

 private:
  std::vector<ConversationTemplate> templates_;
  std::map<std::string, std::size_t, std::less<>> index_;
};

}  // namespace fastchat::conversation
