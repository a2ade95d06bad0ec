#include "text/jinja/unicode_text.h"

namespace fastchat::jinja {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// One mapping of a contiguous block: [first, last] maps to first + offset, and when `alternate`
// is set only every other code point (starting at `first`) belongs to the block.
struct CaseBlock {
  char32_t first;
  char32_t last;
  int offset;
  bool alternate;
};

// Lowercase -> uppercase blocks; the reverse mapping walks the same table.
constexpr CaseBlock kUpperBlocks[] = {
    {U'a', U'z', -32, false},     {0x00E0, 0x00F6, -32, false},
    {0x00F8, 0x00FE, -32, false}, {0x00FF, 0x00FF, 0x0178 - 0x00FF, false},
    {0x0101, 0x012F, -1, true},   {0x0131, 0x0131, 'I' - 0x0131, false},
    {0x0133, 0x0137, -1, true},   {0x013A, 0x0148, -1, true},
    {0x014B, 0x0177, -1, true},   {0x017A, 0x017E, -1, true},
    {0x03B1, 0x03C1, -32, false}, {0x03C2, 0x03C2, 0x03A3 - 0x03C2, false},
    {0x03C3, 0x03CB, -32, false}, {0x0430, 0x044F, -32, false},
    {0x0450, 0x045F, -80, false}, {0xFF41, 0xFF5A, -32, false},
};

bool in_block(const CaseBlock& block, char32_t c) {
  return c >= block.first && c <= block.last && (!block.alternate || (c - block.first) % 2 == 0);
}

char32_t upper_of(char32_t c) {
  for (const CaseBlock& block : kUpperBlocks) {
    if (in_block(block, c)) return static_cast<char32_t>(static_cast<int>(c) + block.offset);
  }
  return c;
}

char32_t lower_of(char32_t c) {
  for (const CaseBlock& block : kUpperBlocks) {
    // Final sigma and dotless i have no uppercase of their own to map back from.
    if (block.first == 0x03C2 || block.first == 0x0131) continue;
    const auto upper_first = static_cast<char32_t>(static_cast<int>(block.first) + block.offset);
    const auto upper_last = static_cast<char32_t>(static_cast<int>(block.last) + block.offset);
    if (c >= upper_first && c <= upper_last && (!block.alternate || (c - upper_first) % 2 == 0)) {
      return static_cast<char32_t>(static_cast<int>(c) - block.offset);
    }
  }
  return c;
}

}  // namespace

char32_t decode_utf8(std::string_view text, std::size_t& pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  int length = 0;
  char32_t code_point = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code_point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code_point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    ++pos;
    return kReplacement;
  }
  if (pos + length > text.size()) {
    ++pos;
    return kReplacement;
  }
  for (int i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(text[pos + i]);
    if (!is_continuation(byte)) {
      ++pos;
      return kReplacement;
    }
    code_point = (code_point << 6) | (byte & 0x3F);
  }
  pos += length;
  return code_point;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::vector<std::size_t> code_point_offsets(std::string_view text) {
  std::vector<std::size_t> offsets;
  offsets.reserve(text.size() + 1);
  for (std::size_t pos = 0; pos < text.size();) {
    offsets.push_back(pos);
    decode_utf8(text, pos);
  }
  offsets.push_back(text.size());
  return offsets;
}

std::size_t count_code_points(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < text.size(); ++count) decode_utf8(text, pos);
  return count;
}

bool is_js_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000 || c == 0xFEFF;
}

std::size_t js_space_length(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return 0;
  const auto byte = static_cast<unsigned char>(text[pos]);
  if (byte < 0x80) return (byte == ' ' || (byte >= 0x09 && byte <= 0x0D)) ? 1 : 0;
  std::size_t next = pos;
  return is_js_space(decode_utf8(text, next)) ? next - pos : 0;
}

std::size_t js_space_length_before(std::string_view text, std::size_t end) {
  if (end == 0) return 0;
  std::size_t start = end - 1;
  // Step back over continuation bytes to the start of the last character (at most 3 of them).
  while (start > 0 && end - start < 4 && is_continuation(static_cast<unsigned char>(text[start]))) {
    --start;
  }
  return js_space_length(text, start) == end - start ? end - start : 0;
}

std::string_view trim_js_space(std::string_view text, bool left, bool right) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  if (left) {
    while (std::size_t n = js_space_length(text, begin)) begin += n;
  }
  if (right) {
    while (end > begin) {
      const std::size_t n = js_space_length_before(text, end);
      if (n == 0) break;
      end -= n;
    }
  }
  return text.substr(begin, end - begin);
}

std::string to_upper(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const char32_t c = decode_utf8(text, pos);
    if (c == 0x00DF) {
      out += "SS";  // ß has no single uppercase letter
    } else {
      append_utf8(out, upper_of(c));
    }
  }
  return out;
}

std::string to_lower(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) append_utf8(out, lower_of(decode_utf8(text, pos)));
  return out;
}

}  // namespace fastchat::jinja
