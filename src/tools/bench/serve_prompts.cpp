#include "tools/bench/serve_prompts.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string_view>

#include "common/error/error.h"
#include "common/json/json_lines.h"

namespace fastchat::bench {
namespace {

using nlohmann::json;

constexpr uintmax_t kMaxDatasetBytes = uintmax_t{256} << 20;
// Mixed into the seed for the shared prefix, so it is not any request's own prompt.
constexpr uint64_t kSharedPrefixSalt = 0x5348415245445058ULL;

// Short, common words: most are one or two tokens for any tokenizer, so N words is close to N
// tokens (stories260K's 512-entry vocabulary splits some into more).
constexpr std::string_view kWords[] = {
    "the",    "cat",    "dog",    "sun",   "tree", "happy", "little", "girl",  "boy",    "park",
    "ball",   "play",   "run",    "jump",  "big",  "small", "red",    "blue",  "green",  "house",
    "garden", "friend", "mom",    "dad",   "day",  "night", "star",   "moon",  "bird",   "fish",
    "water",  "sky",    "flower", "toy",   "box",  "book",  "cake",   "apple", "school", "walk",
    "talk",   "look",   "find",   "help",  "love", "smile", "sad",    "good",  "new",    "old",
    "fast",   "slow",   "hot",    "cold",  "warm", "kind",  "brave",  "time",  "home",   "game",
    "song",   "door",   "car",    "bike",  "hat",  "bed",   "said",   "went",  "saw",    "had",
    "was",    "and",    "to",     "a",     "in",   "with",  "they",   "she",   "he",     "one",
    "very",   "wanted", "asked",  "ran",   "nice", "bear",  "duck",   "rain",  "snow",   "hill",
    "river",  "cookie", "lion",   "mouse", "king", "queen"};

}  // namespace

std::string synthetic_prompt(int32_t words, uint64_t seed, int64_t index) {
  // mt19937_64 and seed_seq are specified exactly, and the modulo is ours, so every standard
  // library gives the same prompts.
  std::seed_seq seq{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32),
                    static_cast<uint32_t>(index), static_cast<uint32_t>(uint64_t(index) >> 32)};
  std::mt19937_64 rng(seq);
  std::string prompt;
  for (int32_t i = 0; i < words; ++i) {
    if (i > 0) prompt += ' ';
    prompt += kWords[rng() % std::size(kWords)];
  }
  return prompt;
}

std::string shared_prefix(int32_t words, uint64_t seed) {
  return synthetic_prompt(words, seed ^ kSharedPrefixSalt, -1);
}

RequestPrompt request_prompt(const ServeBenchOptions& options, int64_t index) {
  std::string own = options.prompts.empty()
                        ? synthetic_prompt(options.prompt_len, options.seed, index)
                        : options.prompts[static_cast<size_t>(index) % options.prompts.size()];
  if (options.shared_prefix_len <= 0) return {"", std::move(own)};
  // The request number first: any two requests differ right after the shared part.
  own = std::to_string(index) + " " + own;
  std::string prefix = shared_prefix(options.shared_prefix_len, options.seed);
  if (options.endpoint == ServeEndpoint::Chat) return {std::move(prefix), std::move(own)};
  return {"", prefix + " " + own};
}

std::vector<std::string> load_prompt_dataset(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw_error(ErrorCode::InvalidConfig, "--dataset " + path + ": " + ec.message(), path);
  if (size > kMaxDatasetBytes) {
    throw_error(
        ErrorCode::InvalidConfig,
        "--dataset " + path + ": larger than " + std::to_string(kMaxDatasetBytes >> 20) + " MiB",
        path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw_error(ErrorCode::InvalidConfig, "--dataset " + path + ": cannot read the file", path);
  std::string text(std::istreambuf_iterator<char>(in), {});
  std::vector<std::string> prompts;
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '[') {
    json array;
    try {
      array = json::parse(text);
    } catch (const json::parse_error& e) {
      throw_error(ErrorCode::InvalidConfig,
                  "--dataset " + path + ": not a valid JSON array: " + e.what(), path);
    }
    for (size_t i = 0; i < array.size(); ++i) {
      if (!array[i].is_string()) {
        throw_error(ErrorCode::InvalidConfig,
                    "--dataset " + path + ": element " + std::to_string(i) + " of the array is " +
                        array[i].type_name() + ", expected a string",
                    path);
      }
      prompts.push_back(array[i].get<std::string>());
    }
  } else {
    for_each_nonblank_line(text, [&](std::string_view line, size_t line_number) {
      const std::string where = "--dataset " + path + ":" + std::to_string(line_number) + ": ";
      json object = json::parse(line, nullptr, false);
      if (object.is_discarded()) {
        throw_error(ErrorCode::InvalidConfig,
                    where +
                        "not valid JSON (expected JSON lines with a \"prompt\" "
                        "field, or one JSON array of strings)",
                    path);
      }
      auto prompt = object.is_object() ? object.find("prompt") : object.end();
      if (!object.is_object() || prompt == object.end() || !prompt->is_string()) {
        throw_error(ErrorCode::InvalidConfig, where + "expected an object with a string \"prompt\"",
                    path);
      }
      prompts.push_back(prompt->get<std::string>());
      return true;
    });
  }
  if (prompts.empty())
    throw_error(ErrorCode::InvalidConfig, "--dataset " + path + ": no prompts", path);
  return prompts;
}

}  // namespace fastchat::bench
