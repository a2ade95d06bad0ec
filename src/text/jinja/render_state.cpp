#include "text/jinja/render_state.h"

#include <memory>

namespace fastchat::jinja {

RenderState::~RenderState() {
  // Values held by a namespace may hold namespaces again (even itself): empty them all, each
  // after moving its attributes out, so no destructor runs into a namespace being emptied.
  for (const NamespacePtr& ns : namespaces_) {
    MapData attributes = std::move(ns->attributes);
    ns->attributes.entries.clear();
  }
}

NamespacePtr RenderState::new_namespace() {
  charge(1);
  namespaces_.push_back(std::make_shared<NamespaceData>());
  return namespaces_.back();
}

void RenderState::enter_call() {
  if (call_depth_ >= limits_.max_call_depth) {
    throw EvalError("macro calls nest deeper than " + std::to_string(limits_.max_call_depth) +
                    " levels (a macro calling itself without end?)");
  }
  ++call_depth_;
}

void RenderState::throw_steps_exceeded() const {
  throw EvalError("the render exceeds its budget of " + std::to_string(limits_.max_steps) +
                  " steps (a runaway loop?)");
}

void RenderState::throw_too_large(std::size_t bytes) const {
  throw EvalError("the render would build " + std::to_string(bytes) +
                  " bytes of text, over the limit of " + std::to_string(limits_.max_output_bytes));
}

}  // namespace fastchat::jinja
