#include "text/jinja/scope.h"

#include <algorithm>

namespace fastchat::jinja {

bool ScopeList::is_alive(const Scope* scope, std::uint64_t serial) const {
  return std::any_of(alive.begin(), alive.end(),
                     [&](const Scope* s) { return s == scope && s->serial == serial; });
}

Scope::Scope(Scope* parent_scope, ScopeList& scope_list)
    : parent(parent_scope), list(scope_list), serial(scope_list.next_serial++) {
  list.alive.push_back(this);
}

Scope::~Scope() { list.alive.pop_back(); }  // scopes nest strictly: this one is the last

const Value* Scope::find(std::uint32_t symbol) const {
  for (const Scope* scope = this; scope != nullptr; scope = scope->parent) {
    for (const auto& [id, value] : scope->variables) {
      if (id == symbol) return &value;
    }
  }
  return nullptr;
}

void Scope::set(std::uint32_t symbol, Value value) {
  for (auto& [id, existing] : variables) {
    if (id == symbol) {
      existing = std::move(value);
      return;
    }
  }
  variables.emplace_back(symbol, std::move(value));
}

}  // namespace fastchat::jinja
