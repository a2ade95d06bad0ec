#include "worker/engine/launch_flags.h"

#include <map>
#include <string>

namespace fastchat::engine {

void add_launch_flags(CLI::App& app, engine::LaunchOptions& options) {
  app.add_option("--model-path", options.model_path, "Hugging Face model folder")
      ->check(CLI::ExistingDirectory);
  app.add_option("--device", options.device, "cpu, cuda or cuda:N")->capture_default_str();
  app.add_option("--dtype", options.dtype, "auto, float32, bfloat16 or float16")
      ->check(CLI::IsMember({"auto", "float32", "bfloat16", "float16"}))
      ->capture_default_str();
  app.add_option("--conv-template", options.conv_template,
                 "Conversation template (default: matched from the model path)");
  app.add_option("--tool-call-parser", options.tool_call_parser,
                 "How replies carry tool calls: auto (from the model's chat template), none, "
                 "hermes, llama3_json, mistral or deepseek_v3")
      ->check(CLI::IsMember({"auto", "none", "hermes", "llama3_json", "mistral", "deepseek_v3"}))
      ->capture_default_str();
  app.add_option("--reasoning-parser", options.reasoning_parser,
                 "How replies carry reasoning: auto (from the model's chat template), none, or "
                 "think (<think>...</think>)")
      ->check(CLI::IsMember({"auto", "none", "think"}))
      ->capture_default_str();
  const std::map<std::string, Pooling> poolings = {
      {"mean", Pooling::Mean}, {"cls", Pooling::First}, {"last", Pooling::Last}};
  app.add_option("--embedding-pooling", options.embedding_pooling,
                 "How /worker_get_embeddings pools the final hidden states: mean (FastChat's), "
                 "cls (the first token) or last")
      ->transform(CLI::CheckedTransformer(poolings, CLI::ignore_case))
      ->default_str("mean");
  app.add_option("--kv-cache-memory", options.engine.kv_cache_memory,
                 "KV cache size in bytes (default: automatic)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--block-size", options.engine.block_size, "Tokens per KV block")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--max-num-seqs", options.engine.scheduler.max_num_seqs, "Most sequences per step")
      ->check(CLI::Range(1, 65536))
      ->capture_default_str();
  app.add_option("--max-num-batched-tokens", options.engine.scheduler.max_num_batched_tokens,
                 "Most tokens per forward pass")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  app.add_option("--threads", options.engine.num_threads, "CPU threads for torch (0 = all cores)")
      ->check(CLI::Range(0, 1024));
  app.add_option("--max-queue-len", options.engine.max_queue_len,
                 "Requests waiting to start beyond which new ones are refused (0 = no limit)")
      ->check(CLI::Range(0, 1 << 24))
      ->capture_default_str();
  app.add_option("--max-queue-time", options.engine.max_queue_time_s,
                 "Seconds a request may wait to start before it fails (0 = no limit)")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
}

}  // namespace fastchat::engine
