#pragma once
// UTF-8 validation and lossy repair. Decoded token bytes can be any byte string (byte-level BPE,
// SentencePiece byte fallback), but everything we hand out must be valid UTF-8.

#include <cstddef>
#include <string>
#include <string_view>

namespace fastchat::tokenizer::utf8 {

/// U+FFFD REPLACEMENT CHARACTER, encoded.
inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

/// Bytes taken by the character at s[pos]: its full length when valid (valid = true), else the
/// length of its maximal valid prefix, at least 1 (valid = false), the unit Python and Rust
/// replace with one U+FFFD.
std::size_t next_char(std::string_view s, std::size_t pos, bool& valid);

bool is_valid(std::string_view s);

/// s with each invalid sequence replaced by U+FFFD (returns s unchanged when already valid).
std::string sanitize(std::string_view s);

void append_codepoint(std::string& out, char32_t cp);

}  // namespace fastchat::tokenizer::utf8
