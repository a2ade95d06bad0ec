#include "vote_log_test_data.h"

namespace fastchat::rating::testing {

using nlohmann::json;

json conv_state(const std::string& model, const std::string& conv_id,
                const std::vector<json>& texts, int few_shot) {
  json messages = json::array();
  for (int i = 0; i < few_shot; ++i) {
    messages.push_back({i % 2 == 0 ? "USER" : "ASSISTANT", "example " + std::to_string(i)});
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    messages.push_back({i % 2 == 0 ? "USER" : "ASSISTANT", texts[i]});
  }
  return {{"template_name", "vicuna_v1.1"},
          {"system_message", "A chat between a curious user and an artificial intelligence."},
          {"roles", {"USER", "ASSISTANT"}},
          {"messages", messages},
          {"offset", few_shot},
          {"conv_id", conv_id},
          {"model_name", model}};
}

json vote_record(const std::string& type, const json& state_a, const json& state_b, bool hidden,
                 const std::string& ip, double tstamp) {
  const json models = hidden ? json{"", ""} : json{state_a["model_name"], state_b["model_name"]};
  return {{"tstamp", tstamp},
          {"type", type},
          {"models", models},
          {"states", {state_a, state_b}},
          {"ip", ip}};
}

json simple_vote(const std::string& type, const std::string& model_a, const std::string& model_b,
                 const std::string& id, double tstamp) {
  return vote_record(type, conv_state(model_a, id + "-a", {"hi", "hello from a"}),
                     conv_state(model_b, id + "-b", {"hi", "hello from b"}), true, "10.0.0.1",
                     tstamp);
}

std::string to_lines(const std::vector<json>& records) {
  std::string out;
  for (const auto& record : records) out += record.dump() + "\n";
  return out;
}

}  // namespace fastchat::rating::testing
