#pragma once
// The built-in filters on lists, strings as sequences and mappings: list, first, last, reverse,
// sort, unique, join, map, select, reject, selectattr, rejectattr, min, max, sum, items and
// dictsort. Looked up by find_filter (filters.cpp), which owns the other filters.

#include <string_view>

#include "text/jinja/builtins.h"

namespace fastchat::jinja {

/// The sequence filter called `name`, or null.
FilterFn find_sequence_filter(std::string_view name);

}  // namespace fastchat::jinja
