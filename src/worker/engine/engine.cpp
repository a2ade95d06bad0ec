#include "worker/engine/engine.h"

#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "common/error/error.h"
#include "model/kv_cache_shape.h"
#include "worker/engine/device_memory.h"

namespace fastchat::engine {
namespace {

constexpr int64_t kDefaultCpuKvBudget = int64_t{2} << 30;

int32_t plan_num_blocks(const model::CausalLm& model, const EngineConfig& config) {
  const auto& mc = model.config();
  const auto shape = kv_cache_shape(mc, config.block_size, model.dtype());
  int64_t budget = config.kv_cache_memory;
  if (budget <= 0) {
    auto free_bytes = free_device_memory(model.device());
    if (model.device().is_cuda() && free_bytes) {
      budget =
          static_cast<int64_t>(static_cast<double>(*free_bytes) * config.device_memory_fraction);
    } else {
      // CPU: enough for every sequence slot at full context, within a fixed cap and half of
      // what is free, so a small model does not take gigabytes it will never use.
      const int64_t full =
          model::bytes_per_block(shape) *
          ((mc.max_position_embeddings + config.block_size - 1) / config.block_size) *
          config.scheduler.max_num_seqs;
      budget = std::min(full, kDefaultCpuKvBudget);
      if (free_bytes) budget = std::min(budget, *free_bytes / 2);
    }
  }
  const int64_t blocks = model::blocks_for_budget(shape, budget);
  const int64_t one_context =
      (mc.max_position_embeddings + config.block_size - 1) / config.block_size;
  if (blocks < 1) {
    throw_error(ErrorCode::InvalidConfig,
                "--kv-cache-memory: " + std::to_string(budget) +
                    " bytes hold no KV block (one block takes " +
                    std::to_string(model::bytes_per_block(shape)) + " bytes)",
                "kv_cache_memory");
  }
  if (blocks < one_context) {
    spdlog::warn("KV cache holds {} tokens, less than one full context of {} tokens",
                 blocks * config.block_size, mc.max_position_embeddings);
  }
  return static_cast<int32_t>(std::min<int64_t>(blocks, INT32_MAX));
}

// Prefix-cache keys start from the model, so blocks of two engines can never be confused.
uint64_t model_seed(const model::CausalLm& model) {
  const auto& mc = model.config();
  const std::string identity = mc.architecture + '/' + std::to_string(mc.hidden_size) + '/' +
                               std::to_string(mc.num_hidden_layers) + '/' +
                               std::to_string(mc.vocab_size) + '/' + c10::toString(model.dtype());
  return kv_cache::hash_bytes(identity);
}

}  // namespace

Engine::Engine(std::unique_ptr<model::CausalLm> model, EngineConfig config)
    : config_(config),
      model_config_(model->config()),
      context_length_(static_cast<int32_t>(model->config().max_position_embeddings)),
      num_blocks_(plan_num_blocks(*model, config)),
      kv_cache_(num_blocks_, config.block_size, config.enable_prefix_caching, model_seed(*model),
                static_cast<int32_t>(model->config().sliding_window.value_or(0))),
      scheduler_(config.scheduler, kv_cache_),
      runner_(std::make_unique<ModelRunner>(std::move(model), num_blocks_, config.block_size)) {
  stats_.num_kv_blocks = num_blocks_;
  stats_.num_free_kv_blocks = num_blocks_;
  spdlog::info("engine: {} KV blocks of {} tokens ({} MiB), context {} tokens, prefix cache {}",
               num_blocks_, config_.block_size, runner_->storage().bytes() >> 20, context_length_,
               config_.enable_prefix_caching ? "on" : "off");
  thread_running_.store(true);  // before the thread: a health check right after reads "up"
  thread_ = std::thread([this] { run(); });
}

Engine::~Engine() {
  {
    std::lock_guard lock(inbox_mutex_);
    stopping_ = true;
  }
  inbox_ready_.notify_one();
  if (thread_.joinable()) thread_.join();
}

// Length rules: a generation needs room for one more token in the context; an embedding only
// its prompt. Either must fit the KV cache (a sliding window holds at most its window plus the
// chunk being computed).
void Engine::check_submitted_lengths(const GenerationRequest& request) const {
  const int32_t prompt_len = static_cast<int32_t>(request.prompt_ids.size());
  if (request.embedding && prompt_len > context_length_) {
    throw_error(ErrorCode::ContextLengthExceeded,
                "This model's maximum context length is " + std::to_string(context_length_) +
                    " tokens, but the input has " + std::to_string(prompt_len) + " tokens",
                "input");
  }
  if (!request.embedding && prompt_len >= context_length_) {
    throw_error(ErrorCode::ContextLengthExceeded,
                "This model's maximum context length is " + std::to_string(context_length_) +
                    " tokens, but the prompt has " + std::to_string(prompt_len) +
                    " tokens, leaving no room to generate",
                "messages");
  }
  const int64_t longest =
      request.embedding
          ? prompt_len
          : std::min<int64_t>(static_cast<int64_t>(prompt_len) + request.params.max_tokens,
                              context_length_);
  const int64_t window = model_config_.sliding_window.value_or(0);
  const int64_t resident =
      window > 0 ? std::min<int64_t>(longest, window + config_.scheduler.max_num_batched_tokens +
                                                  config_.block_size)
                 : longest;
  if (kv_cache_.blocks_for_tokens(resident) > num_blocks_) {
    throw_error(ErrorCode::InvalidRequest,
                (request.embedding ? std::string("the input needs ")
                                   : std::string("prompt plus max_tokens need ")) +
                    std::to_string(resident) + " tokens of KV cache, but the cache holds only " +
                    std::to_string(kv_cache_capacity_tokens()),
                request.embedding ? "input" : "max_tokens");
  }
}

std::shared_ptr<RequestStream> Engine::submit(GenerationRequest request) {
  const int32_t prompt_len = static_cast<int32_t>(request.prompt_ids.size());
  if (prompt_len == 0) throw_error(ErrorCode::InvalidRequest, "prompt is empty", "prompt");
  protocol::validate(request.params, static_cast<int32_t>(model_config_.vocab_size));
  for (size_t i = 0; i < request.prompt_ids.size(); ++i) {
    const int32_t id = request.prompt_ids[i];
    if (id < 0 || id >= model_config_.vocab_size) {
      throw_error(ErrorCode::InvalidRequest,
                  "prompt token " + std::to_string(id) + " at index " + std::to_string(i) +
                      " is outside the vocabulary [0, " + std::to_string(model_config_.vocab_size) +
                      ")",
                  "prompt");
    }
  }
  check_submitted_lengths(request);
  auto state = std::make_unique<RequestState>();
  state->submitted = std::chrono::steady_clock::now();
  const uint64_t id = next_id_.fetch_add(1);
  state->sequence.id = id;
  state->sequence.tokens = std::move(request.prompt_ids);
  state->sequence.num_prompt_tokens = prompt_len;
  state->params = std::move(request.params);
  state->rng = std::make_unique<sampling::RequestRng>(state->params.seed);
  state->stream = std::make_shared<RequestStream>(id);
  state->pooling = request.embedding;
  state->sequence.reuse_prefix = !request.embedding;
  auto stream = state->stream;
  {
    std::lock_guard lock(inbox_mutex_);
    if (stopping_) throw_error(ErrorCode::Unavailable, "the engine is shutting down");
    if (config_.max_queue_len > 0) {
      // Requests that will have to wait: not yet taken by the engine thread or waiting in the
      // scheduler, less the running slots still free (a burst the engine can run at once
      // must not read as a full queue).
      int64_t waiting = static_cast<int64_t>(inbox_.size());
      {
        std::lock_guard stats_lock(stats_mutex_);
        waiting += stats_.num_waiting -
                   std::max<int64_t>(0, config_.scheduler.max_num_seqs - stats_.num_running);
      }
      if (waiting >= config_.max_queue_len) {
        {
          std::lock_guard stats_lock(stats_mutex_);
          ++stats_.num_rejected;
        }
        throw_error(ErrorCode::Overloaded,
                    "the worker's queue is full (" + std::to_string(waiting) +
                        " requests waiting, --max-queue-len " +
                        std::to_string(config_.max_queue_len) + "); retry later");
      }
    }
    inbox_.push_back(std::move(state));
  }
  inbox_ready_.notify_one();
  return stream;
}

void Engine::abort(uint64_t request_id) {
  {
    std::lock_guard lock(inbox_mutex_);
    aborts_.push_back(request_id);
  }
  inbox_ready_.notify_one();
}

EngineStats Engine::stats() const {
  std::lock_guard lock(stats_mutex_);
  return stats_;
}

void Engine::set_observer(EngineObserver* observer) { observer_.store(observer); }

bool Engine::responsive(std::chrono::steady_clock::duration window) const {
  if (!thread_running_.load()) return false;
  const int64_t started = step_started_.load();
  if (started == 0) return true;
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  return now - started < window.count();
}

bool Engine::drain_inbox(bool block) {
  std::vector<std::unique_ptr<RequestState>> arrived;
  std::vector<uint64_t> aborted;
  {
    std::unique_lock lock(inbox_mutex_);
    if (block) {
      inbox_ready_.wait(lock, [&] { return stopping_ || !inbox_.empty() || !aborts_.empty(); });
    }
    if (stopping_) return false;
    arrived.swap(inbox_);
    aborted.swap(aborts_);
  }
  for (auto& state : arrived) {
    const uint64_t id = state->sequence.id;
    scheduler_.add(&state->sequence);
    requests_.emplace(id, std::move(state));
  }
  int64_t num_aborted = 0;
  for (uint64_t id : aborted) {
    if (!requests_.count(id)) continue;
    finish(id, FinishReason::Abort);
    ++num_aborted;
  }
  if (num_aborted > 0) {
    std::lock_guard lock(stats_mutex_);
    stats_.num_aborted += num_aborted;
  }
  if (!arrived.empty() || !aborted.empty()) publish_queue_stats();
  return true;
}

void Engine::run() {
  // OpenMP thread counts are per calling thread: set them here, on the thread that runs torch.
  const int32_t threads =
      config_.num_threads > 0
          ? config_.num_threads
          : static_cast<int32_t>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(threads);
  while (drain_inbox(/*block=*/!scheduler_.has_work())) {
    expire_queued();
    if (!scheduler_.has_work()) continue;
    step_started_.store(std::chrono::steady_clock::now().time_since_epoch().count());
    try {
      step();
      step_started_.store(0);
    } catch (const std::exception& e) {
      // A failed step leaves the cache contents of its sequences undefined: fail them all
      // rather than continue with corrupt state.
      spdlog::error("engine step failed: {}", e.what());
      std::vector<uint64_t> ids;
      for (const auto& [id, state] : requests_) ids.push_back(id);
      for (uint64_t id : ids) finish(id, FinishReason::Error, e.what());
      step_started_.store(0);
    }
  }
  thread_running_.store(false);
  for (auto& [id, state] : requests_) state->stream->finish(FinishReason::Abort, "engine stopped");
  std::lock_guard lock(inbox_mutex_);
  for (auto& state : inbox_) state->stream->finish(FinishReason::Abort, "engine stopped");
}

std::vector<int32_t> Engine::suppressed_tokens(const RequestState& state) const {
  if (state.sequence.num_output_tokens() >= state.params.min_tokens) return {};
  std::vector<int32_t> ids = state.params.stop_token_ids;
  if (!state.params.ignore_eos) {
    ids.insert(ids.end(), model_config_.eos_token_ids.begin(), model_config_.eos_token_ids.end());
  }
  return ids;
}

std::optional<FinishReason> Engine::check_stop(const RequestState& state, int32_t token) const {
  const auto& p = state.params;
  const auto& seq = state.sequence;
  const bool is_eos = !p.ignore_eos && std::find(model_config_.eos_token_ids.begin(),
                                                 model_config_.eos_token_ids.end(),
                                                 token) != model_config_.eos_token_ids.end();
  const bool is_stop_id =
      std::find(p.stop_token_ids.begin(), p.stop_token_ids.end(), token) != p.stop_token_ids.end();
  if ((is_eos || is_stop_id) && seq.num_output_tokens() >= p.min_tokens) return FinishReason::Stop;
  if (seq.num_output_tokens() >= p.max_tokens || seq.num_tokens() >= context_length_) {
    return FinishReason::Length;
  }
  return std::nullopt;
}

void Engine::step() {
  auto output = scheduler_.schedule();
  if (output.empty()) {
    // Only possible when the head of the queue cannot fit even an empty cache: submit()
    // rules that out, so this is a bug; fail the head rather than spin.
    throw std::logic_error("scheduler produced an empty step with work pending");
  }
  std::vector<SamplingInputs> inputs;
  std::vector<RequestState*> sampled_states;
  std::vector<bool> pooled(output.chunks.size(), false);
  int64_t prefill_tokens = 0;
  for (size_t c = 0; c < output.chunks.size(); ++c) {
    const auto& chunk = output.chunks[c];
    if (!chunk.samples || chunk.num_tokens > 1) prefill_tokens += chunk.num_tokens;
    RequestState* state = requests_.at(chunk.sequence->id).get();
    pooled[c] = state->pooling.has_value();
    if (!chunk.samples || pooled[c]) continue;
    inputs.push_back({&state->params, state->rng.get(), suppressed_tokens(*state)});
    sampled_states.push_back(state);
  }
  // A preempted embedding request computes its prompt again from the start.
  for (uint64_t id : output.preempted) {
    if (auto it = requests_.find(id); it != requests_.end()) it->second->pooled.clear();
  }
  const auto now = std::chrono::steady_clock::now();
  for (const auto& chunk : output.chunks) {
    RequestState& state = *requests_.at(chunk.sequence->id);
    if (!state.started) state.started = now;
  }
  auto result = runner_->execute(output, kv_cache_, inputs, pooled);
  auto& sampled = result.sampled;
  const auto sampled_at = std::chrono::steady_clock::now();
  scheduler_.on_step_done(output);

  std::vector<std::pair<uint64_t, FinishReason>> finished;
  for (size_t c = 0, k = 0; c < output.chunks.size(); ++c) {
    if (!pooled[c]) continue;
    const auto& chunk = output.chunks[c];
    RequestState& state = *requests_.at(chunk.sequence->id);
    if (add_pooled_chunk(state, chunk, std::move(result.pooled.at(k++)))) {
      finished.emplace_back(state.sequence.id, FinishReason::Stop);
    }
  }
  for (size_t i = 0; i < sampled.size(); ++i) {
    RequestState& state = *sampled_states[i];
    const int32_t token = sampled[i].token;
    state.sequence.tokens.push_back(token);
    if (!state.first_token) state.first_token = sampled_at;
    auto stop = check_stop(state, token);
    TokenEvent event{token, sampled[i].logprob, std::move(sampled[i].top_logprobs),
                     stop == FinishReason::Stop};
    state.stream->push(std::move(event), stop);
    if (stop) finished.emplace_back(state.sequence.id, *stop);
  }
  for (const auto& [id, reason] : finished) finish(id, reason);

  {
    std::lock_guard lock(stats_mutex_);
    ++stats_.num_steps;
    stats_.num_prompt_tokens += prefill_tokens;
    stats_.num_generated_tokens += static_cast<int64_t>(sampled.size());
    stats_.num_preemptions += static_cast<int64_t>(output.preempted.size());
  }
  publish_queue_stats();
}

bool Engine::add_pooled_chunk(RequestState& state, const scheduler::ScheduledChunk& chunk,
                              std::vector<float> pooled) {
  // pooled = [sum of the chunk's rows, its first row, its last row], each `hidden` wide.
  const size_t hidden = pooled.size() / 3;
  if (state.pooled.empty()) {
    state.pooled = std::move(pooled);
  } else {
    for (size_t i = 0; i < hidden; ++i) state.pooled[i] += pooled[i];
    std::copy(pooled.begin() + 2 * hidden, pooled.end(), state.pooled.begin() + 2 * hidden);
  }
  if (!chunk.samples) return false;
  const size_t offset = *state.pooling == Pooling::Mean    ? 0
                        : *state.pooling == Pooling::First ? hidden
                                                           : 2 * hidden;
  std::vector<float> vector(state.pooled.begin() + offset, state.pooled.begin() + offset + hidden);
  if (*state.pooling == Pooling::Mean) {
    for (float& v : vector) v /= static_cast<float>(state.sequence.num_prompt_tokens);
  }
  double norm = 0.0;
  for (float v : vector) norm += static_cast<double>(v) * v;
  norm = std::sqrt(norm);
  // F.normalize's guard: a zero vector stays zero instead of NaN.
  const double scale = 1.0 / std::max(norm, 1e-12);
  for (float& v : vector) v = static_cast<float>(v * scale);
  state.stream->finish_with_embedding(std::move(vector));
  return true;
}

void Engine::expire_queued() {
  if (config_.max_queue_time_s <= 0.0) return;
  const auto deadline = std::chrono::steady_clock::now() -
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(config_.max_queue_time_s));
  std::vector<uint64_t> expired;
  for (const auto& [id, state] : requests_) {
    const auto& seq = state->sequence;
    const bool never_started = seq.status == scheduler::SequenceStatus::Waiting &&
                               seq.num_computed == 0 && seq.num_preemptions == 0;
    if (never_started && state->submitted < deadline) expired.push_back(id);
  }
  for (uint64_t id : expired) {
    finish(id, FinishReason::Timeout,
           "waited more than --max-queue-time " + std::to_string(config_.max_queue_time_s) +
               " s to start");
  }
  if (!expired.empty()) {
    {
      std::lock_guard lock(stats_mutex_);
      stats_.num_timed_out += static_cast<int64_t>(expired.size());
    }
    publish_queue_stats();
  }
}

