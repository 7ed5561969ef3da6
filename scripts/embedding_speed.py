"""How fast MiniLM embeds 160-token chunks here, by ONNX Runtime threads and run size, and
through sentence-transformers on PyTorch (what plain llama-index uses), in one process.

    .venv/bin/python scripts/embedding_speed.py [--corpus FOLDER] [--chunks 400]

Without --corpus the chunks come from the benchmark's synthetic articles. Each setting is
timed three times in each of two rounds, rounds interleaved, and its best time is kept,
so a noisy neighbour slows every setting alike. The README's "Embedding speed" table is
this script's output.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from assistant.bench import write_synthetic
from assistant.config import Settings
from assistant.index.embedding import MiniLMEmbedding, ensure_onnx_model, model_files


def chunks_of(folder: Path, count: int, settings: Settings) -> list[str]:
    from llama_index.core import SimpleDirectoryReader
    from llama_index.core.node_parser import SentenceSplitter

    documents = SimpleDirectoryReader(str(folder), recursive=True, exclude_hidden=False).load_data()
    splitter = SentenceSplitter(
        chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap
    )
    return [node.get_content() for node in splitter.get_nodes_from_documents(documents)][:count]


def best_rate(embed: Callable[[list[str]], object], chunks: list[str]) -> float:
    embed(chunks[:32])  # the first run allocates
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for start in range(0, len(chunks), 32):  # as llama-index hands them over
            embed(chunks[start : start + 32])
        best = min(best, time.perf_counter() - started)
    return len(chunks) / best


def _threads(count: int) -> str:
    return {0: "default threads", 1: "1 thread"}.get(count, f"{count} threads")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="a folder of articles")
    parser.add_argument("--chunks", type=int, default=400)
    args = parser.parse_args()
    settings = Settings()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.corpus
        if folder is None:
            folder = Path(scratch)
            write_synthetic(max(10, args.chunks // 5), folder)
        chunks = chunks_of(folder, args.chunks, settings)

    from sentence_transformers import SentenceTransformer

    onnx = ensure_onnx_model(settings.model_cache_dir)
    torch_model = SentenceTransformer(str(model_files()), device="cpu")
    setups: dict[str, Callable[[list[str]], object]] = {
        f"ONNX Runtime, {_threads(threads)}, runs of {size:,} word pieces": MiniLMEmbedding(
            onnx, threads=threads, tokens_per_run=size
        ).embed
        for threads, size in (
            (0, 512),
            (0, 1024),
            (0, 2048),
            (0, 8192),  # all 32 texts in one run
            (1, 1024),
            (2, 1024),
            (3, 1024),
        )
    }
    setups["sentence-transformers on PyTorch, batches of 32"] = torch_model.encode
    rates: dict[str, float] = dict.fromkeys(setups, 0.0)
    for _ in range(2):
        for name, embed in setups.items():
            rates[name] = max(rates[name], best_rate(embed, chunks))
    print(f"{len(chunks)} chunks of up to {settings.chunk_size} tokens\n")
    print("| setting | chunks/s |\n| --- | --- |")
    for name, rate in rates.items():
        print(f"| {name} | {rate:.0f} |")


if __name__ == "__main__":
    main()
