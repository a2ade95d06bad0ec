#include "rating/battle_cleaner.h"

#include <algorithm>
#include <utility>

namespace fastchat::rating {
namespace {

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool contains_any(std::string_view text, const std::vector<std::string>& words) {
  for (const auto& word : words) {
    if (!word.empty() && text.find(word) != std::string_view::npos) return true;
  }
  return false;
}

// Even positions are the user's prompts, odd ones the model's replies (FastChat reads roles
// by position: role strings are the template's, "USER", "<|user|>", "Human", ...).
bool is_reply(size_t index) { return index % 2 == 1; }

bool has_unfinished_reply(const VoteState& state) {
  if (state.texts.size() % 2 == 1) return true;  // the last prompt got no reply
  for (size_t i = 1; i < state.texts.size(); i += 2) {
    if (!state.texts[i] || state.texts[i]->empty()) return true;
  }
  return false;
}

bool has_error_reply(const VoteState& state, const std::vector<std::string>& markers) {
  for (size_t i = 1; i < state.texts.size(); i += 2) {
    if (state.texts[i] && contains_any(*state.texts[i], markers)) return true;
  }
  return false;
}

bool same_prompts(const VoteState& a, const VoteState& b) {
  if (a.texts.size() != b.texts.size()) return false;
  for (size_t i = 0; i < a.texts.size(); i += 2) {
    if (a.texts[i] != b.texts[i]) return false;
  }
  return true;
}

// The vote handler logs the model selectors as they read when the vote is cast. An anonymous
// arena reveals the names only after the vote, so its selectors are still "" (in old logs
// "Model A" / "Model B"); a named arena's show both names. FastChat's rule: anonymous when
// models[0] is hidden, invalid when exactly one side is "".
bool anonymous(const std::array<std::string, 2>& models) {
  return models[0].empty() || models[0] == "Model A";
}

}  // namespace

std::string_view drop_reason_name(DropReason reason) {
  static constexpr std::string_view kNames[kDropReasons] = {
      "invalid_models", "empty_messages", "unfinished_reply", "error_reply", "prompt_mismatch",
      "identity_leak",  "excluded_model", "banned_judge",     "duplicate"};
  return kNames[static_cast<size_t>(reason)];
}

std::vector<std::string> default_identity_words() {
  return {"vicuna",  "lmsys",   "koala",     "uc berkeley", "open assistant", "laion",
          "chatglm", "chatgpt", "gpt-4",     "openai",      "anthropic",      "claude",
          "bard",    "palm",    "lamda",     "google",      "gemini",         "llama",
          "qianwan", "qwen",    "alibaba",   "mistral",     "zhipu",          "keg lab",
          "01.ai",   "ai2",     "tülu",      "tulu",        "deepseek",       "hermes",
          "cohere",  "dbrx",    "databricks"};
}

std::vector<std::string> default_error_markers() {
  // FastChat's SERVER_ERROR_MSG is "**NETWORK ERROR DUE TO HIGH TRAFFIC. PLEASE REGENERATE OR
  // REFRESH THIS PAGE.**"; a worker's error reaches the reply as "...\n\n(error_code: N)".
  return {"NETWORK ERROR DUE TO HIGH TRAFFIC", "**NETWORK ERROR", "(error_code: "};
}

BattleCleaner::BattleCleaner(CleanOptions options)
    : options_(std::move(options)), pseudonym_(options_.judge_salt, options_.keep_ip) {
  for (auto& word : options_.identity_words) word = ascii_lower(word);
}

void BattleCleaner::skip_non_vote() {
  ++stats_.records;
  ++stats_.non_votes;
}

bool BattleCleaner::leaks_identity(const VoteRecord& vote) const {
  for (const VoteState& state : vote.states) {
    for (size_t i = 0; i < state.texts.size(); ++i) {
      if (is_reply(i) && state.texts[i] &&
          contains_any(ascii_lower(*state.texts[i]), options_.identity_words)) {
        return true;
      }
    }
  }
  return false;
}

std::optional<DropReason> BattleCleaner::check(const VoteRecord& vote, bool anony) const {
  const auto& [a, b] = vote.states;
  if (vote.models[0].empty() != vote.models[1].empty() || a.model_name.empty() ||
      b.model_name.empty() || a.model_name == b.model_name ||
      (!anony && (vote.models[0] != a.model_name || vote.models[1] != b.model_name))) {
    return DropReason::InvalidModels;
  }
  if (a.texts.empty() || b.texts.empty()) return DropReason::EmptyMessages;
  if (has_unfinished_reply(a) || has_unfinished_reply(b)) return DropReason::UnfinishedReply;
  const auto& markers = options_.error_markers;
  if (has_error_reply(a, markers) || has_error_reply(b, markers)) return DropReason::ErrorReply;
  if (!same_prompts(a, b)) return DropReason::PromptMismatch;
  // In a named battle the voter knew the models anyway.
  if (anony && leaks_identity(vote)) return DropReason::IdentityLeak;
  const auto& excluded = options_.exclude_models;
  if (std::count(excluded.begin(), excluded.end(), a.model_name) ||
      std::count(excluded.begin(), excluded.end(), b.model_name)) {
    return DropReason::ExcludedModel;
  }
  const auto& banned = options_.banned_ips;
  if (std::count(banned.begin(), banned.end(), vote.ip)) return DropReason::BannedJudge;
  return std::nullopt;
}

std::optional<DropReason> BattleCleaner::add(const VoteRecord& vote) {
  ++stats_.records;
  ++stats_.votes;
  const bool anony = anonymous(vote.models);
  auto reason = check(vote, anony);
  // Votes without conversation ids cannot be told apart, so they are never duplicates.
  const auto& [a, b] = vote.states;
  if (!reason && !(a.conv_id.empty() && b.conv_id.empty()) &&
      !seen_.emplace(a.conv_id, b.conv_id, vote.winner).second) {
    reason = DropReason::Duplicate;
  }
  if (reason) {
    ++stats_.dropped[static_cast<size_t>(*reason)];
    return reason;
  }
  CleanBattle battle;
  battle.question_id = vote.states[0].conv_id;
  battle.model_a = vote.states[0].model_name;
  battle.model_b = vote.states[1].model_name;
  battle.winner = vote.winner;
  battle.judge = pseudonym_.judge(vote.ip);
  battle.turn = static_cast<int>((vote.states[0].texts.size() + 1) / 2);
  battle.anony = anony;
  battle.tstamp = vote.tstamp;
  battles_.push_back(std::move(battle));
  ++stats_.kept;
  return std::nullopt;
}

std::vector<CleanBattle> BattleCleaner::battles() const {
  std::vector<CleanBattle> sorted = battles_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const CleanBattle& x, const CleanBattle& y) { return x.tstamp < y.tstamp; });
  return sorted;
}

}  // namespace fastchat::rating
