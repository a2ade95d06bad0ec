#pragma once
// How the interpreter reports a failure: an ErrorException whose message names the template
// line and column, e.g. "chat template line 12, column 5: raise_exception: Conversation roles
// must alternate user/assistant/user/assistant/...".

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error/error.h"

namespace fastchat::jinja {

/// "line L, column C" of a byte offset of `source` (columns count characters from 1).
std::string describe_position(std::string_view source, std::uint32_t offset);

/// Throws ErrorException{code, "chat template line L, column C: message"}; param is
/// "chat_template" for InvalidModel (the template is at fault), empty otherwise.
[[noreturn]] void throw_template_error(std::string_view source, std::uint32_t offset,
                                       ErrorCode code, const std::string& message);

/// A syntax error: InvalidModel, the message prefixed with "syntax error: ".
[[noreturn]] void throw_syntax_error(std::string_view source, std::uint32_t offset,
                                     const std::string& message);

}  // namespace fastchat::jinja
