#pragma once
// Ids of the tool calls a model makes, in OpenAI's shape: "call_" and 24 random letters and
// digits. A later request refers to a call by its id (the tool message's tool_call_id), so ids
// must not repeat across answers; they need not be unguessable.

#include <string>

namespace fastchat::reply {

/// A fresh id. Thread-safe (each thread draws from its own generator).
std::string make_tool_call_id();

}  // namespace fastchat::reply
