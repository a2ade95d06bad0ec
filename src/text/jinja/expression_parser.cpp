#include "text/jinja/expression_parser.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace fastchat::jinja {
namespace {

// Expression trees may be deeper than blocks (a chain `a + b + c ...` deepens by one per
// operand) but stay bounded: evaluating and freeing a tree recurses along its height.
constexpr int kMaxHeight = 2 * TokenStream::kMaxNesting;

bool comparison_op(const std::string& text, Op& op) {
  static constexpr std::pair<std::string_view, Op> kOps[] = {
      {"==", Op::Eq}, {"!=", Op::Ne}, {"<", Op::Lt}, {">", Op::Gt}, {"<=", Op::Le}, {">=", Op::Ge}};
  for (const auto& [name, value] : kOps) {
    if (text == name) {
      op = value;
      return true;
    }
  }
  return false;
}

}  // namespace

ExprPtr ExpressionParser::node(ExprKind kind, std::uint32_t offset) {
  auto expr = std::make_unique<Expr>();
  expr->kind = kind;
  expr->offset = offset;
  return expr;
}

ExprPtr ExpressionParser::checked(ExprPtr expr) {
  int height = 0;
  for (const ExprPtr& operand : expr->operands) {
    if (operand) height = std::max<int>(height, operand->height);
  }
  for (const Argument& arg : expr->args) height = std::max<int>(height, arg.value->height);
  if (height + 1 > kMaxHeight) {
    tokens_.fail_at(expr->offset,
                    "expression nests more than " + std::to_string(kMaxHeight) + " levels deep");
  }
  expr->height = static_cast<std::uint16_t>(height + 1);
  return expr;
}

ExprPtr ExpressionParser::binary(Op op, ExprPtr left, ExprPtr right, std::uint32_t offset) {
  ExprPtr expr = node(ExprKind::Binary, offset);
  expr->op = op;
  expr->operands.push_back(std::move(left));
  expr->operands.push_back(std::move(right));
  return checked(std::move(expr));
}

ExprPtr ExpressionParser::parse() {
  TokenStream::NestingGuard guard(tokens_);
  return parse_conditional();
}

ExprPtr ExpressionParser::parse_sequence(bool primary_only) {
  const std::uint32_t offset = tokens_.peek().offset;
  ExprPtr first = primary_only ? parse_primary() : parse();
  if (!tokens_.is(TokenType::Comma)) return first;
  ExprPtr tuple = node(ExprKind::Tuple, offset);
  tuple->operands.push_back(std::move(first));
  while (tokens_.is(TokenType::Comma)) {
    tokens_.next();
    tuple->operands.push_back(primary_only ? parse_primary() : parse());
  }
  return checked(std::move(tuple));
}

// `a if c else b`; without `else` it is undefined when c is false (and, as a for loop's
// iterable, the loop's filter).
ExprPtr ExpressionParser::parse_conditional() {
  ExprPtr value = parse_binary(Level::Or);
  if (!tokens_.is_identifier("if")) return value;
  const std::uint32_t offset = tokens_.next().offset;
  ExprPtr expr = node(ExprKind::Conditional, offset);
  expr->operands.push_back(std::move(value));
  expr->operands.push_back(parse_binary(Level::Or));
  if (tokens_.is_identifier("else")) {
    tokens_.next();
    TokenStream::NestingGuard guard(tokens_);
    expr->operands.push_back(parse_conditional());
  } else {
    expr->operands.push_back(nullptr);
  }
  return checked(std::move(expr));
}

