#pragma once
// Vote-log records to battles, as FastChat's clean_battle_data.py makes them: each battle vote
// either becomes a battle {question_id, model_a, model_b, winner, judge, turn, anony, tstamp}
// or is dropped for the first rule it breaks, and every drop is counted by reason.

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "rating/battle.h"
#include "rating/judge_pseudonym.h"
#include "rating/vote_log.h"

namespace fastchat::rating {

/// Why a vote was dropped, in the order the rules are checked.
enum class DropReason : uint8_t {
  InvalidModels,    ///< one side hidden and the other named, a named vote whose selector names
                    ///< differ from the states' models, a missing model name, or a self-battle
  EmptyMessages,    ///< a state without messages (after its offset)
  UnfinishedReply,  ///< a reply that is null or empty, or a prompt left without a reply
  ErrorReply,       ///< a reply holding an error marker (the server's error text)
  PromptMismatch,   ///< the two states' user prompts differ
  IdentityLeak,     ///< in an anonymous battle, a reply names a model (identity words)
  ExcludedModel,    ///< a model on the exclude list
  BannedJudge,      ///< the voter's IP is banned
  Duplicate,        ///< same conversations and same winner as a vote already kept
};
inline constexpr size_t kDropReasons = 9;

/// "invalid_models", "empty_messages", ... (snake case, as in the JSON of the counts).
std::string_view drop_reason_name(DropReason reason);

/// Identity words after FastChat's IDENTITY_WORDS: model families, their makers and products.
std::vector<std::string> default_identity_words();
/// The texts FastChat's web server puts in a reply when a worker fails.
std::vector<std::string> default_error_markers();

struct CleanOptions {
  std::vector<std::string> identity_words = default_identity_words();  ///< case-insensitive
  std::vector<std::string> error_markers = default_error_markers();    ///< case-sensitive
  std::vector<std::string> banned_ips;
  std::vector<std::string> exclude_models;
  std::string judge_salt;  ///< key of the judges' ids (JudgePseudonym); "" draws one
  bool keep_ip = false;    ///< judge = "arena_user_<ip>" as FastChat without --sanitize-ip
};

struct CleanStats {
  int64_t records = 0;    ///< log records read
  int64_t non_votes = 0;  ///< records of other types (chat, upvote, share, ...): skipped
  int64_t votes = 0;      ///< battle votes
  int64_t kept = 0;       ///< battles made
  std::array<int64_t, kDropReasons> dropped{};

  int64_t dropped_for(DropReason reason) const { return dropped[static_cast<size_t>(reason)]; }
};

/// A cleaned battle, FastChat's record less the conversations (and the language, which would
/// need a language detector).
struct CleanBattle {
  std::string question_id;  ///< state A's conv_id
  std::string model_a;
  std::string model_b;
  Winner winner = Winner::Tie;
  std::string judge;
  int turn = 0;  ///< user messages in state A after its offset
  bool anony = true;
  double tstamp = 0.0;
};

class BattleCleaner {
 public:
  explicit BattleCleaner(CleanOptions options = {});

  /// A record that is not a battle vote: only counted.
  void skip_non_vote();
  /// Cleans one vote; the battle is kept unless a rule drops it (returned, and counted).
  std::optional<DropReason> add(const VoteRecord& vote);

  const CleanStats& stats() const { return stats_; }
  /// The battles kept, sorted by tstamp (stably), as clean_battle_data sorts them.
  std::vector<CleanBattle> battles() const;

 private:
  std::optional<DropReason> check(const VoteRecord& vote, bool anony) const;
  bool leaks_identity(const VoteRecord& vote) const;

  CleanOptions options_;
  JudgePseudonym pseudonym_;
  CleanStats stats_;
  std::vector<CleanBattle> battles_;
  std::set<std::tuple<std::string, std::string, Winner>> seen_;  // conv ids and winner
};

}  // namespace fastchat::rating
