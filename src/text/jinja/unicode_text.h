#pragma once
// The UTF-8 text operations the interpreter needs: walking code points, JavaScript's notion of
// whitespace (what the reference's lexer, trim and split use), and upper/lower case.
//
// Case mapping covers ASCII, Latin-1, Latin Extended-A, basic Greek and Cyrillic and fullwidth
// Latin letters (and ß -> SS); other characters keep their case. Invalid UTF-8 bytes decode as
// U+FFFD one byte at a time, so hostile text never stalls a loop.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fastchat::jinja {

/// The code point at `pos`, advancing `pos` past it.
char32_t decode_utf8(std::string_view text, std::size_t& pos);
void append_utf8(std::string& out, char32_t code_point);

/// Byte offsets where each code point of `text` starts, plus text.size() at the end.
std::vector<std::size_t> code_point_offsets(std::string_view text);
std::size_t count_code_points(std::string_view text);

/// Whether `code_point` is whitespace to JavaScript's \s (and String.prototype.trim).
bool is_js_space(char32_t code_point);
/// The byte length of the whitespace character at `pos`, or 0 when there is none.
std::size_t js_space_length(std::string_view text, std::size_t pos);
/// The byte length of the whitespace character that ends text[0, end), or 0.
std::size_t js_space_length_before(std::string_view text, std::size_t end);

std::string_view trim_js_space(std::string_view text, bool left = true, bool right = true);

std::string to_upper(std::string_view text);
std::string to_lower(std::string_view text);

}  // namespace fastchat::jinja
