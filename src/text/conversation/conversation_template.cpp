#include "text/conversation/conversation_template.h"

#include <string_view>

#include "common/error/error.h"

namespace fastchat::conversation {
namespace {

// One turn as FastChat stores it: the role name as written into the prompt, and the message;
// an empty message is an open turn (FastChat tests `if message:`).
struct Turn {
  std::string_view role;
  std::string_view message;
};

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  // Non-overlapping, left to right: the semantics of Python's str.replace.
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t hit = text.find(from, pos);
    if (hit == std::string_view::npos) break;
    out.append(text.substr(pos, hit - pos)).append(to);
    pos = hit + from.size();
  }
  out.append(text.substr(pos));
  return out;
}

bool is_python_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Python's str.strip() for ASCII whitespace (Llama-3 strips each message).
std::string_view strip(std::string_view text) {
  while (!text.empty() && is_python_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_python_space(text.back())) text.remove_suffix(1);
  return text;
}

// Python's str.rstrip(chars): strips any of `chars` from the right, not the suffix `chars`.
std::string rstrip_chars(std::string text, std::string_view chars) {
  while (!text.empty() && chars.find(text.back()) != std::string_view::npos) text.pop_back();
  return text;
}

// The per-style rules of FastChat's Conversation.get_prompt(), transcribed branch by branch.
class PromptBuilder {
 public:
  PromptBuilder(const ConversationTemplate& tpl, std::string_view system_message,
                std::span<const Turn> turns)
      : t_(tpl),
        system_message_(system_message),
        sp_(tpl.system_prompt(system_message)),
        turns_(turns) {}

  std::string build() const {
    switch (t_.sep_style) {
      case SeparatorStyle::AddColonSingle:
        return colon(sp_ + t_.sep, false, ":", false);
      case SeparatorStyle::AddColonTwo:
        return colon(sp_ + t_.sep, true, ":", false);
      case SeparatorStyle::AddColonSpaceSingle:
        return colon(sp_ + t_.sep, false, ": ", false);
      case SeparatorStyle::Cllm:
        return colon(sp_ + t_.sep, true, ":", true);
      case SeparatorStyle::DeepseekChat:
        return colon(sp_, true, ":", false);
      case SeparatorStyle::FalconChat:
        return colon(system_message_.empty() ? std::string() : sp_ + t_.sep, false, ":", false);
      case SeparatorStyle::AddNewLineSingle:
        return newline(sp_.empty() ? "" : sp_ + t_.sep, "");
      case SeparatorStyle::ChatMl:
        return newline(sp_.empty() ? "" : sp_ + t_.sep + "\n", "\n");
      case SeparatorStyle::NoColonSingle:
        return no_colon(false);
      case SeparatorStyle::NoColonTwo:
        return no_colon(true);
      case SeparatorStyle::Llama2:
        return llama2();
      case SeparatorStyle::Llama3:
        return llama3();
      case SeparatorStyle::ChatGlm:
        return chatglm();
      case SeparatorStyle::ChatGlm3:
        return chatglm3();
      case SeparatorStyle::ChatIntern:
        return chatintern();
      case SeparatorStyle::Dolly:
        return dolly();
      case SeparatorStyle::Rwkv:
        return rwkv();
      case SeparatorStyle::Phoenix:
        return phoenix();
      case SeparatorStyle::Robin:
        return robin();
      case SeparatorStyle::MetaMath:
        return metamath();
      case SeparatorStyle::Yuan2:
        return yuan2();
      case SeparatorStyle::Gemma:
        return gemma();
      case SeparatorStyle::Default:
        return default_style();
    }
    throw_error(ErrorCode::Internal, "conversation template '" + t_.name +
                                         "' has an unknown separator style " +
                                         std::to_string(static_cast<int>(t_.sep_style)));
  }

 private:
  const std::string& sep_at(std::size_t i) const { return i % 2 == 0 ? t_.sep : t_.sep2; }