void Engine::publish_queue_stats() {
  std::lock_guard lock(stats_mutex_);
  stats_.num_running = static_cast<int32_t>(scheduler_.num_running());
  stats_.num_waiting = static_cast<int32_t>(scheduler_.num_waiting());
  stats_.num_free_kv_blocks = kv_cache_.num_free_blocks();
  const auto prefix = kv_cache_.prefix_cache_stats();
  stats_.num_prefix_cache_queries = prefix.queried_tokens;
  stats_.num_prefix_cache_hits = prefix.hit_tokens;
}

void Engine::finish(uint64_t id, FinishReason reason, const std::string& error) {
  auto it = requests_.find(id);
  if (it == requests_.end()) return;
  scheduler_.remove(id);
  RequestState& state = *it->second;
  state.stream->finish(reason, error);  // no-op when the last token already finished it
  if (EngineObserver* observer = observer_.load()) {
    const auto now = std::chrono::steady_clock::now();
    auto seconds_since_submit = [&](std::chrono::steady_clock::time_point t) {
      return std::chrono::duration<double>(t - state.submitted).count();
    };
    RequestRecord record;
    record.reason = reason;
    record.prompt_tokens = state.sequence.num_prompt_tokens;
    record.output_tokens = state.sequence.num_output_tokens();
    record.cached_prompt_tokens = state.sequence.num_cached_prompt_tokens;
    if (state.started) record.queue_seconds = seconds_since_submit(*state.started);
    if (state.first_token) record.first_token_seconds = seconds_since_submit(*state.first_token);
    record.total_seconds = seconds_since_submit(now);
    observer->on_request_finished(record);
  }
  requests_.erase(it);
}

}  // namespace fastchat::engine
