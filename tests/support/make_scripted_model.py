#!/usr/bin/env python3
"""A tiny Llama model folder that answers from a script: for testing tool calls and reasoning.

    python3 make_scripted_model.py OUT_DIR     # writes the model folder OUT_DIR
    python3 make_scripted_model.py --print-script   # prints SCRIPT (below) as JSON

OUT_DIR gets a Hugging Face folder (config.json LlamaForCausalLM, model.safetensors float32,
tokenizer.json, tokenizer_config.json with a chat_template, generation_config.json) plus
script.json (SCRIPT, the texts the tests compare with). Deterministic (the same command writes
the same bytes). Python 3 standard library only (the weights are a few one-hot rows, written with
the array module), so the e2e suites, which are stdlib-only, can run it with whatever python3
runs them.

How it answers
--------------
The next token depends only on the last token, through a successor table:

- one transformer layer whose attention and MLP projections are all zero, so the residual stream
  is the token's embedding; no positional effect at all;
- every scripted token t has its own hidden dimension dim(t), and its embedding is one-hot there;
  every other token (the 256 bytes, <|im_start|>, <|im_end|>, <|endoftext|>) shares dimension 0;
- the final RMSNorm weight is 1, so the normed state is sqrt(hidden) * one-hot;
- lm_head row successor(t) is LOGIT in dim(t), and row <|im_end|> is LOGIT in dimension 0 (so
  any token without a successor is followed by the end of the turn).

The chosen logit beats every other by LOGIT * sqrt(hidden) (about 160): greedy decoding follows
the table, and sampling at any usual temperature does too.

Tokenizer: byte-level BPE with the 256 byte tokens and no merges (any text encodes, one token a
byte), plus added tokens: <|endoftext|>, <|im_start|>, <|im_end|> and the cue tokens
(special: true, so they never show in decoded text), and one non-special added token per
scripted piece (as Qwen's <tool_call> and <think> are non-special added tokens). The model only
ever *emits* pieces; a prompt that contains a piece's text may tokenize into it, which does not
matter since only the prompt's last token does.

The chat template is Qwen3's (tools system block with `tool | tojson`, <tool_call> rendering of
assistant tool_calls, <tool_response> rendering of role "tool" messages, <think> handling,
enable_thinking), except that the generation prompt, after "<|im_start|>assistant\\n" (and
after "<think>\\n\\n</think>\\n\\n" when enable_thinking is false, as Qwen3 writes it), ends with a
cue token chosen from the conversation; the model continues the cue's chain of pieces, then
<|im_end|>:

- last message has role "tool"                       -> <|cue_answer|>: the final answer
- tools given, last message "user", two or more tools
  one of which is named get_time                     -> <|cue_two_calls|>: get_weather and
                                                        get_time calls (Hermes <tool_call> blocks)
- tools given, last message "user"                   -> <|cue_call|>: one get_weather call
- otherwise, enable_thinking false                   -> <|cue_plain|>: the plain answer
- otherwise                                          -> <|cue_think|>: <think>reasoning</think>
                                                        then the answer

Tool-call markup is spread over several tokens so that "<tool_call>" and "</tool_call>" are
split across token boundaries. Every piece is a distinct token (the successor of a token is
unique), so the same text never appears twice as a piece.
"""

import argparse
import array
import json
import sys
from pathlib import Path

from safetensors_writer import write_safetensors

HIDDEN = 64
LOGIT = 20.0

END_OF_TEXT = "<|endoftext|>"
IM_START = "<|im_start|>"
IM_END = "<|im_end|>"

WEATHER_CALL = {"name": "get_weather", "arguments": {"city": "Paris"}}
TIME_CALL = {"name": "get_time", "arguments": {"timezone": "Europe/Paris"}}
FINAL_ANSWER = "The weather in Paris is sunny, 22 degrees."
REASONING = "The user says hello; I should greet them."
ANSWER = "Hello! How can I help?"

