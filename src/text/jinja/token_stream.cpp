#include "text/jinja/token_stream.h"

#include "text/jinja/ast.h"
#include "text/jinja/template_error.h"

namespace fastchat::jinja {

TokenStream::TokenStream(std::string_view source)
    : source_(source),
      tokens_(tokenize(source)),
      end_{TokenType::Text, "", static_cast<std::uint32_t>(source.size())} {
  for (const char* name : {"loop", "caller", "kwargs", "varargs"}) symbol(name);
}

const Token& TokenStream::peek(std::size_t ahead) const {
  return pos_ + ahead < tokens_.size() ? tokens_[pos_ + ahead] : end_;
}

const Token& TokenStream::next() {
  if (at_end()) fail("unexpected end of template");
  return tokens_[pos_++];
}

bool TokenStream::is_identifier(std::string_view name, std::size_t ahead) const {
  const Token& token = peek(ahead);
  return pos_ + ahead < tokens_.size() && token.type == TokenType::Identifier &&
         token.value == name;
}

bool TokenStream::at_statement(std::initializer_list<std::string_view> names) const {
  if (!is(TokenType::OpenStatement) || peek(1).type != TokenType::Identifier) return false;
  for (std::string_view name : names) {
    if (peek(1).value == name) return true;
  }
  return false;
}

const Token& TokenStream::expect(TokenType type, std::string_view what) {
  if (at_end() || peek().type != type) {
    fail("expected " + std::string(what) + ", found " + describe_token(peek()));
  }
  return tokens_[pos_++];
}

void TokenStream::expect_identifier(std::string_view name) {
  if (!is_identifier(name)) {
    fail("expected '" + std::string(name) + "', found " + describe_token(peek()));
  }
  ++pos_;
}

void TokenStream::fail_at(std::uint32_t offset, const std::string& message) const {
  throw_syntax_error(source_, offset, message);
}

std::uint32_t TokenStream::symbol(const std::string& name) {
  const auto [it, inserted] =
      symbol_ids_.emplace(name, static_cast<std::uint32_t>(symbols_.size()));
  if (inserted) symbols_.push_back(name);
  return it->second;
}

TokenStream::NestingGuard::NestingGuard(TokenStream& stream) : stream_(stream) {
  if (++stream_.nesting_ > kMaxNesting) {
    stream_.fail("the template nests blocks or expressions more than " +
                 std::to_string(kMaxNesting) + " levels deep");
  }
}

std::string describe_token(const Token& token) {
  switch (token.type) {
    case TokenType::Text:
      return token.value.empty() ? "end of template" : "text";
    case TokenType::Comment:
      return "comment";
    case TokenType::String:
      return "string literal";
    default:
      return "'" + token.value + "'";
  }
}

}  // namespace fastchat::jinja
