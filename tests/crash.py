"""Kill `assistant ingest` with SIGKILL at random moments while it changes the index, edit
the corpus between kills, then let one ingest finish and compare the index with a clean
build of the same articles.

The test suite runs a small trial; the full one is

    .venv/bin/python -m tests.crash --articles 600 --kills 10
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from assistant import Settings
from assistant.bench import write_synthetic
from assistant.index.store import IndexStore


@dataclass
class CrashTrial:
    articles: int
    # Per killed run: seconds between its journal appearing and the kill.
    kills: list[float] = field(default_factory=list)
    killed_mid_change: int = 0  # kills that left the ingest journal behind
    chunks: int = 0
    missing: list[str] = field(default_factory=list)  # chunks a clean build has and we don't
    extra: list[str] = field(default_factory=list)  # chunks we have and a clean build doesn't
    different: list[str] = field(default_factory=list)  # same id, other text
    duplicate_ids: int = 0
    consistent_records: bool = False  # manifest, BM25 and docstore agree with Chroma

    @property
    def ok(self) -> bool:
        return (
            not (self.missing or self.extra or self.different or self.duplicate_ids)
            and self.consistent_records
        )


def ingest(corpus: Path, index: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "--corpus-dir", str(corpus),
         "--index-dir", str(index), "ingest"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def chunks_of(index: Path, corpus: Path) -> tuple[dict[str, str], int]:
    """Chunk id -> text, and how many ids Chroma returned (duplicates would count twice)."""
    store = IndexStore(Settings(corpus_dir=corpus, index_dir=index))
    found = store.collection.get(include=["documents"])
    return dict(zip(found["ids"], found["documents"], strict=True)), len(found["ids"])


def records_agree(index: Path, corpus: Path, chunks: int) -> bool:
    settings = Settings(corpus_dir=corpus, index_dir=index)
    store = IndexStore(settings)
    manifest = store.check_ready()  # raises if the manifest and Chroma disagree
    articles = len(store.load_docstore().get_all_document_hashes())
    keyword_chunks = int(store.load_bm25().bm25.scores["num_docs"])
    return (
        manifest.chunks == chunks == keyword_chunks
        and manifest.articles == articles
        and not settings.journal_path.exists()
    )


def edit_corpus(corpus: Path, rng: random.Random, changes: int) -> None:
    """A user at work between crashes: some articles changed, one deleted, one added."""
    files = sorted(corpus.glob("*.md"))
    *changed, deleted = rng.sample(files, min(changes + 1, len(files)))
    for path in changed:
        path.write_text(path.read_text() + f"\n\nUpdate {rng.random():.6f}: talks resumed.\n")
    deleted.unlink()
    extra = corpus / f"late-{rng.randrange(10**6)}.md"
    extra.write_text(f"Late report\n\n{files[0].read_text()}\nA late paragraph.\n")


def run_trial(
    root: Path, articles: int, kills: int, seed: int = 7, within: float = 4.0
) -> CrashTrial:
    """Each round starts an ingest and, once it has begun changing the index (its journal
    appears), kills it at a random moment up to `within` seconds later; then the corpus
    is edited. A round whose ingest finishes first is not counted as a kill."""
    rng = random.Random(seed)
    corpus, index = root / "corpus", root / "index"
    corpus.mkdir(parents=True)
    write_synthetic(articles, corpus)
    journal = Settings(index_dir=index).journal_path

    trial = CrashTrial(articles=articles)
    for _ in range(kills):
        process = ingest(corpus, index)
        while process.poll() is None and not journal.exists():
            time.sleep(0.05)
        delay = rng.uniform(0, within)
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()
            trial.kills.append(round(delay, 2))
            trial.killed_mid_change += journal.exists()
        else:
            assert process.returncode == 0
        edit_corpus(corpus, rng, changes=max(3, articles // 20))
    assert ingest(corpus, index).wait() == 0
    assert ingest(corpus, root / "clean").wait() == 0

    ours, returned = chunks_of(index, corpus)
    clean, _ = chunks_of(root / "clean", corpus)
    trial.chunks = len(ours)
    trial.duplicate_ids = returned - len(ours)
    trial.missing = sorted(set(clean) - set(ours))
    trial.extra = sorted(set(ours) - set(clean))
    trial.different = sorted(i for i in set(ours) & set(clean) if ours[i] != clean[i])
    trial.consistent_records = records_agree(index, corpus, len(ours))
    return trial


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--within", type=float, default=4.0, help="seconds, see run_trial")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        trial = run_trial(Path(root), args.articles, args.kills, args.seed, args.within)
    print(json.dumps(asdict(trial) | {"ok": trial.ok}, indent=2))
    sys.exit(0 if trial.ok else 1)


if __name__ == "__main__":
    main()
