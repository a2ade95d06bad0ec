// fastchat-bench: benchmarks. `engine` measures the inference engine offline: prefill and
// decode tokens/s per batch size, peak memory, and the machine's raw matmul rate in the same
// run so the model's achieved FLOP rate reads as a fraction of what the machine can do.
// `serve` drives a running OpenAI-compatible server (or a worker's native stream) with
// concurrent streamed requests. `synthesize` writes a random-weight model folder, servable by
// fastchat-worker when given a real model's tokenizer.

#include <spdlog/spdlog.h>
#include <torch/torch.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "common/error/error.h"
#include "model/kv_cache_shape.h"
#include "model/loader/dtype_choice.h"
#include "model/loader/model_config.h"
#include "model/model_registry.h"
#include "tools/bench/engine_benchmark.h"
#include "tools/bench/serve_benchmark.h"
#include "tools/bench/serve_prompts.h"
#include "tools/bench/serve_report.h"
#include "tools/bench/tokenizer_benchmark.h"
#include "tools/model_writer/synthetic_model.h"
#include "worker/engine/launch_flags.h"
#include "worker/engine/model_runner.h"
#include "worker/engine/openmp_wait_policy.h"

namespace {

using fastchat::bench::EngineBenchOptions;

int run_engine(fastchat::engine::LaunchOptions launch, const std::string& synthetic,
               const std::vector<int32_t>& batches, const EngineBenchOptions& options, int repeat) {
  std::filesystem::path synthetic_dir;
  if (!synthetic.empty()) {
    synthetic_dir = std::filesystem::temp_directory_path() /
                    ("fastchat-bench-synthetic-" + synthetic + "-" + std::to_string(getpid()));
    // Written by a child process, so that generating the random weights does not count in
    // this process's peak memory, which then measures loading alone.
    const auto shape = fastchat::model_writer::synthetic_shape(synthetic);
    const pid_t child = fork();
    if (child == 0) {
      try {
        fastchat::model_writer::write_synthetic_model(shape, synthetic_dir);
        _exit(0);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "error: writing the synthetic model: %s\n", e.what());
        _exit(1);
      }
    }
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
      std::cerr << "error: could not write the synthetic model to " << synthetic_dir << "\n";
      return 1;
    }
    launch.model_path = synthetic_dir;
  } else if (launch.model_path.empty()) {
    std::cerr << "give --model-path or --synthetic\n";
    return 2;
  }
  const int32_t max_batch = *std::max_element(batches.begin(), batches.end());
  // Whole batches prefill in one step, so the decode window holds only full-batch steps.
  launch.engine.scheduler.max_num_batched_tokens =
      std::max(launch.engine.scheduler.max_num_batched_tokens, max_batch * options.prompt_len);
  launch.engine.scheduler.max_num_seqs = std::max(launch.engine.scheduler.max_num_seqs, max_batch);
  const int32_t threads = launch.engine.num_threads > 0
                              ? launch.engine.num_threads
                              : static_cast<int32_t>(std::thread::hardware_concurrency());
  torch::set_num_threads(threads);
  const double matmul_gflops = fastchat::bench::measure_matmul_gflops();

  auto config_only = fastchat::loader::load_model_config(launch.model_path);
  // The engine alone: prompts are random ids, so no tokenizer or template is involved.
  const auto device = fastchat::loader::parse_device(launch.device);
  const auto dtype = fastchat::loader::resolve_dtype(launch.dtype, config_only, device);
  const double base_rss = fastchat::bench::peak_rss_mib();
  auto loaded = fastchat::model::load_causal_lm(launch.model_path, dtype, device);
  const double load_rss = fastchat::bench::peak_rss_mib();
  if (launch.engine.kv_cache_memory == 0) {
    // Room for the largest batch at full length, with 25% slack.
    const int64_t tokens = int64_t{max_batch} * (options.prompt_len + options.output_len) * 5 / 4;
    const auto shape = fastchat::engine::kv_cache_shape(loaded->config(), launch.engine.block_size,
                                                        loaded->dtype());
    launch.engine.kv_cache_memory =
        fastchat::model::bytes_per_block(shape) * (tokens / launch.engine.block_size + 1);
  }
  const double weights_mib =
      static_cast<double>(std::filesystem::file_size(launch.model_path / "model.safetensors")) /
      (1 << 20);
  fastchat::engine::Engine engine(std::move(loaded), launch.engine);
  if (!synthetic_dir.empty()) std::filesystem::remove_all(synthetic_dir);
  const auto& config = engine.model_config();
  const double flops = fastchat::bench::decode_flops_per_token(
      config, options.prompt_len + options.output_len / 2.0);

  std::printf("model: %s  threads: %d  prompt %d, output %d tokens, median of %d runs\n",
              synthetic.empty() ? launch.model_path.c_str() : ("synthetic " + synthetic).c_str(),
              threads, options.prompt_len, options.output_len, repeat);
  std::printf("raw matmul (1024^3 fp32 via libtorch): %.1f GFLOP/s\n", matmul_gflops);
  std::printf(
      "peak RSS: %.0f MiB before loading, %.0f MiB after loading %.0f MiB of weights; "
      "KV cache %.0f MiB\n",
      base_rss, load_rss, weights_mib, static_cast<double>(engine.kv_cache_bytes()) / (1 << 20));
  std::printf(
      "| batch | prefill tok/s | decode tok/s | decode step ms | model GFLOP/s | %% of raw |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|\n");
  nlohmann::json rows = nlohmann::json::array();
  for (int32_t batch : batches) {
    // One untimed warm-up run per batch size: first-touch of KV blocks and BLAS buffers.
    fastchat::bench::run_engine_benchmark(engine, batch, {16, 4, options.seed + 99});
    // The median of several runs: on a shared machine single runs scatter by ±30%.
    std::vector<fastchat::bench::EngineBenchResult> runs;
    for (int i = 0; i < repeat; ++i) {
      runs.push_back(fastchat::bench::run_engine_benchmark(engine, batch, options));
    }
    auto median_of = [&](auto field) {
      std::vector<double> values;
      for (const auto& run : runs) values.push_back(run.*field);
      std::sort(values.begin(), values.end());
      return values[values.size() / 2];
    };
    fastchat::bench::EngineBenchResult r;
    r.batch = batch;
    r.prefill_tokens_per_s = median_of(&fastchat::bench::EngineBenchResult::prefill_tokens_per_s);
    r.decode_tokens_per_s = median_of(&fastchat::bench::EngineBenchResult::decode_tokens_per_s);
    r.decode_step_ms = median_of(&fastchat::bench::EngineBenchResult::decode_step_ms);
    const double gflops = r.decode_tokens_per_s * flops / 1e9;
    std::printf("| %d | %.0f | %.0f | %.2f | %.1f | %.0f%% |\n", batch, r.prefill_tokens_per_s,
                r.decode_tokens_per_s, r.decode_step_ms, gflops, 100.0 * gflops / matmul_gflops);
    std::fflush(stdout);
    rows.push_back({{"batch", batch},
                    {"prefill_tokens_per_s", r.prefill_tokens_per_s},
                    {"decode_tokens_per_s", r.decode_tokens_per_s},
                    {"decode_step_ms", r.decode_step_ms},
                    {"model_gflops", gflops},
                    {"fraction_of_matmul", gflops / matmul_gflops}});
  }
  const double peak = fastchat::bench::peak_rss_mib();
  std::printf("peak RSS: %.0f MiB\n", peak);
  nlohmann::json summary = {
      {"benchmark", "engine"},
      {"model", synthetic.empty() ? launch.model_path.string() : "synthetic-" + synthetic},
      {"threads", threads},
      {"prompt_len", options.prompt_len},
      {"output_len", options.output_len},
      {"repeat", repeat},
      {"matmul_gflops", matmul_gflops},
      {"peak_rss_mib", peak},
      {"rss_before_load_mib", base_rss},
      {"rss_after_load_mib", load_rss},
      {"weights_mib", weights_mib},
      {"rows", rows}};
  std::cout << summary.dump() << std::endl;
  return 0;
}

