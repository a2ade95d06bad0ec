#include "model/loader/model_config.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "common/json/json_file.h"

namespace fastchat::loader {
namespace {

using nlohmann::json;

constexpr const char* kConfigFile = "config.json";
constexpr const char* kGenerationFile = "generation_config.json";

[[noreturn]] void fail(const std::string& file, const std::string& field, const std::string& what) {
  throw_error(ErrorCode::InvalidModel, file + ": " + field + " " + what, field);
}

json read_json(const std::filesystem::path& path, const std::string& file) {
  json doc = read_json_file(path);
  if (!doc.is_object()) {
    throw_error(ErrorCode::InvalidModel, file + ": not a JSON object (" + path.string() + ")",
                file);
  }
  return doc;
}

/// The field when present and not null; HF writes null for "use the default".
const json* field(const json& doc, const char* name) {
  auto it = doc.find(name);
  if (it == doc.end() || it->is_null()) return nullptr;
  return &*it;
}

int64_t as_int(const json& value, const std::string& file, const std::string& name) {
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() &&
        value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      fail(file, name, "is out of range");
    }
    return value.get<int64_t>();
  }
  // Some exporters write integral values as floats (e.g. 4096.0); accept those exactly.
  if (value.is_number_float()) {
    double d = value.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) {
      return static_cast<int64_t>(d);
    }
  }
  fail(file, name, "must be an integer");
}

double as_double(const json& value, const std::string& file, const std::string& name) {
  if (!value.is_number()) fail(file, name, "must be a number");
  return value.get<double>();
}

bool as_bool(const json& value, const std::string& file, const std::string& name) {
  if (!value.is_boolean()) fail(file, name, "must be true or false");
  return value.get<bool>();
}

int64_t positive(const json& value, const char* name) {
  int64_t n = as_int(value, kConfigFile, name);
  if (n <= 0) fail(kConfigFile, name, "must be positive, got " + std::to_string(n));
  return n;
}

int64_t required_positive(const json& doc, const char* name) {
  const json* value = field(doc, name);
  if (!value) fail(kConfigFile, name, "is missing");
  return positive(*value, name);
}

int64_t optional_positive(const json& doc, const char* name, int64_t fallback) {
  const json* value = field(doc, name);
  return value ? positive(*value, name) : fallback;
}

double optional_positive_double(const json& doc, const char* name, double fallback) {
  const json* value = field(doc, name);
  if (!value) return fallback;
  double d = as_double(*value, kConfigFile, name);
  if (!(d > 0.0) || !std::isfinite(d)) fail(kConfigFile, name, "must be a positive number");
  return d;
}

int32_t as_token_id(const json& value, const std::string& file, const std::string& name) {
  int64_t id = as_int(value, file, name);
  if (id < 0 || id > std::numeric_limits<int32_t>::max()) {
    fail(file, name, "must be a non-negative token id, got " + std::to_string(id));
  }
  return static_cast<int32_t>(id);
}