# cue token -> the pieces the model writes after it (then <|im_end|>).
CHAINS = {
    "<|cue_call|>": [
        "<tool",
        '_call>\n{"name": "get_',
        'weather", "arguments": {"city": ',
        '"Paris"}}\n</tool',
        "_call>",
    ],
    "<|cue_two_calls|>": [
        "<tool_",
        'call>\n{"name": "get_weather", "arg',
        'uments": {"city": "Paris"}}\n</',
        "tool_call>\n<tool_call",
        '>\n{"name": "get_time", ',
        '"arguments": {"timezone": "Europe/',
        'Paris"}}\n</tool_call',
        ">",
    ],
    "<|cue_answer|>": [
        "The weather in Paris",
        " is sunny, 22 degrees.",
    ],
    "<|cue_think|>": [
        "<think>",
        "\n" + REASONING + "\n",
        "</think>",
        "\n\n" + ANSWER,
    ],
    "<|cue_plain|>": [
        ANSWER,
    ],
}


def _hermes(call):
    return "<tool_call>\n" + json.dumps(call) + "\n</tool_call>"


# What the tests compare with (also written to OUT_DIR/script.json, printed by --print-script).
SCRIPT = {
    "end_of_turn": IM_END,
    "cues": {name: cue for name, cue in (("call", "<|cue_call|>"),
                                         ("two_calls", "<|cue_two_calls|>"),
                                         ("answer", "<|cue_answer|>"),
                                         ("think", "<|cue_think|>"),
                                         ("plain", "<|cue_plain|>"))},
    # The raw text the model writes after each cue (before <|im_end|>).
    "raw": {cue: "".join(pieces) for cue, pieces in CHAINS.items()},
    "pieces": CHAINS,
    # Parsed meaning.
    "tool_call": WEATHER_CALL,
    "two_tool_calls": [WEATHER_CALL, TIME_CALL],
    "final_answer": FINAL_ANSWER,
    "reasoning": REASONING,
    "answer": ANSWER,
    "tools": {
        "get_weather": {"type": "function", "function": {
            "name": "get_weather", "description": "Current weather in a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                           "required": ["city"]}}},
        "get_time": {"type": "function", "function": {
            "name": "get_time", "description": "Current time in a time zone",
            "parameters": {"type": "object", "properties": {"timezone": {"type": "string"}},
                           "required": ["timezone"]}}},
    },
}

assert SCRIPT["raw"]["<|cue_call|>"] == _hermes(WEATHER_CALL)
assert SCRIPT["raw"]["<|cue_two_calls|>"] == _hermes(WEATHER_CALL) + "\n" + _hermes(TIME_CALL)
assert SCRIPT["raw"]["<|cue_answer|>"] == FINAL_ANSWER

# Qwen3's chat template with the cue in the generation prompt (see the docstring). Differences
# besides the cue: an assistant message's content may be null (OpenAI sends null with
# tool_calls), read as "".
CHAT_TEMPLATE = r"""{%- if tools %}
    {{- '<|im_start|>system\n' }}
    {%- if messages[0].role == 'system' %}
        {{- messages[0].content + '\n\n' }}
    {%- endif %}
    {{- "# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>" }}
    {%- for tool in tools %}
        {{- "\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n" }}
{%- else %}
    {%- if messages[0].role == 'system' %}
        {{- '<|im_start|>system\n' + messages[0].content + '<|im_end|>\n' }}
    {%- endif %}
{%- endif %}
{%- set ns = namespace(multi_step_tool=true, last_query_index=messages|length - 1) %}
{%- for message in messages[::-1] %}
    {%- set index = (messages|length - 1) - loop.index0 %}
    {%- if ns.multi_step_tool and message.role == "user" and message.content is string and not(message.content.startswith('<tool_response>') and message.content.endswith('</tool_response>')) %}
        {%- set ns.multi_step_tool = false %}
        {%- set ns.last_query_index = index %}
    {%- endif %}
{%- endfor %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) %}
        {{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>' + '\n' }}
    {%- elif message.role == "assistant" %}
        {%- if message.content is string %}
            {%- set content = message.content %}
        {%- else %}
            {%- set content = '' %}
        {%- endif %}
        {%- set reasoning_content = '' %}
        {%- if message.reasoning_content is defined and message.reasoning_content is not none %}
            {%- set reasoning_content = message.reasoning_content %}
        {%- else %}
            {%- if '</think>' in content %}
                {%- set reasoning_content = content.split('</think>')[0].rstrip('\n').split('<think>')[-1].lstrip('\n') %}
                {%- set content = content.split('</think>')[-1].lstrip('\n') %}
            {%- endif %}
        {%- endif %}
        {%- if loop.index0 > ns.last_query_index %}
            {%- if loop.last or (not loop.last and reasoning_content) %}
                {{- '<|im_start|>' + message.role + '\n<think>\n' + reasoning_content.strip('\n') + '\n</think>\n\n' + content.lstrip('\n') }}
            {%- else %}
                {{- '<|im_start|>' + message.role + '\n' + content }}
            {%- endif %}
        {%- else %}
            {{- '<|im_start|>' + message.role + '\n' + content }}
        {%- endif %}
        {%- if message.tool_calls %}
            {%- for tool_call in message.tool_calls %}
                {%- if (loop.first and content) or (not loop.first) %}
                    {{- '\n' }}
                {%- endif %}
                {%- if tool_call.function %}
                    {%- set tool_call = tool_call.function %}
                {%- endif %}
                {{- '<tool_call>\n{"name": "' }}
                {{- tool_call.name }}
                {{- '", "arguments": ' }}
                {%- if tool_call.arguments is string %}
                    {{- tool_call.arguments }}
                {%- else %}
                    {{- tool_call.arguments | tojson }}
                {%- endif %}
                {{- '}\n</tool_call>' }}
            {%- endfor %}
        {%- endif %}
        {{- '<|im_end|>\n' }}
    {%- elif message.role == "tool" %}
        {%- if loop.first or (messages[loop.index0 - 1].role != "tool") %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\n<tool_response>\n' }}
        {{- message.content }}
        {{- '\n</tool_response>' }}
        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
            {{- '<|im_end|>\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\n' }}
    {%- if enable_thinking is defined and enable_thinking is false %}
        {{- '<think>\n\n</think>\n\n' }}
    {%- endif %}
    {%- set cue = namespace(name='') %}
    {%- if messages and messages[-1].role == 'tool' %}
        {%- set cue.name = '<|cue_answer|>' %}
    {%- elif tools and messages and messages[-1].role == 'user' %}
        {%- set cue.name = '<|cue_call|>' %}
        {%- if tools | length >= 2 %}
            {%- for tool in tools %}
                {%- set function = tool.function if tool.function is defined else tool %}
                {%- if function.name == 'get_time' %}
                    {%- set cue.name = '<|cue_two_calls|>' %}
                {%- endif %}
            {%- endfor %}
        {%- endif %}
    {%- elif enable_thinking is defined and enable_thinking is false %}
        {%- set cue.name = '<|cue_plain|>' %}
    {%- else %}
        {%- set cue.name = '<|cue_think|>' %}
    {%- endif %}
    {{- cue.name }}
{%- endif %}"""


# ---- vocabulary ------------------------------------------------------------------------------

def byte_alphabet():
    """GPT-2's bytes_to_unicode: byte -> the printable character standing for it."""
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) +
                 list(range(ord("®"), ord("ÿ") + 1)))
    chars = printable[:]
    n = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(printable, chars)}