int run_tokenizer(const std::string& path, const std::string& text_file, size_t bytes) {
  auto start = std::chrono::steady_clock::now();
  auto tokenizer = fastchat::tokenizer::load_tokenizer(path);
  const double load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::string text;
  if (!text_file.empty()) {
    std::ifstream in(text_file, std::ios::binary);
    if (!in) {
      std::cerr << "error: --text-file: cannot read " << text_file << "\n";
      return 1;
    }
    text.assign(std::istreambuf_iterator<char>(in), {});
  } else {
    text = fastchat::bench::synthetic_text(bytes, 7);
  }
  auto r = fastchat::bench::run_tokenizer_benchmark(*tokenizer, text, 5);
  std::printf(
      "tokenizer %s: load %.0f ms; %lld bytes -> %lld tokens; encode %.1f ms first, "
      "%.1f ms best (%.1f MB/s); decode %.1f ms; round trip %s\n",
      path.c_str(), load_ms, static_cast<long long>(r.bytes), static_cast<long long>(r.tokens),
      r.first_encode_ms, r.encode_ms, r.bytes / r.encode_ms / 1e3, r.decode_ms,
      r.round_trip ? "exact" : "DIFFERS");
  nlohmann::json summary = {{"benchmark", "tokenizer"},  {"tokenizer", path},
                            {"load_ms", load_ms},        {"bytes", r.bytes},
                            {"tokens", r.tokens},        {"first_encode_ms", r.first_encode_ms},
                            {"encode_ms", r.encode_ms},  {"decode_ms", r.decode_ms},
                            {"round_trip", r.round_trip}};
  std::cout << summary.dump() << std::endl;
  return r.round_trip ? 0 : 1;
}