/// eos_token_id is a number or a list of numbers; appends new ids in order.
void append_eos(const json& doc, const std::string& file, std::vector<int32_t>& out) {
  const json* value = field(doc, "eos_token_id");
  if (!value) return;
  auto add = [&](const json& id) {
    int32_t token = as_token_id(id, file, "eos_token_id");
    if (std::find(out.begin(), out.end(), token) == out.end()) out.push_back(token);
  };
  if (value->is_array()) {
    for (const auto& id : *value) add(id);
  } else {
    add(*value);
  }
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

void parse_architecture(const json& doc, ModelConfig& config) {
  const json* archs = field(doc, "architectures");
  if (!archs || !archs->is_array() || archs->empty() || !(*archs)[0].is_string()) {
    fail(kConfigFile, "architectures",
         "must be a non-empty list of names (supported: " + join(supported_architectures()) + ")");
  }
  config.architecture = (*archs)[0].get<std::string>();
  const auto& supported = supported_architectures();
  if (std::find(supported.begin(), supported.end(), config.architecture) == supported.end()) {
    fail(kConfigFile, "architectures",
         "names unsupported architecture " + config.architecture +
             " (supported: " + join(supported) + ")");
  }
  if (const json* type = field(doc, "model_type")) {
    if (!type->is_string()) fail(kConfigFile, "model_type", "must be a string");
    config.model_type = type->get<std::string>();
  }
}

std::optional<RopeScaling> parse_rope_scaling(const json& doc) {
  const json* value = field(doc, "rope_scaling");
  if (!value) return std::nullopt;
  if (!value->is_object()) fail(kConfigFile, "rope_scaling", "must be an object or null");
  // transformers >= 4.45 writes "rope_type"; older configs "type".
  const json* type = field(*value, "rope_type");
  if (!type) type = field(*value, "type");
  if (!type || !type->is_string()) fail(kConfigFile, "rope_scaling.type", "is missing");
  std::string name = type->get<std::string>();
  if (name == "default") return std::nullopt;
  if (name != "llama3") {
    fail(kConfigFile, "rope_scaling.type",
         "'" + name + "' is not supported (supported: none, default, llama3)");
  }
  RopeScaling rope;
  rope.type = name;
  auto positive = [&](const char* key, double fallback) {
    const std::string path = std::string("rope_scaling.") + key;
    const json* v = field(*value, key);
    if (!v) return fallback;
    double d = as_double(*v, kConfigFile, path);
    if (!(d > 0.0) || !std::isfinite(d)) fail(kConfigFile, path, "must be a positive number");
    return d;
  };
  rope.factor = positive("factor", rope.factor);
  rope.low_freq_factor = positive("low_freq_factor", rope.low_freq_factor);
  rope.high_freq_factor = positive("high_freq_factor", rope.high_freq_factor);
  if (const json* v = field(*value, "original_max_position_embeddings")) {
    rope.original_max_position_embeddings =
        as_int(*v, kConfigFile, "rope_scaling.original_max_position_embeddings");
    if (rope.original_max_position_embeddings <= 0) {
      fail(kConfigFile, "rope_scaling.original_max_position_embeddings", "must be positive");
    }
  }
  // The llama3 smoothing divides by (high - low): equal factors would be a division by zero.
  if (rope.high_freq_factor <= rope.low_freq_factor) {
    fail(kConfigFile, "rope_scaling.high_freq_factor", "must be greater than low_freq_factor");
  }
  return rope;
}

std::string parse_dtype(const json& doc) {
  // transformers >= 4.56 writes "dtype" instead of "torch_dtype".
  const char* key = "torch_dtype";
  const json* value = field(doc, key);
  if (!value) {
    key = "dtype";
    value = field(doc, key);
  }
  if (!value) return "float32";
  if (!value->is_string()) fail(kConfigFile, key, "must be a string");
  std::string dtype = value->get<std::string>();
  if (dtype != "float32" && dtype != "bfloat16" && dtype != "float16") {
    fail(kConfigFile, key, "'" + dtype + "' is not supported (float32, bfloat16, float16)");
  }
  return dtype;
}

void parse_sizes(const json& doc, ModelConfig& config) {
  const bool qwen2 = config.architecture == "Qwen2ForCausalLM";
  const bool mistral = config.architecture == "MistralForCausalLM";
  config.hidden_size = required_positive(doc, "hidden_size");
  config.intermediate_size = required_positive(doc, "intermediate_size");
  config.num_hidden_layers = required_positive(doc, "num_hidden_layers");
  config.num_attention_heads = required_positive(doc, "num_attention_heads");
  config.vocab_size = required_positive(doc, "vocab_size");
  config.num_key_value_heads =
      optional_positive(doc, "num_key_value_heads", config.num_attention_heads);
  if (config.num_attention_heads % config.num_key_value_heads != 0) {
    fail(kConfigFile, "num_key_value_heads",
         "(" + std::to_string(config.num_key_value_heads) + ") must divide num_attention_heads (" +
             std::to_string(config.num_attention_heads) + ")");
  }
  if (field(doc, "head_dim")) {
    config.head_dim = optional_positive(doc, "head_dim", 0);
  } else if (config.hidden_size % config.num_attention_heads != 0) {
    fail(kConfigFile, "head_dim",
         "is missing and hidden_size is not divisible by num_attention_heads");
  } else {
    config.head_dim = config.hidden_size / config.num_attention_heads;
  }
  // Defaults of the HF config classes for configs that omit the field.
  const int64_t default_positions = qwen2 ? 32768 : mistral ? 4096 * 32 : 2048;
  config.max_position_embeddings =
      optional_positive(doc, "max_position_embeddings", default_positions);
  config.rms_norm_eps = optional_positive_double(doc, "rms_norm_eps", 1e-6);
  config.rope_theta = optional_positive_double(doc, "rope_theta", 10000.0);
}

bool optional_bool(const json& doc, const char* name) {
  const json* value = field(doc, name);
  return value && as_bool(*value, kConfigFile, name);
}

// The fields that differ between the three architectures, as each transformers class reads
// them. A field one class does not read (Mistral's attention_bias, Llama's sliding_window) is
// ignored, as transformers ignores it.
void parse_architecture_features(const json& doc, ModelConfig& config) {
  if (config.architecture == "LlamaForCausalLM") {
    config.qkv_bias = config.o_bias = optional_bool(doc, "attention_bias");
    config.mlp_bias = optional_bool(doc, "mlp_bias");
  } else if (config.architecture == "Qwen2ForCausalLM") {
    config.qkv_bias = true;  // Qwen2's q/k/v always have one; its config has no field for it
    if (optional_bool(doc, "use_sliding_window")) {
      fail(kConfigFile, "use_sliding_window",
           "true is not supported (Qwen2's sliding window on the layers past max_window_layers)");
    }
  } else if (config.architecture == "MistralForCausalLM") {
    if (field(doc, "sliding_window"))
      config.sliding_window = optional_positive(doc, "sliding_window", 0);
  }
}

// Fields that would change the computation in ways the model code does not implement.
void refuse_unsupported(const json& doc) {
  if (const json* act = field(doc, "hidden_act")) {
    if (!act->is_string() || act->get<std::string>() != "silu") {
      fail(kConfigFile, "hidden_act", act->dump() + " is not supported (supported: \"silu\")");
    }
  }
  if (const json* quantization = field(doc, "quantization_config")) {
    const json* method = quantization->is_object() ? field(*quantization, "quant_method") : nullptr;
    fail(kConfigFile, "quantization_config",
         "names a quantized checkpoint" + (method ? " (" + method->dump() + ")" : std::string()) +
             ", which is not supported: use a float32, float16 or bfloat16 folder");
  }
}

}  // namespace

