#include "text/conversation/builtin_templates.h"

namespace fastchat::conversation {
namespace {

// FastChat's system message of the Human/Assistant templates (one_shot, zero_shot).
constexpr const char* kHumanAssistantSystem =
    "A chat between a curious human and an artificial intelligence assistant. "
    "The assistant gives helpful, detailed, and polite answers to the human's questions.";

// one_shot's example question; the apostrophe is U+2019, as in FastChat.
constexpr const char* kBirthdayQuestion =
    "Got any creative ideas for a 10 year old\xE2\x80\x99s birthday?";

// one_shot's example answer, verbatim from FastChat (ASCII apostrophes here).
constexpr const char* kBirthdayAnswer =
    "Of course! Here are some creative ideas for a 10-year-old's birthday party:\n"
    "1. Treasure Hunt: Organize a treasure hunt in your backyard or nearby park. Create clues and "
    "riddles for the kids to solve, leading them to hidden treasures and surprises.\n"
    "2. Science Party: Plan a science-themed party where kids can engage in fun and interactive "
    "experiments. You can set up different stations with activities like making slime, erupting "
    "volcanoes, or creating simple chemical reactions.\n"
    "3. Outdoor Movie Night: Set up a backyard movie night with a projector and a large screen or "
    "white sheet. Create a cozy seating area with blankets and pillows, and serve popcorn and "
    "snacks while the kids enjoy a favorite movie under the stars.\n"
    "4. DIY Crafts Party: Arrange a craft party where kids can unleash their creativity. Provide a "
    "variety of craft supplies like beads, paints, and fabrics, and let them create their own "
    "unique masterpieces to take home as party favors.\n"
    "5. Sports Olympics: Host a mini Olympics event with various sports and games. Set up "
    "different stations for activities like sack races, relay races, basketball shooting, and "
    "obstacle courses. Give out medals or certificates to the participants.\n"
    "6. Cooking Party: Have a cooking-themed party where the kids can prepare their own mini "
    "pizzas, cupcakes, or cookies. Provide toppings, frosting, and decorating supplies, and let "
    "them get hands-on in the kitchen.\n"
    "7. Superhero Training Camp: Create a superhero-themed party where the kids can engage in fun "
    "training activities. Set up an obstacle course, have them design their own superhero capes or "
    "masks, and organize superhero-themed games and challenges.\n"
    "8. Outdoor Adventure: Plan an outdoor adventure party at a local park or nature reserve. "
    "Arrange activities like hiking, nature scavenger hunts, or a picnic with games. Encourage "
    "exploration and appreciation for the outdoors.\n"
    "Remember to tailor the activities to the birthday child's interests and preferences. Have a "
    "great celebration!";

}  // namespace

std::vector<ConversationTemplate> builtin_templates() {
  using S = SeparatorStyle;
  std::vector<ConversationTemplate> t;

  // Plain concatenation of the messages: for base models (e.g. stories260K).
  t.push_back({.name = "raw", .roles = {"", ""}, .sep_style = S::NoColonSingle, .sep = ""});

  t.push_back({.name = "one_shot",
               .system_message = kHumanAssistantSystem,
               .roles = {"Human", "Assistant"},
               .sep_style = S::AddColonSingle,
               .sep = "\n### ",
               .stop_str = {"###"},
               .few_shot = {{"user", kBirthdayQuestion}, {"assistant", kBirthdayAnswer}}});

  t.push_back({.name = "zero_shot",
               .system_message = kHumanAssistantSystem,
               .roles = {"Human", "Assistant"},
               .sep_style = S::AddColonSingle,
               .sep = "\n### ",
               .stop_str = {"###"}});

  t.push_back({.name = "vicuna_v1.1",
               .system_message =
                   "A chat between a curious user and an artificial intelligence assistant. "
                   "The assistant gives helpful, detailed, and polite answers to the user's "
                   "questions.",
               .roles = {"USER", "ASSISTANT"},
               .sep_style = S::AddColonTwo,
               .sep = " ",
               .sep2 = "</s>"});

  // FastChat's sep is None here; DEFAULT never reads it.
  t.push_back({.name = "api_based_default",
               .roles = {"user", "assistant"},
               .sep_style = S::Default,
               .sep = ""});

  t.push_back({.name = "koala_v1",
               .system_message = "BEGINNING OF CONVERSATION:",
               .roles = {"USER", "GPT"},
               .sep_style = S::AddColonTwo,
               .sep = " ",
               .sep2 = "</s>"});

  t.push_back({.name = "alpaca",
               .system_message = "Below is an instruction that describes a task. Write a response "
                                 "that appropriately completes the request.",
               .roles = {"### Instruction", "### Response"},
               .sep_style = S::AddColonTwo,
               .sep = "\n\n",
               .sep2 = "</s>"});

  // Stop ids: "<|user|>", "<|observation|>", "</s>".
  t.push_back({.name = "chatglm3",
               .system_template = "<|system|>\n{system_message}",
               .roles = {"<|user|>", "<|assistant|>"},
               .sep_style = S::ChatGlm3,
               .stop_token_ids = {64795, 64797, 2}});

  t.push_back({.name = "tulu",
               .roles = {"<|user|>", "<|assistant|>"},
               .sep_style = S::AddNewLineSingle,
               .sep = "\n"});

  t.push_back({.name = "openchat_3.5",
               .roles = {"GPT4 Correct User", "GPT4 Correct Assistant"},
               .sep_style = S::FalconChat,
               .sep = "<|end_of_turn|>"});

  t.push_back({.name = "llama-2",
               .system_template = "[INST] <<SYS>>\n{system_message}\n<</SYS>>\n\n",
               .roles = {"[INST]", "[/INST]"},
               .sep_style = S::Llama2,
               .sep = " ",
               .sep2 = " </s><s>"});

  t.push_back({.name = "llama-3",
               .system_template =
                   "<|start_header_id|>system<|end_header_id|>\n\n{system_message}<|eot_id|>",
               .roles = {"user", "assistant"},
               .sep_style = S::Llama3,
               .sep = "",
               .stop_str = {"<|eot_id|>"},
               .stop_token_ids = {128001, 128009}});

  t.push_back({.name = "mistral",
               .system_template = "[INST] {system_message}\n",
               .roles = {"[INST]", "[/INST]"},
               .sep_style = S::Llama2,
               .sep = " ",
               .sep2 = "</s>"});

  // Qwen's ChatML layout. FastChat has no template literally named "chatml"; its qwen-7b-chat is
  // the de-facto one, registered below under FastChat's name as well.
  ConversationTemplate chatml{.name = "chatml",
                              .system_template = "<|im_start|>system\n{system_message}",
                              .system_message = "You are a helpful assistant.",
                              .roles = {"<|im_start|>user", "<|im_start|>assistant"},
                              .sep_style = S::ChatMl,
                              .sep = "<|im_end|>",
                              .stop_str = {"<|endoftext|>"},
                              .stop_token_ids = {151643, 151644, 151645}};
  t.push_back(chatml);
  chatml.name = "qwen-7b-chat";
  t.push_back(std::move(chatml));

  t.push_back({.name = "zephyr",
               .system_template = "<|system|>\n{system_message}",
               .roles = {"<|user|>", "<|assistant|>"},
               .sep_style = S::ChatMl,
               .sep = "</s>",
               .stop_str = {"</s>"},
               .stop_token_ids = {2}});

  t.push_back({.name = "TinyLlama",
               .system_template = "<|system|>\n{system_message}",
               .roles = {"<|user|>", "<|assistant|>"},
               .sep_style = S::ChatMl,
               .sep = "</s>",
               .stop_str = {"</s>"},
               .stop_token_ids = {2}});

  // The system message is DeepSeek's BOS text: FastChat puts it into the prompt string.
  // "<｜begin▁of▁sentence｜>" / "<｜end▁of▁sentence｜>" (U+FF5C and U+2581), spelled as bytes.
  const std::string deepseek_bos =
      "<\xEF\xBD\x9C"
      "begin\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>";
  const std::string deepseek_eos =
      "<\xEF\xBD\x9C"
      "end\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>";
  t.push_back({.name = "deepseek-chat",
               .system_message = deepseek_bos,
               .roles = {"User", "Assistant"},
               .sep_style = S::DeepseekChat,
               .sep = "\n\n",
               .sep2 = deepseek_eos,
               .stop_str = {deepseek_eos}});

  t.push_back({.name = "gemma",
               .roles = {"user", "model"},
               .sep_style = S::Gemma,
               .sep = "<end_of_turn>\n",
               .stop_str = {"<end_of_turn>"}});

  return t;
}

}  // namespace fastchat::conversation
