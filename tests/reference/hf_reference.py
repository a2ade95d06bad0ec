#!/usr/bin/env python3
"""Random-weight model folders and their greedy continuations, computed independently.

For every architecture and config option the engine supports, this writes a small Hugging Face
model folder (config.json, generation_config.json, safetensors weights drawn from a fixed seed)
and reference.json: for a few prompts, the greedy continuation and the log-probability of each
chosen token, and the prompt's embedding (final hidden states pooled by mean, first and last
token, L2-normalised), from a float64 NumPy forward pass written from the Hugging Face transformers
conventions (modeling_llama / modeling_mistral / modeling_qwen2): RMSNorm, rotate-half RoPE with
optional llama3 frequency scaling, grouped-query attention with a causal (and sliding-window)
mask, SwiGLU MLP, optional biases, tied or separate lm_head. It recomputes the whole sequence
at every step (no KV cache), so it shares nothing with the engine's paged attention.

    python3 hf_reference.py --out DIR [--case NAME]...

Needs only NumPy (Debian's python3-numpy). Deterministic: the same command writes the same bytes.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from safetensors_writer import write_safetensors  # noqa: E402

import numpy as np

NEW_TOKENS = 24
# Greedy ids are compared exactly, so every step's best logit must beat the second by more than
# float32 rounding can move them; a draw whose margin is smaller is replaced by the next seed's.
MIN_LOGIT_GAP = 2e-3

BASE = {
    "hidden_size": 64,
    "intermediate_size": 96,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "vocab_size": 256,
    "max_position_embeddings": 256,
    "rms_norm_eps": 1e-5,
    "rope_theta": 10000.0,
    "tie_word_embeddings": False,
    "torch_dtype": "float32",
    "bos_token_id": 1,
    "eos_token_id": 2,
}

# name -> (description, config fields over BASE, how the weights are stored)
CASES = {
    "llama_gqa": ("Llama, grouped-query attention, separate lm_head",
                  {"architectures": ["LlamaForCausalLM"], "model_type": "llama"}, {}),
    "llama_biases": ("Llama with attention_bias (q, k, v and o) and mlp_bias (gate, up, down)",
                     {"architectures": ["LlamaForCausalLM"], "model_type": "llama",
                      "attention_bias": True, "mlp_bias": True}, {}),
    "llama3_rope_scaling": ("Llama 3.1 rope scaling (all three frequency bands), head_dim given "
                            "apart from hidden_size, rope_theta 500000",
                            {"architectures": ["LlamaForCausalLM"], "model_type": "llama",
                             "head_dim": 32, "num_attention_heads": 4, "num_key_value_heads": 1,
                             "rope_theta": 500000.0,
                             "rope_scaling": {"rope_type": "llama3", "factor": 8.0,
                                              "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                              "original_max_position_embeddings": 64}}, {}),
    "llama_tied_bf16_sharded": ("Llama with tied embeddings, bfloat16 weights in two shards",
                                {"architectures": ["LlamaForCausalLM"], "model_type": "llama",
                                 "tie_word_embeddings": True, "torch_dtype": "bfloat16"},
                                {"dtype": "bf16", "shards": 2}),
    "mistral_sliding_window": ("Mistral with a sliding window of 8 tokens, prompts and outputs "
                               "well past it",
                               {"architectures": ["MistralForCausalLM"], "model_type": "mistral",
                                "sliding_window": 8}, {}),
    "qwen2": ("Qwen2: q/k/v bias, tied embeddings, a sliding_window it does not use",
              {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2",
               "tie_word_embeddings": True, "sliding_window": 4, "use_sliding_window": False,
               "max_window_layers": 1}, {}),
}

PROMPT_LENGTHS = (1, 5, 19, 40)


# ---- weights ------------------------------------------------------------------------------

def draw_weights(config, rng):
    """HF tensor names -> float64 arrays, drawn so that logits are well spread."""
    hidden, inter = config["hidden_size"], config["intermediate_size"]
    heads, kv_heads = config["num_attention_heads"], config["num_key_value_heads"]
    head_dim = config.get("head_dim", hidden // heads)
    vocab = config["vocab_size"]
    arch = config["architectures"][0]
    llama = arch == "LlamaForCausalLM"
    qkv_bias = arch == "Qwen2ForCausalLM" or (llama and config.get("attention_bias", False))
    o_bias = llama and config.get("attention_bias", False)
    mlp_bias = llama and config.get("mlp_bias", False)

    def matrix(rows, cols, gain=1.0):
        return rng.standard_normal((rows, cols)) * gain / np.sqrt(cols)

    def vector(n, scale=0.3, mean=0.0):
        return mean + rng.standard_normal(n) * scale

    w = {"model.embed_tokens.weight": rng.standard_normal((vocab, hidden)),
         "model.norm.weight": vector(hidden, 0.2, 1.0)}
    if not config["tie_word_embeddings"]:
        w["lm_head.weight"] = matrix(vocab, hidden, 4.0)
    for i in range(config["num_hidden_layers"]):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = vector(hidden, 0.2, 1.0)
        w[p + "post_attention_layernorm.weight"] = vector(hidden, 0.2, 1.0)
        w[p + "self_attn.q_proj.weight"] = matrix(heads * head_dim, hidden, 2.0)
        w[p + "self_attn.k_proj.weight"] = matrix(kv_heads * head_dim, hidden, 2.0)
        w[p + "self_attn.v_proj.weight"] = matrix(kv_heads * head_dim, hidden)
        w[p + "self_attn.o_proj.weight"] = matrix(hidden, heads * head_dim)
        w[p + "mlp.gate_proj.weight"] = matrix(inter, hidden)
        w[p + "mlp.up_proj.weight"] = matrix(inter, hidden)
        w[p + "mlp.down_proj.weight"] = matrix(hidden, inter)
        if qkv_bias:
            w[p + "self_attn.q_proj.bias"] = vector(heads * head_dim)
            w[p + "self_attn.k_proj.bias"] = vector(kv_heads * head_dim)
            w[p + "self_attn.v_proj.bias"] = vector(kv_heads * head_dim)
        if o_bias:
            w[p + "self_attn.o_proj.bias"] = vector(hidden)
        if mlp_bias:
            w[p + "mlp.gate_proj.bias"] = vector(inter)
            w[p + "mlp.up_proj.bias"] = vector(inter)
            w[p + "mlp.down_proj.bias"] = vector(hidden)
    return w


def to_bf16_bits(values):
    """float64 -> bfloat16 bit patterns (uint16), rounding to nearest even as torch does."""
    bits = values.astype(np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype(np.uint16)


def from_bf16_bits(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32).astype(np.float64)


def store(folder, weights, storage):
    """Writes the weights as the case asks; returns them as the model will read them."""
    bf16 = storage.get("dtype") == "bf16"
    stored, encoded = {}, {}
    for name, value in weights.items():
        if bf16:
            bits = to_bf16_bits(value)
            encoded[name] = ("BF16", bits.astype("<u2").tobytes(), value.shape)
            stored[name] = from_bf16_bits(bits)
        else:
            single = value.astype("<f4")
            encoded[name] = ("F32", single.tobytes(), value.shape)
            stored[name] = single.astype(np.float64)
    shards = storage.get("shards", 1)
    if shards == 1:
        write_safetensors(folder / "model.safetensors", encoded)
        return stored
    names = list(encoded)
    weight_map = {}
    for s in range(shards):
        file = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
        part = names[s::shards]
        write_safetensors(folder / file, {n: encoded[n] for n in part})
        weight_map.update({n: file for n in part})
    index = {"metadata": {"total_size": sum(len(e[1]) for e in encoded.values())},
             "weight_map": dict(sorted(weight_map.items()))}
    (folder / "model.safetensors.index.json").write_text(json.dumps(index, indent=2) + "\n")
    return stored


# ---- the forward pass -----------------------------------------------------------------------

def inverse_frequencies(config, head_dim):
    inv = 1.0 / config["rope_theta"] ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)
    scaling = config.get("rope_scaling")
    if not scaling:
        return inv
    factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
    old = scaling["original_max_position_embeddings"]
    wavelen = 2 * np.pi / inv
    scaled = np.where(wavelen > old / low, inv / factor, inv)
    smooth = (old / wavelen - low) / (high - low)
    smoothed = (1 - smooth) * scaled / factor + smooth * scaled
    medium = (wavelen >= old / high) & (wavelen <= old / low)
    return np.where(medium, smoothed, scaled)


def rotate(x, positions, inv_freq):
    """Rotate-half RoPE of x [tokens, heads, head_dim]."""
    angles = positions[:, None] * inv_freq[None, :]
    cos = np.concatenate([np.cos(angles)] * 2, axis=-1)[:, None, :]
    sin = np.concatenate([np.sin(angles)] * 2, axis=-1)[:, None, :]
    half = x.shape[-1] // 2
    rotated = np.concatenate([-x[..., half:], x[..., :half]], axis=-1)
    return x * cos + rotated * sin


def rms_norm(x, weight, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * weight


def linear(x, w, name):
    y = x @ w[name + ".weight"].T
    bias = w.get(name + ".bias")
    return y if bias is None else y + bias


def hidden_of(config, w, ids):
    """Final (normed) hidden states of every position of ids (full causal recompute): what
    transformers returns as hidden_states[-1]."""
    heads, kv_heads = config["num_attention_heads"], config["num_key_value_heads"]
    head_dim = config.get("head_dim", config["hidden_size"] // heads)
    eps = config["rms_norm_eps"]
    window = config.get("sliding_window") if config["architectures"][0] == "MistralForCausalLM" else None
    n = len(ids)
    positions = np.arange(n, dtype=np.float64)
    inv_freq = inverse_frequencies(config, head_dim)
    query_pos, key_pos = np.arange(n)[:, None], np.arange(n)[None, :]
    visible = key_pos <= query_pos
    if window:
        visible &= key_pos > query_pos - window
    x = w["model.embed_tokens.weight"][ids]
    for i in range(config["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        q = rotate(linear(h, w, p + "self_attn.q_proj").reshape(n, heads, head_dim), positions, inv_freq)
        k = rotate(linear(h, w, p + "self_attn.k_proj").reshape(n, kv_heads, head_dim), positions, inv_freq)
        v = linear(h, w, p + "self_attn.v_proj").reshape(n, kv_heads, head_dim)
        group = heads // kv_heads
        k, v = np.repeat(k, group, axis=1), np.repeat(v, group, axis=1)
        scores = np.einsum("qhd,khd->hqk", q, k) / np.sqrt(head_dim)
        scores = np.where(visible[None], scores, -np.inf)
        scores -= scores.max(axis=-1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(axis=-1, keepdims=True)
        attended = np.einsum("hqk,khd->qhd", probs, v).reshape(n, heads * head_dim)
        x = x + linear(attended, w, p + "self_attn.o_proj")
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate = linear(h, w, p + "mlp.gate_proj")
        x = x + linear(gate / (1 + np.exp(-gate)) * linear(h, w, p + "mlp.up_proj"), w, p + "mlp.down_proj")
    return rms_norm(x, w["model.norm.weight"], eps)


def logits_of(config, w, ids):
    """Logits of every position of ids."""
    lm_head = w["model.embed_tokens.weight"] if config["tie_word_embeddings"] else w["lm_head.weight"]
    return hidden_of(config, w, ids) @ lm_head.T


def embeddings_of(config, w, ids):
    """The prompt's embedding pooled three ways, each L2-normalised: FastChat's mean over the
    tokens of the last hidden state, the first token's ("cls") and the last token's."""
    hidden = hidden_of(config, w, ids)
    pooled = {"mean": hidden.mean(axis=0), "cls": hidden[0], "last": hidden[-1]}
    return {name: [float(v) for v in vector / np.linalg.norm(vector)]
            for name, vector in pooled.items()}


def greedy(config, w, prompt):
    """(generated ids, log-probability of each, smallest top1 - top2 logit gap)."""
    ids, generated, logprobs, min_gap = list(prompt), [], [], np.inf
    for _ in range(NEW_TOKENS):
        logits = logits_of(config, w, ids)[-1]
        order = np.argsort(-logits, kind="stable")
        min_gap = min(min_gap, logits[order[0]] - logits[order[1]])
        top = int(order[0])
        log_softmax = logits - logits.max() - np.log(np.exp(logits - logits.max()).sum())
        generated.append(top)
        logprobs.append(float(log_softmax[top]))
        ids.append(top)
    return generated, logprobs, float(min_gap)


# ---- cases ----------------------------------------------------------------------------------

def build_case(out, name, seed):
    description, fields, storage = CASES[name]
    config = {**BASE, **fields}
    for attempt in range(64):
        rng = np.random.default_rng([seed, attempt])
        weights = draw_weights(config, rng)
        prompts = [[1] + [int(t) for t in rng.integers(3, config["vocab_size"], n - 1)]
                   for n in PROMPT_LENGTHS]
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("model*.safetensors*"):
            old.unlink()
        stored = store(folder, weights, storage)
        results = []
        for prompt in prompts:
            generated, logprobs, gap = greedy(config, stored, prompt)
            results.append({"prompt_ids": prompt, "generated_ids": generated,
                            "logprobs": logprobs, "min_top1_top2_logit_gap": gap,
                            "embeddings": embeddings_of(config, stored, prompt)})
        if min(r["min_top1_top2_logit_gap"] for r in results) >= MIN_LOGIT_GAP:
            break
    else:
        sys.exit(f"{name}: no draw in 64 had every greedy margin above {MIN_LOGIT_GAP}")
    (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    (folder / "generation_config.json").write_text(
        json.dumps({"bos_token_id": 1, "eos_token_id": 2, "do_sample": False}, indent=2) + "\n")
    reference = {"case": name, "description": description, "seed": [seed, attempt],
                 "new_tokens": NEW_TOKENS, "compute": "float64, full causal recompute per step",
                 "results": results}
    (folder / "reference.json").write_text(json.dumps(reference, indent=1) + "\n")
    print(f"{name}: seed {seed}/{attempt}, smallest margin "
          f"{min(r['min_top1_top2_logit_gap'] for r in results):.4f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="folder to write the cases into")
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="only these cases")
    args = parser.parse_args()
    for name in args.case or CASES:
        build_case(args.out, name, 1000 + list(CASES).index(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
