#pragma once
// The parser's cursor over a template's tokens, with what both halves of the parser share:
// syntax errors at a token, the table of variable names (symbols), and the nesting guard that
// keeps hostile templates from exhausting the stack. Used by Parser and ExpressionParser only.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text/jinja/lexer.h"

namespace fastchat::jinja {

class TokenStream {
 public:
  /// Tokenizes `source` (which must outlive the stream); throws ErrorException on a bad token.
  explicit TokenStream(std::string_view source);

  const Token& peek(std::size_t ahead = 0) const;
  const Token& next();
  bool at_end() const { return pos_ >= tokens_.size(); }
  bool is(TokenType type) const { return peek().type == type; }
  bool is_identifier(std::string_view name, std::size_t ahead = 0) const;
  /// `{% name` with name among `names`.
  bool at_statement(std::initializer_list<std::string_view> names) const;
  /// Consumes a token of `type`, else fails with "expected <what>".
  const Token& expect(TokenType type, std::string_view what);
  void expect_identifier(std::string_view name);

  [[noreturn]] void fail(const std::string& message) const { fail_at(peek().offset, message); }
  [[noreturn]] void fail_at(std::uint32_t offset, const std::string& message) const;

  /// The symbol id of a variable name (ids of ReservedSymbol come first).
  std::uint32_t symbol(const std::string& name);
  std::vector<std::string> take_symbols() { return std::move(symbols_); }

  /// Counts one level of nesting for as long as it lives; fails past kMaxNesting levels.
  class NestingGuard {
   public:
    explicit NestingGuard(TokenStream& stream);
    ~NestingGuard() { --stream_.nesting_; }
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;

   private:
    TokenStream& stream_;
  };

  /// How deeply blocks and expressions may nest in a template.
  static constexpr int kMaxNesting = 100;

 private:
  std::string_view source_;
  std::vector<Token> tokens_;
  Token end_;
  std::size_t pos_ = 0;
  int nesting_ = 0;
  std::vector<std::string> symbols_;
  std::unordered_map<std::string, std::uint32_t> symbol_ids_;
};

/// A short name for a token in messages: "'%}'", "end of template", "text".
std::string describe_token(const Token& token);

}  // namespace fastchat::jinja