bool ExpressionParser::take_operator(Level level, Op& op) {
  const Token& token = tokens_.peek();
  std::size_t length = 1;
  switch (level) {
    case Level::Or:
      if (!tokens_.is_identifier("or")) return false;
      op = Op::Or;
      break;
    case Level::And:
      if (!tokens_.is_identifier("and")) return false;
      op = Op::And;
      break;
    case Level::Comparison:
      if (tokens_.is_identifier("not") && tokens_.is_identifier("in", 1)) {
        op = Op::NotIn;
        length = 2;
      } else if (tokens_.is_identifier("in")) {
        op = Op::In;
      } else if (token.type != TokenType::Comparison || !comparison_op(token.value, op)) {
        return false;
      }
      break;
    case Level::Additive:
      if (token.type != TokenType::Additive) return false;
      op = token.value == "+" ? Op::Add : token.value == "-" ? Op::Sub : Op::Concat;
      break;
    case Level::Multiplicative:
      if (token.type != TokenType::Multiplicative) return false;
      op = token.value == "*"    ? Op::Mul
           : token.value == "/"  ? Op::Div
           : token.value == "//" ? Op::FloorDiv
                                 : Op::Mod;
      break;
    case Level::Power:
      if (token.type != TokenType::Power) return false;
      op = Op::Pow;
      break;
  }
  for (std::size_t i = 0; i < length; ++i) tokens_.next();
  return true;
}

// All binary operators associate to the left, `**` included (as in Jinja2), and comparisons
// chain as plain operators, as in the reference: `a < b < c` is `(a < b) < c`.
ExprPtr ExpressionParser::parse_binary(Level level) {
  auto operand = [&] {
    switch (level) {
      case Level::And:
        return parse_not();  // `not` binds between `and` and comparisons
      case Level::Power:
        return parse_test();
      default:
        return parse_binary(static_cast<Level>(static_cast<int>(level) + 1));
    }
  };
  ExprPtr left = operand();
  Op op = Op::Add;
  for (std::uint32_t offset = tokens_.peek().offset; take_operator(level, op);
       offset = tokens_.peek().offset) {
    left = binary(op, std::move(left), operand(), offset);
  }
  return left;
}

ExprPtr ExpressionParser::parse_not() {
  if (!tokens_.is_identifier("not")) return parse_binary(Level::Comparison);
  const std::uint32_t offset = tokens_.next().offset;
  TokenStream::NestingGuard guard(tokens_);
  ExprPtr expr = node(ExprKind::Unary, offset);
  expr->op = Op::Not;
  expr->operands.push_back(parse_not());
  return checked(std::move(expr));
}

ExprPtr ExpressionParser::parse_test() {
  ExprPtr operand = parse_filters();
  while (tokens_.is_identifier("is")) {
    const std::uint32_t offset = tokens_.next().offset;
    ExprPtr expr = node(ExprKind::Test, offset);
    if (tokens_.is_identifier("not")) {
      tokens_.next();
      expr->negated = true;
    }
    const Token& name = tokens_.expect(TokenType::Identifier, "a test name after 'is'");
    expr->name = name.value;
    expr->test = find_test(name.value);
    expr->operands.push_back(std::move(operand));
    if (tokens_.is(TokenType::OpenParen)) {
      expr->args = parse_arguments();
    } else if (tokens_.is(TokenType::Number) || tokens_.is(TokenType::String)) {
      expr->args.push_back(Argument{"", parse_primary(), Argument::Spread::None});
    }
    operand = checked(std::move(expr));
  }
  return operand;
}

ExprPtr ExpressionParser::parse_filters() {
  ExprPtr operand = parse_unary();
  while (tokens_.is(TokenType::Pipe)) {
    tokens_.next();
    operand = parse_filter(std::move(operand));
  }
  return operand;
}

ExprPtr ExpressionParser::parse_filter(ExprPtr operand) {
  const Token& name = tokens_.expect(TokenType::Identifier, "a filter name");
  ExprPtr expr = node(ExprKind::Filter, name.offset);
  expr->name = name.value;
  expr->filter = find_filter(name.value);
  expr->operands.push_back(std::move(operand));
  if (tokens_.is(TokenType::OpenParen)) expr->args = parse_arguments();
  return checked(std::move(expr));
}

