#pragma once
// Judging one match as FastChat's run_judge_single / run_judge_pair do: fill the prompt
// template, ask the judge at temperature 0, read the verdict. A pair is judged twice, with the
// answers' positions swapped, so that a judge's preference for a position cancels out.

#include <string>

#include "judge/chat_caller.h"
#include "judge/match.h"
#include "judge/pair_judgment.h"
#include "judge/single_judgment.h"

namespace fastchat::judge {

/// The judge's token budget FastChat uses.
inline constexpr int kJudgeMaxTokens = 2048;

/// The filled template of a single match.
std::string single_user_prompt(const Match& match);

/// The filled template of game 1 (model_1 as A) or game 2 (model_2 as A) of a pair.
std::string pair_user_prompt(const Match& match, int game);

/// [{system}, {user}] as FastChat's conversation for an API judge (no system message when the
/// prompt has none).
nlohmann::json judge_messages(const JudgePrompt& prompt, const std::string& user_prompt);

/// One judge call, one record. The judge's failures throw (nothing is recorded, so a rerun
/// retries); an unreadable verdict is recorded as FastChat does (score -1, winner "error").
SingleJudgment judge_single(const Match& match, const ChatCaller& judge, int max_tokens);
PairJudgment judge_pair(const Match& match, const ChatCaller& judge, int max_tokens);

/// What a match will be recorded under, for skipping work a previous run finished.
std::string match_key(const Match& match, const std::string& judge_model);

}  // namespace fastchat::judge
