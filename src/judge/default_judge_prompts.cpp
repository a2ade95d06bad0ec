// The built-in judge prompts: our own wording, with FastChat's prompt names, placeholders and
// output formats, so that judgments made with them read like FastChat's and FastChat's own
// judge_prompts.jsonl can replace them (--judge-file) without any other change.

#include "judge/judge_prompt.h"

namespace fastchat::judge {

namespace {

constexpr const char* kSingleSystem =
    "You are a careful, impartial judge of AI assistants. Rate the response on how helpful, "
    "relevant, accurate, deep, creative and detailed it is. First explain your assessment in a "
    "few sentences, as objectively as you can. Then give a rating from 1 to 10 in exactly this "
    "form: \"[[rating]]\", for example \"Rating: [[6]]\".";

constexpr const char* kSingleMathSystem =
    "You are a careful, impartial judge of AI assistants. Rate the correctness and helpfulness "
    "of the response. A reference answer is given: compare the response with it, and point out "
    "and correct any mistake. Be as objective as you can. Then give a rating from 1 to 10 in "
    "exactly this form: \"[[rating]]\", for example \"Rating: [[6]]\".";

constexpr const char* kPairSystem =
    "You are a careful, impartial judge. Compare the responses of two AI assistants to the "
    "user's question and decide which follows the instructions and answers better, considering "
    "helpfulness, relevance, accuracy, depth, creativity and detail. Do not let the order of the "
    "responses, their length or the assistants' names sway you. Explain your comparison briefly, "
    "then give your verdict in exactly this form: \"[[A]]\" if assistant A is better, \"[[B]]\" "
    "if assistant B is better, \"[[C]]\" for a tie.";

constexpr const char* kPairMathSystem =
    "You are a careful, impartial judge. Compare the responses of two AI assistants to the "
    "user's question, using the reference answer to check which is correct and more helpful. "
    "Point out and correct any mistake. Do not let the order of the responses, their length or "
    "the assistants' names sway you. Explain briefly, then give your verdict in exactly this "
    "form: \"[[A]]\" if assistant A is better, \"[[B]]\" if assistant B is better, \"[[C]]\" for "
    "a tie.";

constexpr const char* kMultiTurnNote =
    " Judge the assistant's answer to the user's second question; the first exchange is context.";

constexpr const char* kSingleTemplate =
    "[Question]\n{question}\n\n[The Start of Assistant's Answer]\n{answer}\n"
    "[The End of Assistant's Answer]";

constexpr const char* kSingleMathTemplate =
    "[Question]\n{question}\n\n[The Start of Reference Answer]\n{ref_answer_1}\n"
    "[The End of Reference Answer]\n\n[The Start of Assistant's Answer]\n{answer}\n"
    "[The End of Assistant's Answer]";

constexpr const char* kSingleMultiTemplate =
    "<|The Start of Assistant A's Conversation with User|>\n\n### User:\n{question_1}\n\n"
    "### Assistant A:\n{answer_1}\n\n### User:\n{question_2}\n\n### Assistant A:\n{answer_2}\n\n"
    "<|The End of Assistant A's Conversation with User|>";

constexpr const char* kSingleMathMultiTemplate =
    "<|The Start of Reference Answer|>\n\n### User:\n{question_1}\n\n### Reference answer:\n"
    "{ref_answer_1}\n\n### User:\n{question_2}\n\n### Reference answer:\n{ref_answer_2}\n\n"
    "<|The End of Reference Answer|>\n\n\n"
    "<|The Start of Assistant A's Conversation with User|>\n\n### User:\n{question_1}\n\n"
    "### Assistant A:\n{answer_1}\n\n### User:\n{question_2}\n\n### Assistant A:\n{answer_2}\n\n"
    "<|The End of Assistant A's Conversation with User|>";

constexpr const char* kPairTemplate =
    "[User Question]\n{question}\n\n[The Start of Assistant A's Answer]\n{answer_a}\n"
    "[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\n{answer_b}\n"
    "[The End of Assistant B's Answer]";

constexpr const char* kPairMathTemplate =
    "[User Question]\n{question}\n\n[The Start of Reference Answer]\n{ref_answer_1}\n"
    "[The End of Reference Answer]\n\n[The Start of Assistant A's Answer]\n{answer_a}\n"
    "[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\n{answer_b}\n"
    "[The End of Assistant B's Answer]";

constexpr const char* kPairMultiConversations =
    "<|The Start of Assistant A's Conversation with User|>\n\n### User:\n{question_1}\n\n"
    "### Assistant A:\n{answer_a_1}\n\n### User:\n{question_2}\n\n### Assistant A:\n"
    "{answer_a_2}\n\n<|The End of Assistant A's Conversation with User|>\n\n\n"
    "<|The Start of Assistant B's Conversation with User|>\n\n### User:\n{question_1}\n\n"
    "### Assistant B:\n{answer_b_1}\n\n### User:\n{question_2}\n\n### Assistant B:\n"
    "{answer_b_2}\n\n<|The End of Assistant B's Conversation with User|>";

constexpr const char* kPairMathReference =
    "<|The Start of Reference Answer|>\n\n### User:\n{question_1}\n\n### Reference answer:\n"
    "{ref_answer_1}\n\n### User:\n{question_2}\n\n### Reference answer:\n{ref_answer_2}\n\n"
    "<|The End of Reference Answer|>\n\n\n";

JudgePrompt make(const char* name, const char* type, std::string system, std::string tmpl,
                 const char* category, const char* output_format, const char* description) {
  return JudgePrompt{name,        type,     std::move(system), std::move(tmpl),
                     description, category, output_format};
}

}  // namespace

JudgePrompts default_judge_prompts() {
  const std::string multi = kMultiTurnNote;
  const std::vector<JudgePrompt> prompts{
      make("single-v1", "single", kSingleSystem, kSingleTemplate, "general", "[[rating]]",
           "Prompt for general questions"),
      make("single-math-v1", "single", kSingleMathSystem, kSingleMathTemplate, "math", "[[rating]]",
           "Prompt for questions with a reference answer"),
      make("single-v1-multi-turn", "single", kSingleSystem + multi, kSingleMultiTemplate, "general",
           "[[rating]]", "Prompt for general questions, second turn"),
      make("single-math-v1-multi-turn", "single", kSingleMathSystem + multi,
           kSingleMathMultiTemplate, "math", "[[rating]]",
           "Prompt for questions with a reference answer, second turn"),
      make("pair-v2", "pairwise", kPairSystem, kPairTemplate, "general", "[[A]]",
           "Prompt for general questions"),
      make("pair-math-v1", "pairwise", kPairMathSystem, kPairMathTemplate, "math", "[[A]]",
           "Prompt for questions with a reference answer"),
      make("pair-v2-multi-turn", "pairwise", kPairSystem + multi, kPairMultiConversations,
           "general", "[[A]]", "Prompt for general questions, second turn"),
      make("pair-math-v1-multi-turn", "pairwise", kPairMathSystem + multi,
           std::string(kPairMathReference) + kPairMultiConversations, "math", "[[A]]",
           "Prompt for questions with a reference answer, second turn"),
  };
  JudgePrompts by_name;
  for (const auto& p : prompts) by_name.emplace(p.name, p);
  return by_name;
}

}  // namespace fastchat::judge