def vocabulary():
    """(added tokens [(id, content, special)], successor {id: id}, scripted ids, size)."""
    added = []

    def add(content, special):
        added.append((256 + len(added), content, special))
        return added[-1][0]

    add(END_OF_TEXT, True)
    add(IM_START, True)
    im_end = add(IM_END, True)
    successor = {}
    for cue, pieces in CHAINS.items():
        ids = [add(cue, True)] + [add(piece, False) for piece in pieces]
        for a, b in zip(ids, ids[1:]):
            successor[a] = b
        successor[ids[-1]] = im_end
    contents = [content for _, content, _ in added]
    assert len(set(contents)) == len(contents), "every scripted piece must be a distinct token"
    scripted = sorted(successor)
    return added, successor, scripted, 256 + len(added), im_end


# ---- files ---------------------------------------------------------------------------------

class Tensor:
    """A row-major float32 tensor: shape and a flat array('f'), zeros unless set."""

    def __init__(self, *shape, fill=0.0):
        self.shape = shape
        count = 1
        for n in shape:
            count *= n
        self.values = array.array("f", [fill]) * count

    def __setitem__(self, index, value):  # index: (row, column) of a matrix
        row, column = index
        self.values[row * self.shape[1] + column] = value

    def __getitem__(self, index):
        row, column = index
        return self.values[row * self.shape[1] + column]

    def tobytes(self):
        values = array.array("f", self.values)
        if sys.byteorder == "big":
            values.byteswap()  # safetensors is little-endian
        return values.tobytes()


