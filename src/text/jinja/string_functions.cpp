#include "text/jinja/string_functions.h"

#include "text/jinja/unicode_text.h"
#include "text/jinja/value.h"

namespace fastchat::jinja {
namespace {

bool is_word(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// The byte length of the character at `pos` when it is one of `chars`, else 0.
std::size_t char_in_set_length(std::string_view text, std::size_t pos, std::string_view chars) {
  std::size_t next = pos;
  const char32_t c = decode_utf8(text, next);
  for (std::size_t i = 0; i < chars.size();) {
    if (decode_utf8(chars, i) == c) return next - pos;
  }
  return 0;
}

}  // namespace

std::string strip_chars(std::string_view text, const std::optional<std::string>& chars, bool left,
                        bool right) {
  if (!chars) return std::string(trim_js_space(text, left, right));
  const std::vector<std::size_t> offsets = code_point_offsets(text);
  std::size_t first = 0;
  std::size_t last = offsets.size() - 1;  // in characters
  while (left && first < last && char_in_set_length(text, offsets[first], *chars) > 0) ++first;
  while (right && last > first && char_in_set_length(text, offsets[last - 1], *chars) > 0) --last;
  return std::string(text.substr(offsets[first], offsets[last] - offsets[first]));
}

std::vector<std::string> split(std::string_view text, const std::optional<std::string>& sep,
                               std::int64_t max_split) {
  std::vector<std::string> parts;
  if (!sep) {
    std::size_t pos = 0;
    while (true) {
      while (std::size_t n = js_space_length(text, pos)) pos += n;
      if (pos >= text.size()) break;
      if (max_split >= 0 && static_cast<std::int64_t>(parts.size()) >= max_split) {
        parts.emplace_back(text.substr(pos));  // the rest, trailing whitespace included
        break;
      }
      const std::size_t start = pos;
      while (pos < text.size() && js_space_length(text, pos) == 0) {
        decode_utf8(text, pos);
      }
      parts.emplace_back(text.substr(start, pos - start));
    }
    return parts;
  }
  if (sep->empty()) throw EvalError("split(): empty separator");
  std::size_t start = 0;
  while (max_split < 0 || static_cast<std::int64_t>(parts.size()) < max_split) {
    const std::size_t at = text.find(*sep, start);
    if (at == std::string_view::npos) break;
    parts.emplace_back(text.substr(start, at - start));
    start = at + sep->size();
  }
  parts.emplace_back(text.substr(start));
  return parts;
}

std::string replace(std::string_view text, std::string_view old, std::string_view with,
                    std::int64_t count, std::size_t max_bytes) {
  std::string out;
  auto append = [&](std::string_view piece) {
    if (out.size() + piece.size() > max_bytes) {
      throw EvalError("replace() would build more than " + std::to_string(max_bytes) + " bytes");
    }
    out += piece;
  };
  std::int64_t done = 0;
  auto more = [&] { return count < 0 || done < count; };
  if (old.empty()) {
    std::size_t pos = 0;
    while (true) {
      if (more()) {
        append(with);
        ++done;
      }
      if (pos >= text.size()) break;
      const std::size_t start = pos;
      decode_utf8(text, pos);
      append(text.substr(start, pos - start));
    }
    return out;
  }
  std::size_t start = 0;
  while (more()) {
    const std::size_t at = text.find(old, start);
    if (at == std::string_view::npos) break;
    append(text.substr(start, at - start));
    append(with);
    start = at + old.size();
    ++done;
  }
  append(text.substr(start));
  return out;
}

std::string title_case(std::string_view text) {
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (is_word(out[i]) && (i == 0 || !is_word(out[i - 1])) && out[i] >= 'a' && out[i] <= 'z') {
      out[i] = static_cast<char>(out[i] - 'a' + 'A');
    }
  }
  return out;
}

std::string capitalize(std::string_view text) {
  if (text.empty()) return {};
  std::size_t first = 0;
  decode_utf8(text, first);
  return to_upper(text.substr(0, first)) + std::string(text.substr(first));
}

std::int64_t find(std::string_view text, std::string_view sub) {
  const std::size_t at = text.find(sub);
  if (at == std::string_view::npos) return -1;
  return static_cast<std::int64_t>(count_code_points(text.substr(0, at)));
}

std::int64_t count(std::string_view text, std::string_view sub) {
  if (sub.empty()) return static_cast<std::int64_t>(count_code_points(text)) + 1;
  std::int64_t n = 0;
  for (std::size_t at = text.find(sub); at != std::string_view::npos;
       at = text.find(sub, at + sub.size())) {
    ++n;
  }
  return n;
}

}  // namespace fastchat::jinja
