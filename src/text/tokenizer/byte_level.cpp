#include "text/tokenizer/byte_level.h"

#include <array>
#include <cstdint>

#include "text/tokenizer/utf8.h"

namespace fastchat::tokenizer::byte_level {
namespace {

constexpr char32_t kMaxCodepoint = 0x144;  // 256 + 68 remapped bytes

struct Tables {
  std::array<std::string, 256> byte_to_char;
  std::array<int16_t, kMaxCodepoint> char_to_byte{};

  Tables() {
    char_to_byte.fill(-1);
    // Printable Latin-1 bytes keep their code point; the others are moved to 256, 257, ... in
    // byte order, exactly as GPT-2's bytes_to_unicode().
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      const char32_t cp = printable ? static_cast<char32_t>(b) : next++;
      utf8::append_codepoint(byte_to_char[static_cast<std::size_t>(b)], cp);
      char_to_byte[cp] = static_cast<int16_t>(b);
    }
  }
};

const Tables& tables() {
  static const Tables instance;
  return instance;
}

}  // namespace

void bytes_to_unicode(std::string_view bytes, std::string& out) {
  const Tables& t = tables();
  for (char c : bytes) out.append(t.byte_to_char[static_cast<unsigned char>(c)]);
}

bool unicode_to_bytes(std::string_view text, std::string& out) {
  const Tables& t = tables();
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto b0 = static_cast<unsigned char>(text[pos]);
    char32_t cp = 0;
    if (b0 < 0x80) {
      cp = b0;
      pos += 1;
    } else if ((b0 & 0xE0) == 0xC0 && pos + 1 < text.size()) {
      cp = (static_cast<char32_t>(b0 & 0x1F) << 6) |
           (static_cast<unsigned char>(text[pos + 1]) & 0x3F);
      pos += 2;
    } else {
      return false;  // 3+ byte characters are all outside the alphabet
    }
    if (cp >= kMaxCodepoint || t.char_to_byte[cp] < 0) return false;
    out.push_back(static_cast<char>(t.char_to_byte[cp]));
  }
  return true;
}

}  // namespace fastchat::tokenizer::byte_level
