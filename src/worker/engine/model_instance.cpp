#include "worker/engine/model_instance.h"

#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include "model/loader/dtype_choice.h"
#include "model/loader/model_config.h"
#include "model/model_registry.h"
#include "text/conversation/template_matching.h"
#include "text/conversation/template_registry.h"
#include "worker/engine/text_stream.h"

namespace fastchat::engine {

ModelInstance::ModelInstance(const LaunchOptions& options) {
  const auto device = loader::parse_device(options.device);
  const auto config = loader::load_model_config(options.model_path);
  const auto dtype = loader::resolve_dtype(options.dtype, config, device);
  tokenizer_ = tokenizer::load_tokenizer(options.model_path);
  const std::string template_name =
      options.conv_template.empty() ? conversation::match_template_name(options.model_path.string())
                                    : options.conv_template;
  template_ = &conversation::TemplateRegistry::builtin().get(template_name);
  if (options.conv_template.empty())
    chat_template_ = conversation::ChatTemplate::load(options.model_path);
  if (chat_template_) find_chat_stops();
  if (auto bos = tokenizer_->bos_id())
    bos_text_ = tokenizer_->decode(std::vector<int32_t>{*bos}, false);

  spdlog::info("loading {} ({}, {} layers) on {} as {}, prompt format {}",
               options.model_path.string(), config.architecture, config.num_hidden_layers,
               device.str(), c10::toString(dtype), prompt_format().dump());
  auto model = model::load_causal_lm(options.model_path, dtype, device);
  engine_ = std::make_unique<Engine>(std::move(model), options.engine);
}

// A chat stops where the template ends an answer: the first token it writes after one, when
// that is a special token (<|im_end|>, <|eot_id|>, <end_of_turn>, </s>, ...), and the template's
// EOS token (as a token id when it is one token, else as text).
void ModelInstance::find_chat_stops() {
  const auto after = tokenizer_->encode(chat_template_->after_assistant(), false);
  if (!after.empty() && tokenizer_->is_special(after.front())) {
    chat_stop_ids_.push_back(after.front());
    end_of_turn_ = tokenizer_->decode(std::vector<int32_t>{after.front()}, false);
  }
  const std::string& eos = chat_template_->eos_token();
  if (eos.empty()) return;
  const auto ids = tokenizer_->encode(eos, /*add_special_tokens=*/false);
  if (ids.size() != 1) {
    chat_stop_text_.push_back(eos);
  } else if (std::find(chat_stop_ids_.begin(), chat_stop_ids_.end(), ids[0]) ==
             chat_stop_ids_.end()) {
    chat_stop_ids_.push_back(ids[0]);
  }
}

nlohmann::json ModelInstance::prompt_format() const {
  if (chat_template_) {
    return {{"type", "chat_template"},
            {"origin", chat_template_->origin()},
            {"end_of_turn", end_of_turn_},
            {"stop_token_ids", chat_stop_ids_},
            {"stop", chat_stop_text_}};
  }
  return {{"type", "fastchat"}, {"name", template_->name}};
}

std::string ModelInstance::render_chat(std::span<const protocol::ChatMessage> messages) const {
  return chat_template_ ? chat_template_->render(messages) : template_->render(messages);
}

std::vector<int32_t> ModelInstance::encode_chat(const std::string& rendered) const {
  if (chat_template_) return tokenizer_->encode(rendered, /*add_special_tokens=*/false);
  return encode_prompt(rendered);
}

std::vector<int32_t> ModelInstance::encode_prompt(const std::string& prompt) const {
  const bool has_bos_text = !bos_text_.empty() && prompt.starts_with(bos_text_);
  return tokenizer_->encode(prompt, /*add_special_tokens=*/!has_bos_text);
}

void ModelInstance::add_template_stops(protocol::SamplingParams& params) const {
  const auto& texts = chat_template_ ? chat_stop_text_ : template_->stop_str;
  const auto& ids = chat_template_ ? chat_stop_ids_ : template_->stop_token_ids;
  for (const auto& stop : texts) {
    if (std::find(params.stop.begin(), params.stop.end(), stop) == params.stop.end()) {
      params.stop.push_back(stop);
    }
  }
  for (int32_t id : ids) {
    if (id < engine_->model_config().vocab_size &&
        std::find(params.stop_token_ids.begin(), params.stop_token_ids.end(), id) ==
            params.stop_token_ids.end()) {
      params.stop_token_ids.push_back(id);
    }
  }
}

std::unique_ptr<TextStream> ModelInstance::generate(const std::vector<int32_t>& prompt_ids,
                                                    protocol::SamplingParams params) {
  add_template_stops(params);
  auto stop = params.stop;
  auto stream = engine_->submit({prompt_ids, std::move(params)});
  return std::make_unique<TextStream>(*engine_, std::move(stream), *tokenizer_, prompt_ids,
                                      std::move(stop));
}

}  // namespace fastchat::engine
