#pragma once
// Model path -> default conversation template name (FastChat's get_conversation_template).

#include <string>
#include <string_view>

namespace fastchat::conversation {

/// FastChat's model-adapter lookup, reduced to the adapters whose templates are built in: the
/// rules are tried in FastChat's registration order, first against the basename of the
/// normalised path, then against the full path; the first match wins; no match gives "one_shot".
/// "raw" is only picked for "stories" base models (a deliberate deviation, see the .cpp).
/// The result always names a template of TemplateRegistry::builtin().
std::string match_template_name(std::string_view model_path);

}  // namespace fastchat::conversation