int run_synthesize(const std::string& shape_name, const std::filesystem::path& out,
                   const std::filesystem::path& tokenizer_from, const std::string& padding_rows) {
  const auto shape = fastchat::model_writer::synthetic_shape(shape_name);
  if (tokenizer_from.empty()) {
    fastchat::model_writer::write_synthetic_model(shape, out);
  } else {
    fastchat::model_writer::write_servable_synthetic_model(shape, out, tokenizer_from,
                                                           padding_rows == "zero");
  }
  std::printf(
      "wrote synthetic %s (%.1fM parameters, vocab %lld, context %lld) to %s%s\n",
      shape.name.c_str(), static_cast<double>(fastchat::model_writer::parameter_count(shape)) / 1e6,
      static_cast<long long>(shape.vocab_size),
      static_cast<long long>(shape.max_position_embeddings), out.c_str(),
      tokenizer_from.empty()
          ? " (no tokenizer: not servable)"
          : (" with the tokenizer of " + tokenizer_from.string() + ", padding rows " + padding_rows)
                .c_str());
  return 0;
}

int run_serve(fastchat::bench::ServeBenchOptions options, const std::string& endpoint,
              const std::string& dataset) {
  options.endpoint = endpoint == "completions" ? fastchat::bench::ServeEndpoint::Completions
                     : endpoint == "native"    ? fastchat::bench::ServeEndpoint::Native
                                               : fastchat::bench::ServeEndpoint::Chat;
  if (!dataset.empty()) options.prompts = fastchat::bench::load_prompt_dataset(dataset);
  const auto result = fastchat::bench::run_serve_benchmark(options);
  std::cout << fastchat::bench::serve_report(options, result);
  auto summary = fastchat::bench::serve_report_json(options, result);
  if (!dataset.empty()) summary["dataset"] = dataset;
  std::cout << summary.dump() << std::endl;
  return result.completed > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  fastchat::engine::prefer_passive_openmp_wait(argv);
  CLI::App app{"fastchat-bench: benchmarks for fastchat-cpp"};
  app.require_subcommand(1);
  auto* engine_cmd = app.add_subcommand("engine", "Offline engine throughput (prefill, decode)");
  fastchat::engine::LaunchOptions launch;
  std::string synthetic;
  std::vector<int32_t> batches{1, 8, 32, 64};
  EngineBenchOptions options;
  fastchat::engine::add_launch_flags(*engine_cmd, launch);
  engine_cmd->add_option("--synthetic", synthetic,
                         "Random-weight model shape instead of a folder: 110M");
  engine_cmd->add_option("--batches", batches, "Batch sizes")
      ->delimiter(',')
      ->check(CLI::Range(1, 4096));
  engine_cmd->add_option("--prompt-len", options.prompt_len, "Prompt tokens per request")
      ->check(CLI::Range(1, 1 << 20));
  engine_cmd->add_option("--output-len", options.output_len, "Generated tokens per request")
      ->check(CLI::Range(2, 1 << 20));
  int repeat = 3;
  engine_cmd->add_option("--repeat", repeat, "Runs per batch size (the median is reported)")
      ->check(CLI::Range(1, 100));
  auto* tokenizer_cmd = app.add_subcommand("tokenizer", "Tokenizer load, encode and decode speed");
  std::string tokenizer_path;
  std::string text_file;
  size_t text_bytes = 100 * 1024;
  tokenizer_cmd->add_option("--tokenizer-path", tokenizer_path, "Model or tokenizer folder")
      ->required()
      ->check(CLI::ExistingDirectory);
  tokenizer_cmd->add_option("--text-file", text_file, "Text to encode (default: generated)")
      ->check(CLI::ExistingFile);
  tokenizer_cmd->add_option("--text-bytes", text_bytes, "Size of the generated text")
      ->check(CLI::Range(size_t{1}, size_t{1} << 30));
  auto* serve_cmd = app.add_subcommand(
      "serve", "Load-test a running OpenAI-compatible server with concurrent streamed requests");
  fastchat::bench::ServeBenchOptions serve;
  std::string serve_endpoint = "chat";
  std::string serve_dataset;
  serve_cmd
      ->add_option("--url", serve.url,
                   "Base URL, e.g. http://127.0.0.1:8000/v1 (native: the worker's, "
                   "e.g. http://127.0.0.1:21002)")
      ->required();
  serve_cmd->add_option("--model", serve.model,
                        "Model name sent in each request (required except with --endpoint native)");
  serve_cmd
      ->add_option("--endpoint", serve_endpoint,
                   "chat (/chat/completions), completions (/completions) or native "
                   "(a fastchat-worker's /native/generate, prompt as completions sends it)")
      ->check(CLI::IsMember({"chat", "completions", "native"}))
      ->capture_default_str();
  serve_cmd->add_option("--concurrency", serve.concurrency, "Requests in flight (one thread each)")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  serve_cmd->add_option("--num-requests", serve.num_requests, "Requests in all")
      ->check(CLI::Range(1, 1 << 24))
      ->capture_default_str();
  auto* prompt_len_opt = serve_cmd
                             ->add_option("--prompt-len", serve.prompt_len,
                                          "Words per generated prompt (about as many tokens)")
                             ->check(CLI::Range(1, 1 << 20))
                             ->capture_default_str();
  serve_cmd
      ->add_option("--dataset", serve_dataset,
                   "Prompts: JSON lines with a \"prompt\" field, or a JSON array of strings")
      ->check(CLI::ExistingFile)
      ->excludes(prompt_len_opt);
  serve_cmd
      ->add_option("--shared-prefix-len", serve.shared_prefix_len,
                   "Words of a system prompt every request starts with (chat: a system message; "
                   "completions, native: before the prompt), for prefix caching; 0 = none")
      ->check(CLI::Range(0, 1 << 20))
      ->capture_default_str();
  serve_cmd->add_option("--output-len", serve.output_len, "max_tokens of each request")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  serve_cmd->add_flag(
      "--ignore-eos", serve.ignore_eos,
      "Send ignore_eos and min_tokens = output-len (vLLM extension) for equal-length outputs");
  serve_cmd->add_option("--api-key", serve.api_key, "Sent as Authorization: Bearer <key>");
  serve_cmd->add_option("--timeout", serve.timeout_s, "Seconds per request")
      ->check(CLI::Range(0.001, 86400.0))
      ->capture_default_str();
  serve_cmd->add_option("--seed", serve.seed, "Picks the generated prompts' words")
      ->capture_default_str();
  auto* synthesize_cmd = app.add_subcommand(
      "synthesize", "Write a random-weight model folder (config.json, model.safetensors)");
  std::string synth_shape = "110M";
  std::filesystem::path synth_out;
  std::filesystem::path synth_tokenizer;
  std::string synth_padding = "zero";
  synthesize_cmd->add_option("--shape", synth_shape, "Model shape: 110M")->capture_default_str();
  synthesize_cmd->add_option("--out", synth_out, "Folder to write (created)")->required();
  synthesize_cmd
      ->add_option("--tokenizer-from", synth_tokenizer,
                   "Copy this model's tokenizer files, so fastchat-worker can serve the folder")
      ->check(CLI::ExistingDirectory);
  synthesize_cmd
      ->add_option(
          "--padding-rows", synth_padding,
          "lm_head rows of ids past the tokenizer: zero (greedy decoding picks only ids the "
          "tokenizer spells) or random (most outputs are ids that decode as empty text)")
      ->check(CLI::IsMember({"zero", "random"}))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::warn);
  try {
    if (*engine_cmd) return run_engine(launch, synthetic, batches, options, repeat);
    if (*tokenizer_cmd) return run_tokenizer(tokenizer_path, text_file, text_bytes);
    if (*serve_cmd) return run_serve(serve, serve_endpoint, serve_dataset);
    if (*synthesize_cmd)
      return run_synthesize(synth_shape, synth_out, synth_tokenizer, synth_padding);
  } catch (const fastchat::ErrorException& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  } catch (const std::filesystem::filesystem_error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
