"""Load and soak: many sessions on the page at once, and many questions in one process.

The suite runs both in a reduced form; full size:

    .venv/bin/python -m tests.load --sessions 64 --seconds 60      # the page, on loopback
    .venv/bin/python -m tests.load --soak 2000                     # one process, memory
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import shutil
import statistics
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from assistant import Assistant, Settings
from assistant.evaluate.gold import load_gold

REPO = Path(__file__).resolve().parents[1]


def questions() -> list[str]:
    """The gold questions, and each with a typo, so caches see more than a fixed set."""
    asked = [item.question for item in load_gold(REPO / "evals" / "gold.jsonl")]
    rng = random.Random(3)
    typos = []
    for question in asked:
        i = rng.randrange(1, len(question) - 1)
        typos.append(question[:i] + question[i + 1] + question[i] + question[i + 2 :])
    return asked + typos


@dataclass
class LoadReport:
    sessions: int
    seconds: float
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    max_ms: float = 0.0


def run_load(url: str, sessions: int, seconds: float) -> LoadReport:
    """Each session is its own gradio_client Client asking through the chat endpoint, one
    question after another, until the time is up (a bounded loop, loopback only)."""
    from gradio_client import Client

    assert url.startswith(("http://127.0.0.1", "http://localhost")), "loopback only"
    report = LoadReport(sessions, seconds)
    latencies: list[float] = []
    lock = threading.Lock()
    asked = questions()
    deadline = time.monotonic() + seconds

    def session(number: int) -> None:
        rng = random.Random(number)
        client = Client(url, verbose=False)
        while time.monotonic() < deadline:
            question = rng.choice(asked)
            started = time.perf_counter()
            try:
                message = client.predict(question, api_name="/chat")
                failed = None if message and "went wrong" not in message else repr(message)
            except Exception as error:  # any failure a visitor would see
                failed = f"{type(error).__name__}: {error}"
            with lock:
                latencies.append(time.perf_counter() - started)
                if failed:
                    report.errors.append(failed)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies) or [0.0]
    report.requests = len(latencies)
    report.p50_ms = round(1000 * statistics.median(ordered), 1)
    report.p95_ms = round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1)
    report.max_ms = round(1000 * ordered[-1], 1)
    return report


@dataclass
class SoakReport:
    questions: int
    rss_mb_after_warm_up: float = 0.0
    rss_mb_at_end: float = 0.0
    errors: int = 0
    first_errors: list[str] = field(default_factory=list)

    @property
    def growth_mb(self) -> float:
        return round(self.rss_mb_at_end - self.rss_mb_after_warm_up, 1)


def run_soak(settings: Settings, count: int, warm_up: int = 100) -> SoakReport:
    """`count` questions, with follow-ups, in one process; resident memory is read once the
    caches have warmed up and again at the end."""
    assistant = Assistant(settings)
    asked = questions()
    report = SoakReport(count)
    process = psutil.Process()
    previous = None
    for number in range(warm_up + count):
        if number == warm_up:
            gc.collect()
            report.rss_mb_after_warm_up = round(process.memory_info().rss / 2**20, 1)
        question = asked[number % len(asked)]
        history = [previous] if previous and number % 3 == 0 else None
        try:
            answer = assistant.ask(question, history=history)
            previous = (question, answer.text)
        except Exception as error:
            report.errors += 1
            if len(report.first_errors) < 3:
                report.first_errors.append(f"{type(error).__name__}: {error}")
    gc.collect()
    report.rss_mb_at_end = round(process.memory_info().rss / 2**20, 1)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description="Load the page, or soak one process.")
    parser.add_argument("--sessions", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--soak", type=int, default=0, help="questions in one process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        corpus = Path(root) / "corpus"
        shutil.copytree(REPO / "corpus", corpus)
        settings = Settings(corpus_dir=corpus, index_dir=Path(root) / "index")
        Assistant(settings).ingest()
        if args.soak:
            report = run_soak(settings, args.soak)
            print(json.dumps(asdict(report) | {"growth_mb": report.growth_mb}, indent=2))
            return
        from assistant.ui.app import serve
        from tests.helpers import free_port

        settings = settings.model_copy(update={"port": free_port()})
        app = serve(Assistant(settings), block=False)
        try:
            load = run_load(f"http://127.0.0.1:{settings.port}/", args.sessions, args.seconds)
        finally:
            app.close()
        summary = asdict(load) | {"errors": len(load.errors), "first_errors": load.errors[:5]}
        print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
