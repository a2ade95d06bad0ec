#pragma once
// Splits a template into tokens the way @huggingface/jinja 0.5.11 does (the implementation the
// test references come from), with Hugging Face's chat-template settings: trim_blocks and
// lstrip_blocks on, a single trailing newline dropped, and `-` whitespace control on every tag.
// Used by the Parser only.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fastchat::jinja {

enum class TokenType : std::uint8_t {
  Text,
  Comment,
  Number,
  String,
  Identifier,
  Equals,
  OpenParen,
  CloseParen,
  OpenStatement,
  CloseStatement,
  OpenExpression,
  CloseExpression,
  OpenBracket,
  CloseBracket,
  OpenBrace,
  CloseBrace,
  Comma,
  Dot,
  Colon,
  Pipe,
  Additive,
  Multiplicative,
  Power,
  Comparison,
  Unary,
};

struct Token {
  TokenType type;
  std::string value;     ///< the text, the literal's contents or the operator
  std::uint32_t offset;  ///< byte offset in the original template source
};

/// Throws ErrorException (InvalidModel) naming the line and column of the first bad character.
std::vector<Token> tokenize(std::string_view source);

}  // namespace fastchat::jinja
