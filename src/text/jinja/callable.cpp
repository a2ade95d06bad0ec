#include "text/jinja/callable.h"

namespace fastchat::jinja {

std::string CallableData::describe() const {
  switch (kind) {
    case Kind::Macro:
      return "macro '" + name + "'";
    case Kind::Caller:
      return "caller";
    case Kind::Global:
      return "function '" + name + "'";
    case Kind::Method:
      return "method '" + name + "'";
  }
  return "callable";
}

}  // namespace fastchat::jinja
