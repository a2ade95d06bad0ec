#pragma once
// A scope of variables during a render: the context (the outermost scope), a for loop, a macro
// call or a caller() body. Scopes live on the interpreter's stack and chain to the scope they
// were opened in; lookups walk the chain outwards, `set` writes the innermost. Every scope is
// listed in its render's ScopeList while it lives, so a caller() that escaped its call block
// can be refused instead of reading a scope that is gone.

#include <cstdint>
#include <utility>
#include <vector>

#include "text/jinja/value.h"

namespace fastchat::jinja {

struct Scope;

/// The scopes alive in one render, innermost last, with the serial numbers handed out.
struct ScopeList {
  std::vector<const Scope*> alive;
  std::uint64_t next_serial = 0;

  bool is_alive(const Scope* scope, std::uint64_t serial) const;
};

struct Scope {
  Scope(Scope* parent_scope, ScopeList& scope_list);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

  /// The value of `symbol` in this scope or the nearest outer one that has it, else nullptr.
  const Value* find(std::uint32_t symbol) const;
  /// Binds `symbol` in this scope.
  void set(std::uint32_t symbol, Value value);

  Scope* const parent;
  ScopeList& list;
  const std::uint64_t serial;
  std::vector<std::pair<std::uint32_t, Value>> variables;
};

}  // namespace fastchat::jinja