  // ADD_COLON_* / CLLM / DEEPSEEK_CHAT / FALCON_CHAT: `role: message<sep>`, open `role<open>`.
  std::string colon(std::string ret, bool two_seps, std::string_view open, bool last_two) const {
    std::span<const Turn> turns = turns_;
    if (last_two && turns.size() > 2) turns = turns.subspan(turns.size() - 2);  // CLLM
    for (std::size_t i = 0; i < turns.size(); ++i) {
      const Turn& turn = turns[i];
      ret += turn.role;
      if (turn.message.empty()) {
        ret += open;
        continue;
      }
      ret.append(": ").append(turn.message).append(two_seps ? sep_at(i) : t_.sep);
    }
    return ret;
  }

  // ADD_NEW_LINE_SINGLE and CHATML: `role\nmessage<sep><tail>`, open `role\n`.
  std::string newline(std::string ret, std::string_view tail) const {
    for (const Turn& turn : turns_) {
      ret.append(turn.role).append("\n");
      if (!turn.message.empty()) ret.append(turn.message).append(t_.sep).append(tail);
    }
    return ret;
  }

  std::string no_colon(bool two_seps) const {
    std::string ret = sp_;
    for (std::size_t i = 0; i < turns_.size(); ++i) {
      ret += turns_[i].role;
      if (turns_[i].message.empty()) continue;
      ret.append(turns_[i].message).append(two_seps ? sep_at(i) : t_.sep);
    }
    return ret;
  }

  std::string llama2() const {
    // The tag is position-based (roles[i % 2]), not the stored role; the first message is bare
    // because the system block (or "[INST] ") already opened the instruction.
    std::string ret = system_message_.empty() ? std::string("[INST] ") : sp_;
    for (std::size_t i = 0; i < turns_.size(); ++i) {
      const std::string& tag = t_.roles[i % 2];
      const std::string_view message = turns_[i].message;
      if (message.empty()) {
        ret += tag;
      } else if (i == 0) {
        ret.append(message).append(" ");
      } else {
        ret.append(tag).append(" ").append(message).append(sep_at(i));
      }
    }
    return ret;
  }

  std::string llama3() const {
    std::string ret = "<|begin_of_text|>";
    if (!system_message_.empty()) ret += sp_;
    for (const Turn& turn : turns_) {
      ret.append("<|start_header_id|>").append(turn.role).append("<|end_header_id|>\n\n");
      if (!turn.message.empty()) ret.append(strip(turn.message)).append("<|eot_id|>");
    }
    return ret;
  }

  std::string chatglm() const {
    // ChatGLM2 counts rounds from 1, ChatGLM from 0; FastChat keys this off the template name.
    const std::size_t round_add = t_.name == "chatglm2" ? 1 : 0;
    std::string ret = sp_.empty() ? std::string() : sp_ + t_.sep;
    for (std::size_t i = 0; i < turns_.size(); ++i) {
      if (i % 2 == 0) ret += "[Round " + std::to_string(i / 2 + round_add) + "]" + t_.sep;
      ret.append(turns_[i].role).append("\xEF\xBC\x9A");  // full-width colon U+FF1A
      if (!turns_[i].message.empty()) ret.append(turns_[i].message).append(t_.sep);
    }
    return ret;
  }

  std::string chatglm3() const {
    std::string ret = system_message_.empty() ? std::string() : sp_;
    for (const Turn& turn : turns_) {
      ret += turn.role;
      if (!turn.message.empty()) ret.append("\n").append(turn.message);
    }
    return ret;
  }

  std::string chatintern() const {
    std::string ret = sp_;
    for (std::size_t i = 0; i < turns_.size(); ++i) {
      if (i % 2 == 0) ret += "<s>";
      ret.append(turns_[i].role).append(":");
      if (!turns_[i].message.empty()) ret.append(turns_[i].message).append(sep_at(i)).append("\n");
    }
    return ret;
  }

  std::string dolly() const {
    std::string ret = sp_;
    for (std::size_t i = 0; i < turns_.size(); ++i) {
      ret.append(turns_[i].role).append(":\n");
      if (turns_[i].message.empty()) continue;
      ret.append(turns_[i].message).append(sep_at(i));
      if (i % 2 == 1) ret += "\n\n";
    }
    return ret;
  }