const std::vector<std::string>& supported_architectures() {
  static const std::vector<std::string> names = {"LlamaForCausalLM", "MistralForCausalLM",
                                                 "Qwen2ForCausalLM"};
  return names;
}

ModelConfig load_model_config(const std::filesystem::path& folder) {
  const auto config_path = folder / kConfigFile;
  if (!std::filesystem::is_regular_file(config_path)) {
    throw_error(ErrorCode::InvalidModel,
                std::string(kConfigFile) + ": not found in " + folder.string(), kConfigFile);
  }
  const json doc = read_json(config_path, kConfigFile);

  ModelConfig config;
  parse_architecture(doc, config);
  parse_sizes(doc, config);
  config.rope_scaling = parse_rope_scaling(doc);
  config.torch_dtype = parse_dtype(doc);
  if (const json* tie = field(doc, "tie_word_embeddings")) {
    config.tie_word_embeddings = as_bool(*tie, kConfigFile, "tie_word_embeddings");
  }
  parse_architecture_features(doc, config);
  refuse_unsupported(doc);
  if (const json* bos = field(doc, "bos_token_id")) {
    config.bos_token_id = as_token_id(*bos, kConfigFile, "bos_token_id");
  }

  // generation_config.json is what HF generate() stops on, so its ids come first.
  const auto generation_path = folder / kGenerationFile;
  if (std::filesystem::exists(generation_path)) {
    const json generation = read_json(generation_path, kGenerationFile);
    append_eos(generation, kGenerationFile, config.eos_token_ids);
    if (!config.bos_token_id) {
      if (const json* bos = field(generation, "bos_token_id")) {
        config.bos_token_id = as_token_id(*bos, kGenerationFile, "bos_token_id");
      }
    }
  }
  append_eos(doc, kConfigFile, config.eos_token_ids);
  return config;
}

}  // namespace fastchat::loader
