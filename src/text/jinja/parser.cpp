#include "text/jinja/parser.h"

#include <unordered_set>

namespace fastchat::jinja {
namespace {

Stmt make_stmt(StmtKind kind, std::uint32_t offset) {
  Stmt stmt;
  stmt.kind = kind;
  stmt.offset = offset;
  return stmt;
}

bool is_name_tuple(const Expr& expr) {
  if (expr.kind != ExprKind::Tuple) return false;
  for (const ExprPtr& item : expr.operands) {
    if (item->kind != ExprKind::Name) return false;
  }
  return true;
}

}  // namespace

Program Parser::parse(std::string_view source) {
  Parser parser(source);
  Program program;
  program.body = parser.parse_block({});
  program.symbols = parser.tokens_.take_symbols();
  return program;
}

std::vector<Stmt> Parser::parse_block(std::initializer_list<std::string_view> enders) {
  TokenStream::NestingGuard guard(tokens_);
  std::vector<Stmt> body;
  while (true) {
    if (tokens_.at_end()) {
      if (enders.size() == 0) return body;
      std::string_view closing = *enders.begin();
      for (std::string_view ender : enders) {
        if (ender.starts_with("end")) closing = ender;
      }
      tokens_.fail("unexpected end of template: missing {% " + std::string(closing) + " %}");
    }
    const Token& token = tokens_.peek();
    switch (token.type) {
      case TokenType::Text: {
        Stmt text = make_stmt(StmtKind::Text, token.offset);
        text.text = tokens_.next().value;
        body.push_back(std::move(text));
        break;
      }
      case TokenType::Comment:
        tokens_.next();
        break;
      case TokenType::OpenExpression: {
        Stmt output = make_stmt(StmtKind::Output, tokens_.next().offset);
        output.expr = expressions_.parse();
        tokens_.expect(TokenType::CloseExpression, "'}}'");
        body.push_back(std::move(output));
        break;
      }
      case TokenType::OpenStatement:
        if (tokens_.at_statement(enders)) return body;
        parse_statement(body);
        break;
      default:
        tokens_.fail("unexpected " + describe_token(token));
    }
  }
}

void Parser::parse_statement(std::vector<Stmt>& out) {
  const std::uint32_t offset = tokens_.next().offset;  // {%
  const Token& keyword = tokens_.expect(TokenType::Identifier, "a statement name after '{%'");
  const std::string& name = keyword.value;
  if (name == "if") {
    out.push_back(parse_if(offset));
    expect_end("endif");
  } else if (name == "for") {
    out.push_back(parse_for(offset));
  } else if (name == "set") {
    out.push_back(parse_set(offset));
  } else if (name == "macro") {
    out.push_back(parse_macro(offset));
  } else if (name == "call") {
    out.push_back(parse_call_block(offset));
  } else if (name == "filter") {
    out.push_back(parse_filter_block(offset));
  } else if (name == "break" || name == "continue") {
    if (loop_depth_ == 0) tokens_.fail_at(keyword.offset, "'" + name + "' outside a for loop");
    expect_close();
    out.push_back(make_stmt(name == "break" ? StmtKind::Break : StmtKind::Continue, offset));
  } else if (name == "generation") {
    // transformers' marker of assistant text for masks: its contents render as they are.
    expect_close();
    for (Stmt& stmt : parse_block({"endgeneration"})) out.push_back(std::move(stmt));
    expect_end("endgeneration");
  } else if (name.starts_with("end") || name == "elif" || name == "else") {
    tokens_.fail_at(keyword.offset, "unexpected '{% " + name + " %}'");
  } else {
    tokens_.fail_at(keyword.offset, "unknown statement '" + name + "'");
  }
}

// After `{% if`. An `elif` becomes an If alone in orelse; the caller reads the one `endif`.
Stmt Parser::parse_if(std::uint32_t offset) {
  TokenStream::NestingGuard guard(tokens_);
  Stmt stmt = make_stmt(StmtKind::If, offset);
  stmt.expr = expressions_.parse();
  expect_close();
  stmt.body = parse_block({"elif", "else", "endif"});
  if (tokens_.at_statement({"elif"})) {
    const std::uint32_t elif_offset = tokens_.next().offset;
    tokens_.next();
    stmt.orelse.push_back(parse_if(elif_offset));
  } else if (tokens_.at_statement({"else"})) {
    tokens_.next();
    tokens_.next();
    expect_close();
    stmt.orelse = parse_block({"endif"});
  }
  return stmt;
}

Stmt Parser::parse_for(std::uint32_t offset) {
  Stmt stmt = make_stmt(StmtKind::For, offset);
  stmt.target = expressions_.parse_sequence(true);
  if (stmt.target->kind != ExprKind::Name && !is_name_tuple(*stmt.target)) {
    tokens_.fail_at(stmt.target->offset, "a for loop assigns to a name or a tuple of names");
  }
  tokens_.expect_identifier("in");
  ExprPtr iterable = expressions_.parse();
  if (iterable->kind == ExprKind::Conditional && !iterable->operands[2]) {
    stmt.expr = std::move(iterable->operands[0]);  // `for x in xs if cond`: a filter
    stmt.condition = std::move(iterable->operands[1]);
  } else {
    stmt.expr = std::move(iterable);
  }
  expect_close();
  ++loop_depth_;
  stmt.body = parse_block({"endfor", "else"});
  --loop_depth_;
  if (tokens_.at_statement({"else"})) {
    tokens_.next();
    tokens_.next();
    expect_close();
    stmt.orelse = parse_block({"endfor"});
  }
  expect_end("endfor");
  return stmt;
}

Stmt Parser::parse_set(std::uint32_t offset) {
  Stmt stmt = make_stmt(StmtKind::Set, offset);
  stmt.target = expressions_.parse_sequence();
  const Expr& target = *stmt.target;
  const bool assignable =
      target.kind == ExprKind::Name || target.kind == ExprKind::Attribute || is_name_tuple(target);
  if (!assignable) tokens_.fail_at(target.offset, "cannot assign to this expression");
  if (tokens_.is(TokenType::Equals)) {
    tokens_.next();
    stmt.expr = expressions_.parse_sequence();
    expect_close();
    return stmt;
  }
  if (target.kind == ExprKind::Tuple) tokens_.fail("expected '=' after a tuple to assign");
  expect_close();
  stmt.kind = StmtKind::SetBlock;
  stmt.body = parse_block({"endset"});
  expect_end("endset");
  return stmt;
}

std::vector<Stmt> Parser::parse_callable_body(Stmt& stmt, std::string_view ender) {
  ExpressionParser::MacroUse use;
  ExpressionParser::MacroUse* outer = expressions_.macro_use();
  expressions_.set_macro_use(&use);
  const int outer_loops = loop_depth_;
  loop_depth_ = 0;  // break and continue do not cross a macro
  std::vector<Stmt> body = parse_block({ender});
  loop_depth_ = outer_loops;
  expressions_.set_macro_use(outer);
  stmt.takes_varargs = use.varargs;
  stmt.takes_kwargs = use.kwargs;
  return body;
}

Stmt Parser::parse_macro(std::uint32_t offset) {
  Stmt stmt = make_stmt(StmtKind::Macro, offset);
  const Token& name = tokens_.expect(TokenType::Identifier, "a macro name");
  stmt.text = name.value;
  stmt.symbol = tokens_.symbol(name.value);
  stmt.params = parse_parameters();
  expect_close();
  stmt.body = parse_callable_body(stmt, "endmacro");
  expect_end("endmacro");
  return stmt;
}

Stmt Parser::parse_call_block(std::uint32_t offset) {
  Stmt stmt = make_stmt(StmtKind::CallBlock, offset);
  if (tokens_.is(TokenType::OpenParen)) stmt.params = parse_parameters();
  stmt.expr = expressions_.parse_postfix();
  if (stmt.expr->kind != ExprKind::Call) {
    tokens_.fail_at(stmt.expr->offset, "a call block needs a macro call, as in {% call m() %}");
  }
  expect_close();
  stmt.body = parse_callable_body(stmt, "endcall");
  expect_end("endcall");
  return stmt;
}

Stmt Parser::parse_filter_block(std::uint32_t offset) {
  Stmt stmt = make_stmt(StmtKind::FilterBlock, offset);
  auto placeholder = std::make_unique<Expr>();  // replaced by the rendered body
  placeholder->offset = offset;
  stmt.expr = expressions_.parse_filter(std::move(placeholder));
  while (tokens_.is(TokenType::Pipe)) {
    tokens_.next();
    stmt.expr = expressions_.parse_filter(std::move(stmt.expr));
  }
  expect_close();
  stmt.body = parse_block({"endfilter"});
  expect_end("endfilter");
  return stmt;
}

void Parser::expect_end(std::string_view name) {
  if (!tokens_.at_statement({name})) {
    tokens_.fail("expected {% " + std::string(name) + " %}, found " +
                 describe_token(tokens_.peek()));
  }
  tokens_.next();
  tokens_.next();
  expect_close();
}

std::vector<Param> Parser::parse_parameters() {
  tokens_.expect(TokenType::OpenParen, "'('");
  std::vector<Param> params;
  std::unordered_set<std::string> names;
  while (!tokens_.is(TokenType::CloseParen)) {
    const Token& name = tokens_.expect(TokenType::Identifier, "a parameter name");
    if (!names.insert(name.value).second) {
      tokens_.fail_at(name.offset, "duplicate parameter '" + name.value + "'");
    }
    Param param{tokens_.symbol(name.value), name.value, nullptr};
    if (tokens_.is(TokenType::Equals)) {
      tokens_.next();
      param.default_value = expressions_.parse();
    } else if (!params.empty() && params.back().default_value) {
      tokens_.fail_at(name.offset, "parameter '" + name.value +
                                       "' without a default follows "
                                       "one with a default");
    }
    params.push_back(std::move(param));
    if (!tokens_.is(TokenType::Comma)) break;
    tokens_.next();
  }
  tokens_.expect(TokenType::CloseParen, "')' or ','");
  return params;
}

}  // namespace fastchat::jinja