  std::string rwkv() const {
    std::string ret = sp_;
    for (const Turn& turn : turns_) {
      ret += turn.role;
      if (turn.message.empty()) {
        ret += ":";
        continue;
      }
      ret.append(": ")
          .append(replace_all(replace_all(turn.message, "\r\n", "\n"), "\n\n", "\n"))
          .append("\n\n");
    }
    return ret;
  }

  std::string phoenix() const {
    std::string ret = sp_;
    for (const Turn& turn : turns_) {
      ret.append(turn.role).append(": <s>");
      if (!turn.message.empty()) ret.append(turn.message).append("</s>");
    }
    return ret;
  }

  std::string robin() const {
    std::string ret = sp_ + t_.sep;
    for (const Turn& turn : turns_) {
      ret.append(turn.role).append(":\n");
      if (!turn.message.empty()) ret.append(turn.message).append(t_.sep);
    }
    return ret;
  }

  std::string metamath() const {
    // sep2 prefixes the answer ("Let's think step by step."), sep ends the question.
    std::string ret = sp_.empty() ? std::string() : sp_ + t_.sep;
    for (std::size_t i = 0; i < turns_.size(); ++i) {
      ret.append(turns_[i].role).append(i % 2 == 0 ? ":\n" : ": " + t_.sep2);
      if (turns_[i].message.empty()) continue;
      ret.append(turns_[i].message).append(i % 2 == 0 ? t_.sep : "");
    }
    return ret;
  }

  std::string yuan2() const {
    std::string ret = system_message_.empty() ? std::string() : sp_ + t_.sep2;
    for (const Turn& turn : turns_) {
      if (!turn.message.empty()) ret.append(turn.message).append("<n>");
    }
    return rstrip_chars(std::move(ret), "<n>") + t_.sep;
  }

  std::string gemma() const {
    // FastChat's Gemma style ignores the system message entirely.
    std::string ret = "<bos>";
    for (const Turn& turn : turns_) {
      ret.append("<start_of_turn>").append(turn.role).append("\n");
      if (!turn.message.empty()) ret.append(turn.message).append(t_.sep);
    }
    return ret;
  }

  std::string default_style() const {
    std::string ret = sp_ + "\n";
    for (const Turn& turn : turns_) {
      ret += turn.role;
      if (turn.message.empty()) {
        ret += ":";
        continue;
      }
      ret.append(": ").append(turn.message).append("\n");
    }
    return ret;
  }

  const ConversationTemplate& t_;
  std::string_view system_message_;
  std::string sp_;
  std::span<const Turn> turns_;
};

const std::string& role_name(const ConversationTemplate& tpl, std::string_view role,
                             std::size_t index) {
  if (role == "user") return tpl.roles[0];
  if (role == "assistant") return tpl.roles[1];
  throw_error(
      ErrorCode::InvalidRequest,
      "unsupported role '" + std::string(role) + "'; expected 'system', 'user' or 'assistant'",
      "messages[" + std::to_string(index) + "].role");
}

}  // namespace

std::string ConversationTemplate::system_prompt(std::string_view message) const {
  return replace_all(system_template, "{system_message}", message);
}

std::string ConversationTemplate::render(std::span<const protocol::ChatMessage> messages) const {
  std::string_view system = system_message;
  std::vector<Turn> turns;
  turns.reserve(few_shot.size() + messages.size() + 1);
  for (std::size_t i = 0; i < few_shot.size(); ++i) {
    turns.push_back(Turn{role_name(*this, few_shot[i].role, i), few_shot[i].content});
  }
  bool open_turn = true;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const protocol::ChatMessage& message = messages[i];
    if (message.role == "system" || message.role == "developer") {
      system = message.content;
      continue;
    }
    turns.push_back(Turn{role_name(*this, message.role, i), message.content});
    open_turn = message.role == "user";
  }
  if (open_turn) turns.push_back(Turn{roles[1], {}});
  return PromptBuilder(*this, system, turns).build();
}

}  // namespace fastchat::conversation
