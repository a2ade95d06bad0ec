#include "text/tokenizer/pre_tokenizer.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "common/error/error.h"

namespace fastchat::tokenizer {
namespace {

// GPT-2's split pattern, used by ByteLevel when use_regex is true.
constexpr const char* kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

[[noreturn]] void unsupported(const std::string& origin, const std::string& what) {
  throw_error(ErrorCode::InvalidModel, origin + ": unsupported pre_tokenizer " + what, origin);
}

}  // namespace

PreTokenizer::PreTokenizer(const nlohmann::json& spec, const std::string& origin) {
  parse(spec, origin);
}

void PreTokenizer::parse(const nlohmann::json& spec, const std::string& origin) {
  if (spec.is_null()) return;
  if (!spec.is_object() || !spec.contains("type") || !spec["type"].is_string()) {
    unsupported(origin, "entry without a \"type\": " + spec.dump().substr(0, 200));
  }
  const std::string type = spec["type"].get<std::string>();
  if (type == "Sequence") {
    for (const auto& child : spec.value("pretokenizers", nlohmann::json::array())) {
      parse(child, origin);
    }
    return;
  }
  Step step;
  if (type == "ByteLevel") {
    byte_level_ = true;
    step.add_prefix_space = spec.value("add_prefix_space", false);
    if (spec.value("use_regex", true)) {
      step.regex = std::make_shared<RegexPattern>(kGpt2Pattern, false, origin);
    }
  } else if (type == "Split") {
    const auto& pattern = spec.value("pattern", nlohmann::json::object());
    if (pattern.contains("Regex") && pattern["Regex"].is_string()) {
      step.regex =
          std::make_shared<RegexPattern>(pattern["Regex"].get<std::string>(), false, origin);
    } else if (pattern.contains("String") && pattern["String"].is_string()) {
      step.regex =
          std::make_shared<RegexPattern>(pattern["String"].get<std::string>(), true, origin);
    } else {
      unsupported(origin, "Split without a Regex or String pattern");
    }
    const std::string behavior = spec.value("behavior", "Isolated");
    if (behavior == "Removed") {
      step.behavior = Behavior::Removed;
    } else if (behavior == "Isolated") {
      step.behavior = Behavior::Isolated;
    } else if (behavior == "MergedWithPrevious") {
      step.behavior = Behavior::MergedWithPrevious;
    } else if (behavior == "MergedWithNext") {
      step.behavior = Behavior::MergedWithNext;
    } else if (behavior == "Contiguous") {
      step.behavior = Behavior::Contiguous;
    } else {
      unsupported(origin, "Split behavior \"" + behavior + "\"");
    }
    step.invert = spec.value("invert", false);
  } else {
    unsupported(origin, "type \"" + type + "\" (supported: Sequence, Split, ByteLevel)");
  }
  steps_.push_back(std::move(step));
}

void PreTokenizer::split(std::string_view text, std::vector<std::string_view>& out,
                         std::deque<std::string>& arena) const {
  std::vector<std::string_view> current{text};
  std::vector<std::string_view> next;
  for (const Step& step : steps_) {
    next.clear();
    for (std::string_view piece : current) {
      if (step.add_prefix_space && (piece.empty() || piece.front() != ' ')) {
        std::string& prefixed = arena.emplace_back();
        prefixed.reserve(piece.size() + 1);
        prefixed.push_back(' ');
        prefixed.append(piece);
        piece = prefixed;
      }
      if (step.regex) {
        apply(step, piece, next);
      } else {
        next.push_back(piece);
      }
    }
    current.swap(next);
  }
  for (std::string_view piece : current) {
    if (!piece.empty()) out.push_back(piece);
  }
}

void PreTokenizer::apply(const Step& step, std::string_view piece,
                         std::vector<std::string_view>& out) {
  std::vector<std::pair<std::size_t, std::size_t>> matches;
  step.regex->find_all(piece, matches);
  // Cover the piece with alternating (range, is_delimiter) segments.
  struct Segment {
    std::size_t begin, end;
    bool delimiter;
  };
  std::vector<Segment> segments;
  std::size_t pos = 0;
  for (const auto& [begin, end] : matches) {
    if (begin > pos) segments.push_back({pos, begin, step.invert});
    segments.push_back({begin, end, !step.invert});
    pos = end;
  }
  if (pos < piece.size()) segments.push_back({pos, piece.size(), step.invert});

  auto view = [&](std::size_t begin, std::size_t end) { return piece.substr(begin, end - begin); };
  switch (step.behavior) {
    case Behavior::Isolated:
      for (const Segment& s : segments) out.push_back(view(s.begin, s.end));
      break;
    case Behavior::Removed:
      for (const Segment& s : segments) {
        if (!s.delimiter) out.push_back(view(s.begin, s.end));
      }
      break;
    case Behavior::MergedWithPrevious: {
      // A delimiter ends the piece in progress.
      std::size_t start = 0;
      for (const Segment& s : segments) {
        if (s.delimiter) {
          out.push_back(view(start, s.end));
          start = s.end;
        }
      }
      if (start < piece.size()) out.push_back(view(start, piece.size()));
      break;
    }
    case Behavior::MergedWithNext: {
      // A delimiter starts a new piece.
      std::size_t start = 0;
      for (const Segment& s : segments) {
        if (s.delimiter && s.begin > start) {
          out.push_back(view(start, s.begin));
          start = s.begin;
        }
      }
      if (start < piece.size()) out.push_back(view(start, piece.size()));
      break;
    }
    case Behavior::Contiguous: {
      // Runs of adjacent delimiters form one piece.
      std::size_t i = 0;
      while (i < segments.size()) {
        std::size_t j = i + 1;
        while (segments[i].delimiter && j < segments.size() && segments[j].delimiter) ++j;
        out.push_back(view(segments[i].begin, segments[j - 1].end));
        i = j;
      }
      break;
    }
  }
}

}  // namespace fastchat::tokenizer