def write_json(path, value):
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def make(out):
    added, successor, scripted, vocab_size, im_end = vocabulary()
    assert len(scripted) + 1 <= HIDDEN, "one hidden dimension per scripted token, plus one"
    heads, head_dim, intermediate = 2, HIDDEN // 2, 16
    config = {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_size": HIDDEN,
        "intermediate_size": intermediate,
        "num_hidden_layers": 1,
        "num_attention_heads": heads,
        "num_key_value_heads": heads,
        "head_dim": head_dim,
        "vocab_size": vocab_size,
        "max_position_embeddings": 4096,
        "hidden_act": "silu",
        "rms_norm_eps": 1e-6,
        "rope_theta": 10000.0,
        "attention_bias": False,
        "mlp_bias": False,
        "tie_word_embeddings": False,
        "bos_token_id": None,
        "eos_token_id": im_end,
        "torch_dtype": "float32",
    }
    dim = {t: i + 1 for i, t in enumerate(scripted)}  # dimension 0: every other token
    embed = Tensor(vocab_size, HIDDEN)
    lm_head = Tensor(vocab_size, HIDDEN)
    lm_head[im_end, 0] = LOGIT
    for t in range(vocab_size):
        embed[t, dim.get(t, 0)] = 1.0
    for t, d in dim.items():
        lm_head[successor[t], d] = LOGIT

    def zeros(shape):
        return Tensor(*shape)

    def ones(n):
        return Tensor(n, fill=1.0)

    p = "model.layers.0."
    weights = {
        "model.embed_tokens.weight": embed,
        p + "input_layernorm.weight": ones(HIDDEN),
        p + "self_attn.q_proj.weight": zeros((heads * head_dim, HIDDEN)),
        p + "self_attn.k_proj.weight": zeros((heads * head_dim, HIDDEN)),
        p + "self_attn.v_proj.weight": zeros((heads * head_dim, HIDDEN)),
        p + "self_attn.o_proj.weight": zeros((HIDDEN, heads * head_dim)),
        p + "post_attention_layernorm.weight": ones(HIDDEN),
        p + "mlp.gate_proj.weight": zeros((intermediate, HIDDEN)),
        p + "mlp.up_proj.weight": zeros((intermediate, HIDDEN)),
        p + "mlp.down_proj.weight": zeros((HIDDEN, intermediate)),
        "model.norm.weight": ones(HIDDEN),
        "lm_head.weight": lm_head,
    }

    alphabet = byte_alphabet()
    added_json = [{"id": i, "content": c, "single_word": False, "lstrip": False, "rstrip": False,
                   "normalized": False, "special": s} for i, c, s in added]
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added_json,
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False,
                          "use_regex": True},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False,
                           "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False,
                    "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": "", "end_of_word_suffix": "", "fuse_unk": False,
                  "byte_fallback": False, "ignore_merges": False,
                  "vocab": {alphabet[b]: b for b in range(256)}, "merges": []},
    }
    tokenizer_config = {
        "add_bos_token": False,
        "add_prefix_space": False,
        "added_tokens_decoder": {
            str(i): {k: v for k, v in entry.items() if k != "id"}
            for i, entry in ((e["id"], e) for e in added_json)},
        "bos_token": None,
        "eos_token": IM_END,
        "pad_token": END_OF_TEXT,
        "unk_token": None,
        "model_max_length": config["max_position_embeddings"],
        "clean_up_tokenization_spaces": False,
        "errors": "replace",
        "split_special_tokens": False,
        "tokenizer_class": "PreTrainedTokenizerFast",
        "chat_template": CHAT_TEMPLATE,
    }
    generation_config = {"bos_token_id": None, "eos_token_id": [im_end, added[0][0]],
                         "do_sample": False, "pad_token_id": added[0][0]}

    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "config.json", config)
    write_json(out / "generation_config.json", generation_config)
    write_json(out / "tokenizer.json", tokenizer)
    write_json(out / "tokenizer_config.json", tokenizer_config)
    write_json(out / "script.json", SCRIPT)
    write_safetensors(out / "model.safetensors",
                      {name: ("F32", t.tobytes(), t.shape) for name, t in weights.items()})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, help="model folder to write")
    parser.add_argument("--print-script", action="store_true",
                        help="print the scripted texts (SCRIPT) as JSON and exit")
    args = parser.parse_args()
    if args.print_script:
        json.dump(SCRIPT, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    if args.out is None:
        parser.error("OUT_DIR is required (or --print-script)")
    make(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
