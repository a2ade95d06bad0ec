#pragma once
// The syntax tree of a parsed template. Built once by the Parser and then only read, by any
// number of renders at once. Every node keeps its byte offset in the template source, so errors
// can name a line and column.
//
// Nodes are "fat" (one struct per family, fields used by kind) to keep the tree simple to walk;
// the comment on each kind says which fields it uses.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "text/jinja/builtins.h"
#include "text/jinja/value.h"

namespace fastchat::jinja {

enum class ExprKind : std::uint8_t {
  Literal,      // literal
  Name,         // name, symbol, global_fn (a built-in function of that name, or null)
  Attribute,    // operands[0].name (`x.name`; `x.0` is an Item with an int literal)
  Item,         // operands[0][operands[1]]
  Slice,        // operands[0][operands[1]:operands[2]:operands[3]], missing parts null
  Call,         // operands[0](args); method: the method of that name when operands[0] is an
                // Attribute
  Filter,       // operands[0] | name(args); filter: the resolved filter or null
  Test,         // operands[0] is [not] name(args); test: the resolved test or null
  Unary,        // op operands[0]
  Binary,       // operands[0] op operands[1]
  Conditional,  // operands[0] if operands[1] else operands[2] (null: undefined)
  List,         // [operands...]
  Tuple,        // (operands...), evaluated as a list
  Dict,         // {operands[0]: operands[1], operands[2]: operands[3], ...}
};

enum class Op : std::uint8_t {
  Add,
  Sub,
  Mul,
  Div,
  FloorDiv,
  Mod,
  Pow,
  Concat,
  Eq,
  Ne,
  Lt,
  Gt,
  Le,
  Ge,
  In,
  NotIn,
  And,
  Or,
  Not,
  Neg,
  Pos,
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

/// One argument of a call, filter or test: positional (empty name), keyword, `*list` or `**map`.
struct Argument {
  enum class Spread : std::uint8_t { None, List, Map };
  std::string name;
  ExprPtr value;
  Spread spread = Spread::None;
};

struct Expr {
  ExprKind kind = ExprKind::Literal;
  Op op = Op::Add;
  bool negated = false;      // Test: `is not`
  std::uint16_t height = 1;  // longest path to a leaf, bounded by the parser
  std::uint32_t offset = 0;
  std::uint32_t symbol = 0;
  std::string name;
  Value literal;
  GlobalFn global_fn = nullptr;
  FilterFn filter = nullptr;
  TestFn test = nullptr;
  const Method* method = nullptr;
  std::vector<ExprPtr> operands;
  std::vector<Argument> args;
};

enum class StmtKind : std::uint8_t {
  Text,         // text
  Output,       // {{ expr }}
  If,           // if expr: body else orelse (elif is an If alone in orelse)
  For,          // for target in expr [if condition]: body else orelse
  Set,          // set target = expr (target: Name, Tuple of Names or Attribute)
  SetBlock,     // set target: body rendered to a string
  Macro,        // macro (symbol) params: body
  CallBlock,    // call(params) expr: body, the expr's callee gets caller() = body
  FilterBlock,  // filter: body rendered, then expr applied (its operand is a Literal placeholder)
  Break,
  Continue,
};

struct Stmt;

/// A macro or call-block parameter: `name` or `name=default`.
struct Param {
  std::uint32_t symbol = 0;
  std::string name;
  ExprPtr default_value;
};

struct Stmt {
  StmtKind kind = StmtKind::Text;
  std::uint32_t offset = 0;
  std::uint32_t symbol = 0;  // Macro: its name
  std::string text;          // Text: the text; Macro: the name
  ExprPtr target;
  ExprPtr expr;
  ExprPtr condition;
  std::vector<Param> params;
  bool takes_varargs = false;  // Macro/CallBlock: the body reads `varargs`
  bool takes_kwargs = false;   // Macro/CallBlock: the body reads `kwargs`
  std::vector<Stmt> body;
  std::vector<Stmt> orelse;
};

/// Symbols with fixed ids, which the interpreter binds itself.
enum ReservedSymbol : std::uint32_t { kLoop = 0, kCaller, kKwargs, kVarargs, kReservedCount };

/// A parsed template: its statements and the variable names they use (index = symbol id).
struct Program {
  std::vector<Stmt> body;
  std::vector<std::string> symbols;
};

}  // namespace fastchat::jinja
