#include "worker/engine/model_instance.h"

#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include "text/conversation/template_matching.h"
#include "text/conversation/template_registry.h"
#include "worker/engine/text_stream.h"
#include "model/loader/dtype_choice.h"
#include "model/loader/model_config.h"
#include "model/model_registry.h"

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
  if (auto bos = tokenizer_->bos_id()) bos_text_ = tokenizer_->decode(std::vector<int32_t>{*bos}, false);

  spdlog::info("loading {} ({}, {} layers) on {} as {}, template {}", options.model_path.string(),
               config.architecture, config.num_hidden_layers, device.str(),
               c10::toString(dtype), template_name);
  auto model = model::load_causal_lm(options.model_path, dtype, device);
  engine_ = std::make_unique<Engine>(std::move(model), options.engine);
}

std::vector<int32_t> ModelInstance::encode_prompt(const std::string& prompt) const {
  const bool has_bos_text = !bos_text_.empty() && prompt.starts_with(bos_text_);
  return tokenizer_->encode(prompt, /*add_special_tokens=*/!has_bos_text);
}

std::unique_ptr<TextStream> ModelInstance::generate(const std::vector<int32_t>& prompt_ids,
                                                    protocol::SamplingParams params) {
  for (const auto& stop : template_->stop_str) {
    if (std::find(params.stop.begin(), params.stop.end(), stop) == params.stop.end()) {
      params.stop.push_back(stop);
    }
  }
  for (int32_t id : template_->stop_token_ids) {
    if (id < engine_->model_config().vocab_size &&
        std::find(params.stop_token_ids.begin(), params.stop_token_ids.end(), id) ==
            params.stop_token_ids.end()) {
      params.stop_token_ids.push_back(id);
    }
  }
  auto stop = params.stop;
  auto stream = engine_->submit({prompt_ids, std::move(params)});
  return std::make_unique<TextStream>(*engine_, std::move(stream), *tokenizer_, prompt_ids,
                                      std::move(stop));
}

}  // namespace fastchat::engine