ExprPtr ExpressionParser::parse_unary() {
  const Token& token = tokens_.peek();
  if ((token.type == TokenType::Unary || token.type == TokenType::Additive) &&
      (token.value == "-" || token.value == "+")) {
    tokens_.next();
    TokenStream::NestingGuard guard(tokens_);
    ExprPtr expr = node(ExprKind::Unary, token.offset);
    expr->op = token.value == "-" ? Op::Neg : Op::Pos;
    expr->operands.push_back(parse_unary());
    return checked(std::move(expr));
  }
  return parse_postfix();
}

ExprPtr ExpressionParser::parse_postfix() {
  ExprPtr expr = parse_primary();
  while (true) {
    if (tokens_.is(TokenType::Dot)) {
      tokens_.next();
      const Token& name = tokens_.peek();
      if (name.type == TokenType::Identifier) {
        tokens_.next();
        ExprPtr attribute = node(ExprKind::Attribute, name.offset);
        attribute->name = name.value;
        attribute->operands.push_back(std::move(expr));
        expr = checked(std::move(attribute));
      } else if (name.type == TokenType::Number && name.value.find('.') == std::string::npos) {
        ExprPtr index = parse_primary();
        ExprPtr item = node(ExprKind::Item, name.offset);
        item->operands.push_back(std::move(expr));
        item->operands.push_back(std::move(index));
        expr = checked(std::move(item));
      } else {
        tokens_.fail("expected an attribute name after '.', found " + describe_token(name));
      }
    } else if (tokens_.is(TokenType::OpenBracket)) {
      expr = parse_subscript(std::move(expr));
    } else if (tokens_.is(TokenType::OpenParen)) {
      ExprPtr call = node(ExprKind::Call, expr->offset);  // errors point at the callee
      if (expr->kind == ExprKind::Attribute) call->method = find_method(expr->name);
      call->operands.push_back(std::move(expr));
      call->args = parse_arguments();
      expr = checked(std::move(call));
    } else {
      return expr;
    }
  }
}

// `[index]` or a slice `[start:stop:step]` with any part left out.
ExprPtr ExpressionParser::parse_subscript(ExprPtr object) {
  const std::uint32_t offset = tokens_.next().offset;
  std::vector<ExprPtr> parts;
  bool slice = false;
  while (!tokens_.is(TokenType::CloseBracket)) {
    if (tokens_.at_end()) tokens_.fail("expected ']'");
    if (tokens_.is(TokenType::Colon)) {
      tokens_.next();
      parts.push_back(nullptr);
      slice = true;
      continue;
    }
    parts.push_back(parse());
    if (tokens_.is(TokenType::Colon)) {
      tokens_.next();
      slice = true;
    } else if (!tokens_.is(TokenType::CloseBracket)) {
      tokens_.fail("expected ']' or ':', found " + describe_token(tokens_.peek()));
    }
  }
  tokens_.next();
  if (parts.empty()) tokens_.fail_at(offset, "empty subscript '[]'");
  if (parts.size() > 3) tokens_.fail_at(offset, "a slice has at most 3 parts");
  ExprPtr expr = node(slice ? ExprKind::Slice : ExprKind::Item, offset);
  expr->operands.push_back(std::move(object));
  if (slice) {
    parts.resize(3);
  } else {
    parts.resize(1);
  }
  for (ExprPtr& part : parts) expr->operands.push_back(std::move(part));
  return checked(std::move(expr));
}

