#include "text/jinja/lexer.h"

#include <array>
#include <utility>

#include "text/jinja/template_error.h"
#include "text/jinja/unicode_text.h"

namespace fastchat::jinja {
namespace {

// The template after Hugging Face's preprocessing, with the source offset of every byte (and
// of the end), so that errors point into the template as written.
struct Preprocessed {
  std::string text;
  std::vector<std::uint32_t> origin;
};

// Where JavaScript's multiline `^` matches: after \n, \r, U+2028 or U+2029.
bool at_line_start(std::string_view s, std::size_t i) {
  if (i == 0) return true;
  if (s[i - 1] == '\n' || s[i - 1] == '\r') return true;
  return i >= 3 && s.substr(i - 3, 2) == "\xE2\x80" && (s[i - 1] == '\xA8' || s[i - 1] == '\xA9');
}

bool is_block_mark(char c) { return c == '#' || c == '%' || c == '-'; }

Preprocessed preprocess(std::string_view source) {
  if (!source.empty() && source.back() == '\n') source.remove_suffix(1);
  // lstrip_blocks, as the regex /^[ \t]*({[#%-])/gm: spaces and tabs before a tag that starts
  // a line go.
  Preprocessed lstripped;
  lstripped.text.reserve(source.size());
  lstripped.origin.reserve(source.size() + 1);
  for (std::size_t i = 0; i < source.size();) {
    if (at_line_start(source, i)) {
      std::size_t j = i;
      while (j < source.size() && (source[j] == ' ' || source[j] == '\t')) ++j;
      if (j > i && j + 1 < source.size() && source[j] == '{' && is_block_mark(source[j + 1])) {
        i = j;
      }
    }
    lstripped.text += source[i];
    lstripped.origin.push_back(static_cast<std::uint32_t>(i));
    ++i;
  }
  lstripped.origin.push_back(static_cast<std::uint32_t>(source.size()));
  // trim_blocks, as the regex /([#%-]})\n/g: the newline right after a tag goes.
  Preprocessed out;
  const std::string& s = lstripped.text;
  out.text.reserve(s.size());
  out.origin.reserve(s.size() + 1);
  for (std::size_t i = 0; i < s.size();) {
    const bool trim =
        i + 2 < s.size() && is_block_mark(s[i]) && s[i + 1] == '}' && s[i + 2] == '\n';
    const std::size_t keep = trim ? 2 : 1;
    for (std::size_t k = 0; k < keep; ++k) {
      out.text += s[i + k];
      out.origin.push_back(lstripped.origin[i + k]);
    }
    i += trim ? 3 : 1;
  }
  out.origin.push_back(lstripped.origin.back());
  return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// Operators and punctuation, longest first where one is a prefix of another, as the reference
// orders its table.
constexpr std::array<std::pair<std::string_view, TokenType>, 29> kSymbols{{
    {"{%", TokenType::OpenStatement},  {"%}", TokenType::CloseStatement},
    {"{{", TokenType::OpenExpression}, {"}}", TokenType::CloseExpression},
    {"(", TokenType::OpenParen},       {")", TokenType::CloseParen},
    {"{", TokenType::OpenBrace},       {"}", TokenType::CloseBrace},
    {"[", TokenType::OpenBracket},     {"]", TokenType::CloseBracket},
    {",", TokenType::Comma},           {".", TokenType::Dot},
    {":", TokenType::Colon},           {"|", TokenType::Pipe},
    {"<=", TokenType::Comparison},     {">=", TokenType::Comparison},
    {"==", TokenType::Comparison},     {"!=", TokenType::Comparison},
    {"<", TokenType::Comparison},      {">", TokenType::Comparison},
    {"+", TokenType::Additive},        {"-", TokenType::Additive},
    {"~", TokenType::Additive},        {"**", TokenType::Power},
    {"*", TokenType::Multiplicative},  {"//", TokenType::Multiplicative},
    {"/", TokenType::Multiplicative},  {"%", TokenType::Multiplicative},
    {"=", TokenType::Equals},
}};

class Lexer {
 public:
  explicit Lexer(std::string_view source) : source_(source), pre_(preprocess(source)) {}

  std::vector<Token> run();

 private:
  std::string_view text() const { return pre_.text; }
  bool at(std::string_view s) const { return text().substr(pos_, s.size()) == s; }
  [[noreturn]] void fail(std::size_t pos, const std::string& message) const {
    throw_syntax_error(source_, pre_.origin[pos], message);
  }
  void push(TokenType type, std::string value, std::size_t start) {
    tokens_.push_back(Token{type, std::move(value), pre_.origin[start]});
  }
  bool in_text_mode() const;
  bool lex_text();
  void lex_raw_body();
  void lex_comment();
  void strip_trailing_space();
  void skip_space() {
    while (std::size_t n = js_space_length(text(), pos_)) pos_ += n;
  }
  bool lex_sign();
  void lex_string();
  void lex_number(std::size_t start, std::string prefix);
  void append_escape(std::string& out);

  std::string_view source_;
  Preprocessed pre_;
  std::size_t pos_ = 0;
  int brace_depth_ = 0;
  std::vector<Token> tokens_;
};

bool Lexer::in_text_mode() const {
  if (tokens_.empty()) return true;
  const TokenType last = tokens_.back().type;
  return last == TokenType::CloseStatement || last == TokenType::CloseExpression ||
         last == TokenType::Comment;
}

// Text up to the next `{%`, `{{` or `{#`; false when there is none here.
bool Lexer::lex_text() {
  const std::size_t n = tokens_.size();
  if (n >= 3 && tokens_[n - 3].type == TokenType::OpenStatement &&
      tokens_[n - 2].type == TokenType::Identifier && tokens_[n - 2].value == "raw" &&
      tokens_[n - 1].type == TokenType::CloseStatement) {
    lex_raw_body();
    return true;
  }
  const std::size_t start = pos_;
  while (pos_ < text().size()) {
    if (text()[pos_] == '{' && pos_ + 1 < text().size()) {
      const char next = text()[pos_ + 1];
      if (next == '%' || next == '{' || next == '#') break;
    }
    ++pos_;
  }
  if (pos_ == start) return false;
  push(TokenType::Text, std::string(text().substr(start, pos_ - start)), start);
  return true;
}

// `{% raw %}...{% endraw %}` (Jinja2's, which the reference lacks): the body is text as it is.
void Lexer::lex_raw_body() {
  const std::size_t raw_start = tokens_[tokens_.size() - 3].offset;
  tokens_.resize(tokens_.size() - 3);
  const std::size_t body_start = pos_;
  for (std::size_t i = pos_; i + 1 < text().size(); ++i) {
    if (text()[i] != '{' || text()[i + 1] != '%') continue;
    std::size_t j = i + 2;
    const bool strip_before = j < text().size() && text()[j] == '-';
    if (strip_before) ++j;
    while (std::size_t n = js_space_length(text(), j)) j += n;
    if (text().substr(j, 6) != "endraw") continue;
    j += 6;
    while (std::size_t n = js_space_length(text(), j)) j += n;
    const bool strip_after = j < text().size() && text()[j] == '-';
    if (strip_after) ++j;
    if (text().substr(j, 2) != "%}") continue;
    std::string_view body = text().substr(body_start, i - body_start);
    if (strip_before) body = trim_js_space(body, false, true);
    if (!body.empty()) push(TokenType::Text, std::string(body), body_start);
    pos_ = j + 2;
    if (strip_after) skip_space();
    push(TokenType::Comment, "", i);  // so that text follows, as after any tag
    return;
  }
  throw_syntax_error(source_, static_cast<std::uint32_t>(raw_start),
                     "'raw' block is not closed by {% endraw %}");
}

void Lexer::lex_comment() {
  const std::size_t start = pos_;
  pos_ += 2;
  const bool strip_before = pos_ < text().size() && text()[pos_] == '-';
  if (strip_before) ++pos_;
  const std::size_t end = text().find("#}", pos_);
  if (end == std::string_view::npos) fail(start, "comment is not closed by '#}'");
  const bool strip_after = end > pos_ && text()[end - 1] == '-';
  if (strip_before) strip_trailing_space();
  push(TokenType::Comment, "", start);
  pos_ = end + 2;
  if (strip_after) skip_space();
}

void Lexer::strip_trailing_space() {
  if (tokens_.empty() || tokens_.back().type != TokenType::Text) return;
  std::string& value = tokens_.back().value;
  value.resize(trim_js_space(value, false, true).size());
  if (value.empty()) tokens_.pop_back();
}

std::vector<Token> Lexer::run() {
  while (pos_ < text().size()) {
    if (in_text_mode() && lex_text()) continue;
    if (at("{#")) {
      lex_comment();
      continue;
    }
    if (at("{%-") || at("{{-")) {
      strip_trailing_space();
      const bool statement = text()[pos_ + 1] == '%';
      push(statement ? TokenType::OpenStatement : TokenType::OpenExpression,
           statement ? "{%" : "{{", pos_);
      if (!statement) brace_depth_ = 0;
      pos_ += 3;
      continue;
    }
    skip_space();
    if (pos_ >= text().size()) fail(pos_, "unexpected end of template inside a tag");
    if (at("-%}") || at("-}}")) {
      const bool statement = text()[pos_ + 1] == '%';
      push(statement ? TokenType::CloseStatement : TokenType::CloseExpression,
           statement ? "%}" : "}}", pos_);
      pos_ += 3;
      skip_space();
      continue;
    }
    if (lex_sign()) continue;
    bool matched = false;
    for (const auto& [symbol, type] : kSymbols) {
      if (symbol == "}}" && brace_depth_ > 0) continue;  // `}}` closing a dict in a dict
      if (!at(symbol)) continue;
      push(type, std::string(symbol), pos_);
      if (type == TokenType::OpenExpression) brace_depth_ = 0;
      if (type == TokenType::OpenBrace) ++brace_depth_;
      if (type == TokenType::CloseBrace) --brace_depth_;
      pos_ += symbol.size();
      matched = true;
      break;
    }
    if (matched) continue;
    const char c = text()[pos_];
    if (c == '\'' || c == '"') {
      lex_string();
    } else if (is_digit(c)) {
      lex_number(pos_, "");
    } else if (is_word(c)) {
      const std::size_t start = pos_;
      while (pos_ < text().size() && is_word(text()[pos_])) ++pos_;
      push(TokenType::Identifier, std::string(text().substr(start, pos_ - start)), start);
    } else {
      std::size_t next = pos_;
      std::string shown;
      append_utf8(shown, decode_utf8(text(), next));
      fail(pos_, "unexpected character '" + shown + "'");
    }
  }
  return std::move(tokens_);
}

// A `+` or `-` where no operand precedes it is a sign: part of a number literal ("-1") when
// digits follow, else a unary operator token.
bool Lexer::lex_sign() {
  const char c = text()[pos_];
  if (c != '-' && c != '+') return false;
  if (tokens_.empty() || tokens_.back().type == TokenType::Text) {
    fail(pos_, std::string("unexpected character '") + c + "'");
  }
  switch (tokens_.back().type) {
    case TokenType::Identifier:
    case TokenType::Number:
    case TokenType::String:
    case TokenType::CloseParen:
    case TokenType::CloseBracket:
      return false;  // a binary operator
    default:
      break;
  }
  const std::size_t start = pos_++;
  if (pos_ < text().size() && is_digit(text()[pos_])) {
    lex_number(start, std::string(1, c));
  } else {
    push(TokenType::Unary, std::string(1, c), start);
  }
  return true;
}

void Lexer::lex_number(std::size_t start, std::string prefix) {
  std::string number = std::move(prefix);
  while (pos_ < text().size() && is_digit(text()[pos_])) number += text()[pos_++];
  const bool after_dot = !tokens_.empty() && tokens_.back().type == TokenType::Dot;
  if (!after_dot && pos_ + 1 < text().size() && text()[pos_] == '.' && is_digit(text()[pos_ + 1])) {
    number += text()[pos_++];
    while (pos_ < text().size() && is_digit(text()[pos_])) number += text()[pos_++];
  }
  push(TokenType::Number, std::move(number), start);
}

void Lexer::lex_string() {
  const std::size_t start = pos_;
  const char quote = text()[pos_++];
  std::string value;
  while (pos_ < text().size() && text()[pos_] != quote) {
    if (text()[pos_] == '\\') {
      append_escape(value);
    } else {
      value += text()[pos_++];
    }
  }
  if (pos_ >= text().size()) fail(start, "string literal is not closed");
  ++pos_;
  push(TokenType::String, std::move(value), start);
}

void Lexer::append_escape(std::string& out) {
  const std::size_t start = pos_++;
  if (pos_ >= text().size()) fail(start, "unexpected end of template in an escape sequence");
  const char c = text()[pos_++];
  auto read_hex = [&](std::size_t digits) {
    char32_t value = 0;
    for (std::size_t i = 0; i < digits; ++i, ++pos_) {
      const char h = pos_ < text().size() ? text()[pos_] : '\0';
      int digit = -1;
      if (is_digit(h)) digit = h - '0';
      if (h >= 'a' && h <= 'f') digit = h - 'a' + 10;
      if (h >= 'A' && h <= 'F') digit = h - 'A' + 10;
      if (digit < 0) fail(start, "invalid hexadecimal escape sequence");
      value = value * 16 + static_cast<char32_t>(digit);
    }
    return value;
  };
  switch (c) {
    case 'n':
      out += '\n';
      return;
    case 't':
      out += '\t';
      return;
    case 'r':
      out += '\r';
      return;
    case 'b':
      out += '\b';
      return;
    case 'f':
      out += '\f';
      return;
    case 'v':
      out += '\v';
      return;
    case '\'':
    case '"':
    case '\\':
      out += c;
      return;
    case 'x':
      append_utf8(out, read_hex(2));
      return;
    case 'u': {
      char32_t unit = read_hex(4);
      if (unit >= 0xD800 && unit < 0xDC00 && at("\\u")) {  // a UTF-16 surrogate pair
        const std::size_t saved = pos_;
        pos_ += 2;
        const char32_t low = read_hex(4);
        if (low >= 0xDC00 && low < 0xE000) {
          unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        } else {
          pos_ = saved;
        }
      }
      append_utf8(out, unit >= 0xD800 && unit < 0xE000 ? char32_t{0xFFFD} : unit);
      return;
    }
    default:
      fail(start, std::string("unknown escape sequence '\\") + c + "'");
  }
}

}  // namespace

std::vector<Token> tokenize(std::string_view source) { return Lexer(source).run(); }

}  // namespace fastchat::jinja
