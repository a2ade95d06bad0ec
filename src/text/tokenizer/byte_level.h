#pragma once
// GPT-2's reversible byte <-> printable character alphabet used by byte-level BPE vocabularies
// (Llama 3, Qwen, GPT-2): every byte maps to one code point below U+0144, so tokens can be stored
// as text. Stateless; the tables are built once and shared read-only by all threads.

#include <string>
#include <string_view>

namespace fastchat::tokenizer::byte_level {

/// Appends the alphabet characters of `bytes` to out.
void bytes_to_unicode(std::string_view bytes, std::string& out);

/// Appends the bytes spelled by `text` to out; false (out partly written) when a character of
/// text is not in the alphabet.
bool unicode_to_bytes(std::string_view text, std::string& out);

}  // namespace fastchat::tokenizer::byte_level
