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
  choose_reply_formats(options);
  embedding_pooling_ = options.embedding_pooling;
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

// The reply formats follow the template (a template that renders <tool_call> expects the model
// to answer with them), unless a flag names one. FastChat's templates have neither.
void ModelInstance::choose_reply_formats(const LaunchOptions& options) {
  const auto tool_calls = reply::parse_tool_call_format(options.tool_call_parser);
  const auto reasoning = reply::parse_reasoning_format(options.reasoning_parser);
  if (!chat_template_) {
    if ((tool_calls && *tool_calls != reply::ToolCallFormat::None) ||
        (reasoning && *reasoning != reply::ReasoningFormat::None)) {
      throw_error(ErrorCode::InvalidConfig,
                  "--tool-call-parser and --reasoning-parser need a model folder with its own "
                  "chat template (this worker uses FastChat's template '" +
                      template_->name + "')",
                  tool_calls ? "tool-call-parser" : "reasoning-parser");
    }
    return;
  }
  const std::string& source = chat_template_->source().source();
  tool_call_format_ = tool_calls.value_or(reply::detect_tool_call_format(source));
  reasoning_format_ = reasoning.value_or(reply::detect_reasoning_format(source));
}

nlohmann::json ModelInstance::prompt_format() const {
  if (chat_template_) {
    return {{"type", "chat_template"},
            {"origin", chat_template_->origin()},
            {"end_of_turn", end_of_turn_},
            {"stop_token_ids", chat_stop_ids_},
            {"stop", chat_stop_text_},
            {"tool_call_format", reply::to_string(tool_call_format_)},
            {"reasoning_format", reply::to_string(reasoning_format_)}};
  }
  return {{"type", "fastchat"}, {"name", template_->name}};
}

std::string ModelInstance::render_chat(std::span<const protocol::ChatMessage> messages) const {
  return chat_template_ ? chat_template_->render(messages) : template_->render(messages);
}

void ModelInstance::check_fastchat_renderable(const protocol::GenerateRequest& request) const {
  const std::string why =
      " needs a model with its own chat template; this worker renders chats "
      "with FastChat's template '" +
      template_->name + "'";
  if (!request.tools.is_null()) throw_error(ErrorCode::InvalidRequest, "'tools'" + why, "tools");
  if (!request.chat_template_kwargs.empty()) {
    throw_error(ErrorCode::InvalidRequest, "'chat_template_kwargs'" + why, "chat_template_kwargs");
  }
  const auto& messages = *request.messages;
  for (size_t i = 0; i < messages.size(); ++i) {
    if (messages[i].is_plain()) continue;
    const std::string path = "messages[" + std::to_string(i) + "]" +
                             (messages[i].role == "tool" ? ".role" : ".tool_calls");
    throw_error(ErrorCode::InvalidRequest, "'" + path + "': a tool call conversation" + why, path);
  }
}

ChatPrompt ModelInstance::render_chat(const protocol::GenerateRequest& request) const {
  ChatPrompt prompt;
  if (!chat_template_) {
    check_fastchat_renderable(request);
    prompt.text = template_->render(*request.messages);
    return prompt;
  }
  const bool with_tools = !request.tools.is_null();
  if (with_tools && tool_call_format_ == reply::ToolCallFormat::None) {
    throw_error(ErrorCode::InvalidRequest,
                "'tools' cannot be used with this model: no tool-call format is known for its "
                "chat template (the worker can be started with --tool-call-parser hermes, "
                "llama3_json, mistral or deepseek_v3)",
                "tools");
  }
  nlohmann::ordered_json messages = nlohmann::ordered_json::array();
  for (const auto& message : *request.messages) messages.push_back(protocol::to_json(message));
  conversation::ChatTemplateInputs inputs;
  inputs.tools = request.tools;
  inputs.variables = request.chat_template_kwargs;
  prompt.text = chat_template_->render(messages, inputs);
  reply::ReplyOptions options;
  options.tool_calls = with_tools ? tool_call_format_ : reply::ToolCallFormat::None;
  options.reasoning = reasoning_format_;
  options.starts_in_reasoning = reasoning_format_ != reply::ReasoningFormat::None &&
                                reply::prompt_opens_thinking(prompt.text);
  options.parallel_tool_calls = request.parallel_tool_calls;
  if (options.tool_calls != reply::ToolCallFormat::None ||
      options.reasoning != reply::ReasoningFormat::None) {
    prompt.reply = options;
  }
  // Their markers may be special tokens, which decoding would otherwise drop.
  prompt.keep_special_tokens = options.tool_calls == reply::ToolCallFormat::Mistral ||
                               options.tool_calls == reply::ToolCallFormat::DeepSeekV3;
  return prompt;
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

std::vector<Embedding> ModelInstance::embed(const std::vector<protocol::EmbeddingInput>& inputs) {
  // Every input is encoded and checked first, so that a bad one fails the request before any
  // is computed.
  std::vector<GenerationRequest> requests(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (const auto* text = std::get_if<std::string>(&inputs[i])) {
      requests[i].prompt_ids = encode_prompt(*text);
    } else {
      requests[i].prompt_ids = std::get<std::vector<int32_t>>(inputs[i]);
    }
    requests[i].params.max_tokens = 1;
    requests[i].embedding = embedding_pooling_;
  }
  std::vector<Embedding> out(inputs.size());
  // In waves: one request may carry 2,048 inputs, more than the engine's queue takes at once.
  constexpr size_t kWave = 128;
  for (size_t begin = 0; begin < requests.size(); begin += kWave) {
    const size_t end = std::min(requests.size(), begin + kWave);
    embed_wave(requests, begin, end, out);
  }
  return out;
}

void ModelInstance::embed_wave(std::vector<GenerationRequest>& requests, size_t begin, size_t end,
                               std::vector<Embedding>& out) {
  std::vector<std::shared_ptr<RequestStream>> streams;
  try {
    for (size_t i = begin; i < end; ++i) {
      out[i].num_tokens = static_cast<int32_t>(requests[i].prompt_ids.size());
      streams.push_back(engine_->submit(std::move(requests[i])));
    }
  } catch (const ErrorException& e) {
    for (const auto& stream : streams) engine_->abort(stream->id());
    const std::string path =
        requests.size() == 1 ? "input" : "input[" + std::to_string(begin + streams.size()) + "]";
    throw_error(e.error().code, (requests.size() == 1 ? "" : path + ": ") + e.error().message,
                path);
  }
  for (size_t k = 0; k < streams.size(); ++k) {
    StreamUpdate update = streams[k]->next();
    while (!update.finish) update = streams[k]->next();
    if (*update.finish != FinishReason::Stop || update.embedding.empty()) {
      for (size_t j = k + 1; j < streams.size(); ++j) engine_->abort(streams[j]->id());
      const ErrorCode code =
          *update.finish == FinishReason::Timeout ? ErrorCode::Overloaded : ErrorCode::Internal;
      throw_error(code, std::string("embedding failed (") + to_string(*update.finish) + ")" +
                            (update.error.empty() ? "" : ": " + update.error));
    }
    out[begin + k].vector = std::move(update.embedding);
  }
}

std::unique_ptr<TextStream> ModelInstance::generate(const std::vector<int32_t>& prompt_ids,
                                                    protocol::SamplingParams params,
                                                    bool keep_special_tokens) {
  add_template_stops(params);
  auto stop = params.stop;
  auto stream = engine_->submit({prompt_ids, std::move(params)});
  return std::make_unique<TextStream>(*engine_, std::move(stream), *tokenizer_, prompt_ids,
                                      std::move(stop), keep_special_tokens);
}

}  // namespace fastchat::engine
