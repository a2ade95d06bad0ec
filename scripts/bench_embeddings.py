#!/usr/bin/env python3
"""Embedding throughput through the real stack (Python 3 standard library only).

Starts fastchat-controller, one fastchat-worker and fastchat-server on 127.0.0.1 ephemeral ports
(tests/e2e/harness.py, which stops them on exit), then sends /v1/embeddings requests from C client
threads, each embedding B texts of about T tokens, and prints inputs/s and tokens/s. The worker
runs with the harness's --threads 1.

    scripts/bench_embeddings.py [--model-dir DIR] [--requests 64] [--batch 16] [--clients 4]
                                [--words 48]

Binaries come from build/bin (or FASTCHAT_{CONTROLLER,WORKER,SERVER}_BIN); the default model is
models/stories260K."""

import argparse
import concurrent.futures
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))
import harness  # noqa: E402

WORDS = ("once upon a time there was a little girl who liked to play in the park with her dog "
         "and one day they found a big red ball under a tree").split()


def texts(count, words, offset):
    return [" ".join(WORDS[(offset + i + j) % len(WORDS)] for j in range(words))
            for i in range(count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=harness.MODEL_DIR)
    parser.add_argument("--requests", type=int, default=64)
    parser.add_argument("--batch", type=int, default=16, help="texts per request")
    parser.add_argument("--clients", type=int, default=4, help="requests in flight")
    parser.add_argument("--words", type=int, default=48, help="words per text")
    args = parser.parse_args()
    name = args.model_dir.name
    stack = harness.Stack(model_names=name)
    stack.start_controller()
    stack.start_worker(name, model_dir=args.model_dir)
    stack.server = stack.start_server(wait_models=[name])
    try:
        def one(i):
            r = harness.post(stack.server.url, "/v1/embeddings",
                             {"model": name, "input": texts(args.batch, args.words, i)})
            if r.status != 200:
                raise RuntimeError(f"HTTP {r.status}: {r.body[:200]}")
            return r.json()["usage"]["prompt_tokens"]

        one(0)  # warm-up
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            tokens = sum(pool.map(one, range(args.requests)))
        seconds = time.monotonic() - started
        inputs = args.requests * args.batch
        print(f"{name}: {args.requests} requests x {args.batch} texts ({tokens / inputs:.0f} tokens "
              f"each), {args.clients} in flight: {seconds:.2f} s, {inputs / seconds:.0f} inputs/s, "
              f"{tokens / seconds:.0f} tokens/s")
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
