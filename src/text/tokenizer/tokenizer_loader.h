#pragma once
// load_tokenizer() (declared in tokenizer.h) picks the implementation for a model folder; this
// header only re-exports it for callers that include the loader by name.

#include "text/tokenizer/tokenizer.h"
