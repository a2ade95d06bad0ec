#include "text/tokenizer/utf8.h"

namespace fastchat::tokenizer::utf8 {

std::size_t next_char(std::string_view s, std::size_t pos, bool& valid) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  valid = true;
  if (b0 < 0x80) return 1;
  // Ranges of the second byte per lead byte (Unicode Table 3-7); later bytes are 80..BF.
  std::size_t need = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
  } else if (b0 == 0xE0) {
    need = 2;
    lo = 0xA0;
  } else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) {
    need = 2;
  } else if (b0 == 0xED) {
    need = 2;
    hi = 0x9F;
  } else if (b0 == 0xF0) {
    need = 3;
    lo = 0x90;
  } else if (b0 >= 0xF1 && b0 <= 0xF3) {
    need = 3;
  } else if (b0 == 0xF4) {
    need = 3;
    hi = 0x8F;
  } else {
    valid = false;
    return 1;
  }
  for (std::size_t i = 1; i <= need; ++i) {
    if (pos + i >= s.size()) {
      valid = false;
      return i;
    }
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if (b < lo || b > hi) {
      valid = false;
      return i;
    }
    lo = 0x80;
    hi = 0xBF;
  }
  return need + 1;
}

bool is_valid(std::string_view s) {
  std::size_t pos = 0;
  while (pos < s.size()) {
    // ASCII fast path: most text is mostly ASCII.
    if (static_cast<unsigned char>(s[pos]) < 0x80) {
      ++pos;
      continue;
    }
    bool valid = true;
    pos += next_char(s, pos, valid);
    if (!valid) return false;
  }
  return true;
}

std::string sanitize(std::string_view s) {
  if (is_valid(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  std::size_t pos = 0;
  while (pos < s.size()) {
    bool valid = true;
    const std::size_t len = next_char(s, pos, valid);
    if (valid) {
      out.append(s.substr(pos, len));
    } else {
      out.append(kReplacement);
    }
    pos += len;
  }
  return out;
}

void append_codepoint(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace fastchat::tokenizer::utf8
