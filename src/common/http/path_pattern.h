#pragma once
// Route paths with a variable segment, such as "/v1/models/{model}": OpenAI's retrieve routes
// name the resource in the path. A "{name}" segment matches one non-empty segment; the value a
// handler reads is percent-decoded, since clients encode names holding '/' (e.g. "org/model").

#include <optional>
#include <string>
#include <string_view>

namespace fastchat::http {

/// Whether `path` fits `pattern` segment for segment (literal segments compare exactly).
bool path_matches(std::string_view pattern, std::string_view path);

/// The decoded value of `pattern`'s "{name}" segment in `path`; nullopt when `path` does not fit
/// `pattern`, the pattern has no such segment, or the segment's percent-encoding is malformed.
std::optional<std::string> path_param(std::string_view pattern, std::string_view path,
                                      std::string_view name);

}  // namespace fastchat::http