ExprPtr ExpressionParser::parse_primary() {
  const Token& token = tokens_.next();
  switch (token.type) {
    case TokenType::Number: {
      ExprPtr expr = node(ExprKind::Literal, token.offset);
      const std::string_view digits =
          token.value[0] == '+' ? std::string_view(token.value).substr(1) : token.value;
      std::int64_t number = 0;
      const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), number);
      if (digits.find('.') == std::string_view::npos && result.ec == std::errc()) {
        expr->literal = Value(number);
      } else {  // a fraction, or digits past int64 (the reference's numbers are doubles)
        expr->literal = Value(std::strtod(std::string(digits).c_str(), nullptr));
      }
      return expr;
    }
    case TokenType::String: {
      ExprPtr expr = node(ExprKind::Literal, token.offset);
      std::string text = token.value;
      while (tokens_.is(TokenType::String)) text += tokens_.next().value;  // "a" "b" is "ab"
      expr->literal = Value(std::move(text));
      return expr;
    }
    case TokenType::Identifier:
      return name_or_constant(token);
    case TokenType::OpenParen: {
      TokenStream::NestingGuard guard(tokens_);
      ExprPtr expr = parse_sequence();
      tokens_.expect(TokenType::CloseParen, "')'");
      return expr;
    }
    case TokenType::OpenBracket:
      return parse_list(token.offset);
    case TokenType::OpenBrace:
      return parse_dict(token.offset);
    default:
      tokens_.fail_at(token.offset, "unexpected " + describe_token(token));
  }
}

ExprPtr ExpressionParser::name_or_constant(const Token& token) {
  ExprPtr expr = node(ExprKind::Literal, token.offset);
  const std::string& name = token.value;
  if (name == "true" || name == "True") {
    expr->literal = Value(true);
  } else if (name == "false" || name == "False") {
    expr->literal = Value(false);
  } else if (name == "none" || name == "None") {
    expr->literal = Value::none();
  } else {
    expr->kind = ExprKind::Name;
    expr->name = name;
    expr->symbol = tokens_.symbol(name);
    expr->global_fn = find_global(name);
    if (macro_use_ != nullptr) {
      macro_use_->varargs |= expr->symbol == kVarargs;
      macro_use_->kwargs |= expr->symbol == kKwargs;
    }
  }
  return expr;
}

ExprPtr ExpressionParser::parse_list(std::uint32_t offset) {
  TokenStream::NestingGuard guard(tokens_);
  ExprPtr expr = node(ExprKind::List, offset);
  while (!tokens_.is(TokenType::CloseBracket)) {
    expr->operands.push_back(parse());
    if (!tokens_.is(TokenType::Comma)) break;
    tokens_.next();
  }
  tokens_.expect(TokenType::CloseBracket, "']' or ','");
  return checked(std::move(expr));
}

ExprPtr ExpressionParser::parse_dict(std::uint32_t offset) {
  TokenStream::NestingGuard guard(tokens_);
  ExprPtr expr = node(ExprKind::Dict, offset);
  while (!tokens_.is(TokenType::CloseBrace)) {
    expr->operands.push_back(parse());
    tokens_.expect(TokenType::Colon, "':' between a key and its value");
    expr->operands.push_back(parse());
    if (!tokens_.is(TokenType::Comma)) break;
    tokens_.next();
  }
  tokens_.expect(TokenType::CloseBrace, "'}' or ','");
  return checked(std::move(expr));
}

std::vector<Argument> ExpressionParser::parse_arguments() {
  tokens_.expect(TokenType::OpenParen, "'('");
  std::vector<Argument> args;
  bool keyword_seen = false;
  while (!tokens_.is(TokenType::CloseParen)) {
    Argument arg;
    if (tokens_.is(TokenType::Power) ||
        (tokens_.is(TokenType::Multiplicative) && tokens_.peek().value == "*")) {
      arg.spread = tokens_.next().value == "*" ? Argument::Spread::List : Argument::Spread::Map;
    } else if (tokens_.is(TokenType::Identifier) && tokens_.peek(1).type == TokenType::Equals) {
      arg.name = tokens_.next().value;
      tokens_.next();
      keyword_seen = true;
    } else if (keyword_seen) {
      tokens_.fail("a positional argument follows a keyword argument");
    }
    arg.value = parse();
    args.push_back(std::move(arg));
    if (!tokens_.is(TokenType::Comma)) break;
    tokens_.next();
  }
  tokens_.expect(TokenType::CloseParen, "')' or ','");
  return args;
}

}  // namespace fastchat::jinja
