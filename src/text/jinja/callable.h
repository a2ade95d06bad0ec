#pragma once
// What a callable value calls: a macro, the caller() of a call block, a global function or a
// method bound to its value. Created during a render and never outliving it.

#include <cstdint>
#include <string>

#include "text/jinja/builtins.h"
#include "text/jinja/value.h"

namespace fastchat::jinja {

struct Stmt;
struct Scope;

struct CallableData {
  enum class Kind : std::uint8_t { Macro, Caller, Global, Method };

  Kind kind = Kind::Global;
  std::string name;
  /// Macro: the macro statement; Caller: the call block.
  const Stmt* statement = nullptr;
  /// Caller: the scope its body runs in, valid while the scope with that serial is alive.
  Scope* scope = nullptr;
  std::uint64_t scope_serial = 0;
  GlobalFn global = nullptr;
  const Method* method = nullptr;
  Value self;  ///< Method: the value it is bound to

  /// "macro 'name'", "function 'range'", ...: for messages and for printing.
  std::string describe() const;
};

}  // namespace fastchat::jinja
