#pragma once
// What the serving benchmark sends: generated prompts (fixed word list, seeded), a shared prefix
// for prefix-cache runs, or prompts read from a dataset file.

#include <cstdint>
#include <string>
#include <vector>

#include "tools/bench/serve_benchmark.h"

namespace fastchat::bench {

/// The prompt the benchmark sends as request `index` when no prompts are given: `words` words
/// from a fixed list, picked by `seed` and `index`.
std::string synthetic_prompt(int32_t words, uint64_t seed, int64_t index);

/// The text every request starts with under --shared-prefix-len: `words` words from the same
/// list, picked by `seed` (differs from every synthetic_prompt of that seed).
std::string shared_prefix(int32_t words, uint64_t seed);

/// What request `index` sends: the system text (empty without a shared prefix) and the user
/// text (chat), or the two joined by a space (completions, native) in `user` with `system`
/// empty.
struct RequestPrompt {
  std::string system;
  std::string user;
};
RequestPrompt request_prompt(const ServeBenchOptions& options, int64_t index);

/// Reads prompts from a file: JSON lines, each an object with a string "prompt" (blank lines
/// skipped), or one JSON array of strings. Throws ErrorException{InvalidConfig} naming the file
/// and line (or array element) when it is malformed or holds no prompt.
std::vector<std::string> load_prompt_dataset(const std::string& path);

}  // namespace fastchat::bench
