"""`assistant bench`: where the time goes, side by side with plain llama-index pipelines.

Each corpus is measured in fresh processes, ours and then two peers: cold ingest (by
stage, for ours) and re-ingest of the unchanged corpus, warm question latency, peak
memory, and cold start (process start to first answer). The peers are what a llama-index
user writes: `SimpleDirectoryReader`, `VectorStoreIndex.from_documents` over a Chroma
collection and `as_retriever()`, embedding with the same MiniLM weights through
`HuggingFaceEmbedding` (sentence-transformers on PyTorch). "plain" keeps llama-index's
default chunking (1,024 tokens, of which MiniLM reads the first 256 word pieces);
"plain, our chunks" splits as we do, so it does the same embedding work. Neither has an
answerer, so their latency is retrieval alone.
"""

from __future__ import annotations

import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.config import Settings

CORPORA = ("articles", "rgb", "synthetic-600", "synthetic-6000")
SYSTEMS = ("ours", "plain", "plain-our-chunks")
_SEED = 20261123


# --- corpora ------------------------------------------------------------------------------


def prepare_corpus(name: str, settings: Settings, root: Path, rgb_data: Path | None) -> Path:
    """The folder of articles for a named corpus, made once under `root`."""
    if name == "articles":
        return settings.corpus_dir.resolve()
    folder = root / "corpora" / name
    if folder.exists():
        return folder
    staging = folder.with_name(folder.name + ".tmp")
    staging.mkdir(parents=True, exist_ok=True)
    if name == "rgb":
        from assistant.evaluate.rgb import load_rgb, write_corpus
        from assistant.evaluate.runner import DEFAULT_DATA

        write_corpus(load_rgb(rgb_data or DEFAULT_DATA["rgb"]), staging, with_counterfactual=False)
    elif name.startswith("synthetic-"):
        write_synthetic(int(name.split("-")[1]), staging)
    else:
        raise ValueError(f"unknown corpus {name!r}: choose from {', '.join(CORPORA)}")
    staging.rename(folder)
    return folder


def questions_for(name: str, rgb_data: Path | None, count: int) -> list[str]:
    if name == "articles":
        from assistant.evaluate.gold import load_gold
        from assistant.evaluate.runner import DEFAULT_DATA

        found = [item.question for item in load_gold(DEFAULT_DATA["gold"]) if not item.history]
    elif name == "rgb":
        from assistant.evaluate.rgb import load_rgb
        from assistant.evaluate.runner import DEFAULT_DATA

        found = [item.query for item in load_rgb(rgb_data or DEFAULT_DATA["rgb"])]
    else:
        found = synthetic_questions(count)
    return found[:count]


_FIRST = (
    "Amara Ilse Tomas Priya Jonas Leila Mateo Sanna Kofi Elif Ruben Mira Dmitri Hana Oskar "
    "Nadia Felix Ines Yusuf Greta Arjun Lucia Henrik Zara Pavel Noor Emil Carla Idris Vera"
).split()
_LAST = (
    "Okafor Lindqvist Moreau Varga Castell Haddad Novak Brandt Ferreira Kowalski Sato "
    "Ibrahim Jensen Rossi Petrova Mendes Adeyemi Laurent Horvath Nakamura Weber Duarte "
    "Kaplan Osei Romero Nilsen Popescu Tanaka Fischer Quint"
).split()
_CITIES = (
    "Lisbon Tallinn Nairobi Osaka Valparaiso Krakow Tbilisi Bergen Accra Porto Ljubljana "
    "Medellin Gdansk Tartu Mombasa Sapporo Cordoba Trieste Aarhus Kumasi Plovdiv Izmir "
    "Cusco Riga Dakar Split Lyon Vilnius Durban Hobart"
).split()
_TOPICS = (
    "grain exports|port tariffs|rail freight|offshore wind|water rights|fishing quotas|"
    "steel prices|cross-border power|vaccine supply|rare earth mining|canal tolls|"
    "migrant labour|carbon credits|river dredging|satellite licences|airline slots|"
    "copper smelting|textile duties|coffee futures|lithium permits"
).split("|")
_BODIES = (
    "Council Ministry Authority Commission Agency Federation Board Union Alliance Institute"
).split()
_SENTENCES = (
    "{person} said the {topic} dispute had cost the region {number} million dollars since {year}.",
    "Talks on {topic} resumed in {city} on {weekday}, with {person} leading the delegation.",
    "The {org} proposed capping {topic} at {number} percent for the next {small} years.",
    '{person}, who chairs the {org}, called the plan for {topic} "unworkable" in {city}.',
    "Officials in {city} expect a decision on {topic} before {month} {year}.",
    "According to the {org}, {number} companies rely on {topic} in and around {city}.",
    "{person} met {person2} in {city} to discuss {topic} and a possible joint fund.",
    "A report by the {org} found that {topic} rose by {small} percent in {year}.",
    "Critics in {city} argue the rules on {topic} favour large firms over small ones.",
    "The agreement on {topic}, signed in {city} in {month} {year}, expires in {year2}.",
    "{person} warned that without a deal on {topic} prices could double by {year2}.",
    "Residents of {city} protested on {weekday} against new limits on {topic}.",
)
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _fill(template: str, rng: random.Random, focus: dict[str, str]) -> str:
    values = {
        "person": focus["person"] if rng.random() < 0.5 else _person(rng),
        "person2": _person(rng),
        "city": focus["city"] if rng.random() < 0.5 else rng.choice(_CITIES),
        "topic": focus["topic"] if rng.random() < 0.6 else rng.choice(_TOPICS),
        "org": focus["org"],
        "number": str(rng.randint(12, 980)),
        "small": str(rng.randint(2, 19)),
        "year": str(rng.randint(2009, 2025)),
        "year2": str(rng.randint(2026, 2035)),
        "weekday": rng.choice(_WEEKDAYS),
        "month": rng.choice(_MONTHS),
    }
    return template.format(**values)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def write_synthetic(count: int, folder: Path) -> None:
    """`count` article-length documents (about 450 words), deterministic for the seed.

    Each article centres on one person, city, topic and institution, so a question about
    that combination has one right article among many that share some of its words.
    """
    rng = random.Random(_SEED)
    for number in range(count):
        focus = {
            "person": _person(rng),
            "city": rng.choice(_CITIES),
            "topic": rng.choice(_TOPICS),
            "org": f"{rng.choice(_CITIES)} {rng.choice(_BODIES)}",
        }
        title = f"{focus['person']} pushes {focus['topic']} deal in {focus['city']}"
        paragraphs = [
            " ".join(_fill(rng.choice(_SENTENCES), rng, focus) for _ in range(rng.randint(3, 5)))
            for _ in range(7)
        ]
        text = f"# {title}\n\n" + "\n\n".join(paragraphs) + "\n"
        (folder / f"article-{number:05d}.md").write_text(text, encoding="utf-8")


def synthetic_questions(count: int) -> list[str]:
    rng = random.Random(_SEED + 1)
    templates = (
        "Who led the delegation at the {topic} talks in {city}?",
        "What did the {org} propose for {topic}?",
        "When do officials in {city} expect a decision on {topic}?",
        "How many companies rely on {topic} around {city}?",
    )
    return [
        rng.choice(templates).format(
            topic=rng.choice(_TOPICS),
            city=rng.choice(_CITIES),
            org=f"{rng.choice(_CITIES)} {rng.choice(_BODIES)}",
        )
        for _ in range(count)
    ]


# --- one system on one corpus, in its own process -----------------------------------------


def measure_ours(
    corpus: Path, index: Path, questions: list[str], profiled: list[str]
) -> dict[str, Any]:
    """`profiled`: other questions, asked under a profiler once the timing is done."""
    from assistant.core import Assistant

    assistant = Assistant(Settings(corpus_dir=corpus, index_dir=index))
    started = time.perf_counter()
    report = assistant.ingest()
    cold = time.perf_counter() - started
    started = time.perf_counter()
    assistant.ingest()
    again = time.perf_counter() - started
    assistant.ask(questions[0])  # loads the models: not a warm question
    timings = [assistant.ask(q).timings for q in questions]
    stages = dict(report.stages)
    stages["other"] = cold - sum(stages.values())
    return {
        "chunks": report.chunks,
        "ingest_s": cold,
        "chunks_per_s": report.chunks / cold,
        "ingest_stages_s": stages,
        "reingest_s": again,
        **_latencies([t["retrieve"] for t in timings], "retrieve"),
        **_latencies([t["answer"] for t in timings], "answer"),
        **_latencies([t["total"] for t in timings], "total"),
        "question_parts_ms": question_profile(assistant.ask, profiled or questions),
        "peak_mb": _peak_mb(),
    }


# The heavy parts of a question, each known by the functions through which it is entered
# (spaCy reads texts in batches through `pipe`, and tags a doc read before by a call).
_QUESTION_PARTS = {
    "embedding model (question, sentences)": (
        "onnxruntime/capi/onnxruntime_inference_collection.py",
        ("run",),
    ),
    "spaCy (question, chosen sentences)": ("spacy/language.py", ("__call__", "pipe")),
    "Chroma query": ("chromadb/api/models/Collection.py", ("query",)),
    "BM25 query": ("llama_index/retrievers/bm25/base.py", ("_retrieve",)),
}


def question_profile(ask: Callable[[str], object], questions: list[str]) -> dict[str, float]:
    """Milliseconds per question in each heavy part and in the rest, under cProfile, whose
    overhead slows pure-Python code most: "the rest" is somewhat overstated. The
    questions should be new to the process, or its caches hide the work."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.runcall(lambda: [ask(question) for question in questions])
    whole = time.perf_counter() - started
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    parts = {
        part: sum(
            cumulative
            for (filename, _, function), (_, _, _, cumulative, _) in stats.items()
            if function in names and filename.replace("\\", "/").endswith(suffix)
        )
        for part, (suffix, names) in _QUESTION_PARTS.items()
    }
    parts["the rest"] = whole - sum(parts.values())
    return {part: 1000 * seconds / len(questions) for part, seconds in parts.items()}


def plain_embed_model() -> Any:
    """MiniLM as a llama-index user loads it: sentence-transformers on PyTorch."""
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    from assistant.index.embedding import model_files

    return HuggingFaceEmbedding(model_name=str(model_files()), device="cpu")


def measure_plain(
    corpus: Path, index: Path, questions: list[str], *, our_chunks: bool
) -> dict[str, Any]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.vector_stores.chroma import ChromaVectorStore

    embed = plain_embed_model()
    settings = Settings()
    # None: llama-index's default transformations (a SentenceSplitter of 1,024 tokens).
    transformations = (
        [SentenceSplitter(chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap)]
        if our_chunks
        else None
    )
    client = chromadb.PersistentClient(
        path=str(index / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )

    def build(name: str) -> tuple[VectorStoreIndex, int, float]:
        started = time.perf_counter()
        documents = SimpleDirectoryReader(
            str(corpus), recursive=True, exclude_hidden=False
        ).load_data()
        collection = client.get_or_create_collection(name)
        storage = StorageContext.from_defaults(
            vector_store=ChromaVectorStore(chroma_collection=collection)
        )
        built = VectorStoreIndex.from_documents(
            documents, storage_context=storage, embed_model=embed, transformations=transformations
        )
        return built, collection.count(), time.perf_counter() - started

    index_, chunks, cold = build("cold")
    measured: dict[str, Any] = {"chunks": chunks, "ingest_s": cold, "chunks_per_s": chunks / cold}
    if not our_chunks:  # the same work again: measured once is enough
        # The plain pipeline keeps no record of what it ingested: "re-ingest" redoes it all.
        measured["reingest_s"] = build("again")[2]
    retriever = index_.as_retriever()
    retriever.retrieve(questions[0])
    seconds = []
    for question in questions:
        started = time.perf_counter()
        retriever.retrieve(question)
        seconds.append(time.perf_counter() - started)
    return measured | {
        **_latencies(seconds, "retrieve"),
        **_latencies(seconds, "total"),
        "peak_mb": _peak_mb(),
    }


def _latencies(seconds: list[float], name: str) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        f"{name}_p50_ms": 1000 * statistics.median(ordered),
        f"{name}_p95_ms": 1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
    }


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- cold starts ---------------------------------------------------------------------------

_PLAIN_COLD = """
import sys, chromadb
from chromadb.config import Settings
from llama_index.core import VectorStoreIndex
from llama_index.vector_stores.chroma import ChromaVectorStore
from assistant.bench import plain_embed_model
client = chromadb.PersistentClient(path=sys.argv[1], settings=Settings(anonymized_telemetry=False))
store = ChromaVectorStore(chroma_collection=client.get_collection("cold"))
index = VectorStoreIndex.from_vector_store(store, embed_model=plain_embed_model())
print(index.as_retriever().retrieve(sys.argv[2])[0].node.get_content()[:80])
"""


def cold_start_s(command: list[str], env: dict[str, str] | None = None, runs: int = 3) -> float:
    """The median of a few fresh processes: one start alone varies by a few tenths of a
    second on these machines."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env, timeout=600)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def page_ready_s(corpus: Path, index: Path) -> float:
    import os
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = os.environ | {"ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_INDEX_DIR": str(index)}
    started = time.perf_counter()
    server = subprocess.Popen(
        [_assistant_bin(), "chat", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                return time.perf_counter() - started
            except OSError:
                if server.poll() is not None or time.perf_counter() - started > 120:
                    raise RuntimeError("the page did not come up") from None
                time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _assistant_bin() -> str:
    return str(Path(sys.executable).with_name("assistant"))


# --- the whole run -------------------------------------------------------------------------


def corpus_tokens(corpus: Path) -> int:
    """The corpus's size in tokens (tiktoken cl100k_base), the same yardstick for every
    system however it chunks."""
    from llama_index.core.utils import get_tokenizer

    tokens = get_tokenizer()
    return sum(
        len(tokens(path.read_text(encoding="utf-8", errors="replace")))
        for path in sorted(corpus.rglob("*"))
        if path.is_file()
    )


def run_bench(
    settings: Settings,
    corpora: list[str],
    questions: int,
    rgb_data: Path | None,
    log: Any = print,
    save: Any = None,
    systems: tuple[str, ...] = SYSTEMS,
) -> dict[str, dict[str, Any]]:
    """Measure each corpus in turn; `save(results)` is called after each, so a long run
    that is stopped keeps what it measured. `systems` may leave the peers out (on the
    6,000-document corpus they take most of an hour)."""
    import os

    root = settings.index_dir.resolve() / "bench"
    results: dict[str, dict[str, Any]] = {}
    for name in corpora:
        corpus = prepare_corpus(name, settings, root, rgb_data)
        # Asked, then asked under the profiler: new to the process, so no cache hides work.
        pool = questions_for(name, rgb_data, 2 * questions)
        asked, profiled = pool[:questions], pool[questions:]
        tokens = corpus_tokens(corpus)
        results[name] = {}
        for system in systems:
            index = root / "indexes" / f"{name}-{system}-{time.time_ns()}"
            log(f"{name}: measuring {system} …")
            worker = subprocess.run(
                [sys.executable, "-m", "assistant.bench", system, str(corpus), str(index)],
                input=json.dumps({"questions": asked, "profiled": profiled}),
                capture_output=True,
                text=True,
            )
            if worker.returncode != 0:
                raise RuntimeError(f"{name}/{system} failed:\n{worker.stderr[-3000:]}")
            measured = json.loads(worker.stdout.splitlines()[-1])
            measured["tokens_per_s"] = tokens / measured["ingest_s"]
            if system == "ours":
                env = os.environ | {
                    "ASSISTANT_CORPUS_DIR": str(corpus),
                    "ASSISTANT_INDEX_DIR": str(index),
                }
                measured["cold_ask_s"] = cold_start_s([_assistant_bin(), "ask", asked[0]], env)
                if name == "articles":
                    measured["page_ready_s"] = page_ready_s(corpus, index)
            elif system == "plain":  # the other peer starts up the same way
                measured["cold_ask_s"] = cold_start_s(
                    [sys.executable, "-c", _PLAIN_COLD, str(index / "chroma"), asked[0]]
                )
            results[name][system] = measured
            shutil.rmtree(index, ignore_errors=True)  # half a gigabyte at 6,000 articles
        if save is not None:
            save(results)
    return results


ROWS = (
    ("chunks", "chunks", "{:.0f}"),
    ("ingest_s", "cold ingest (s)", "{:.1f}"),
    ("chunks_per_s", "ingest chunks/s", "{:.0f}"),
    ("tokens_per_s", "ingest corpus tokens/s", "{:.0f}"),
    ("reingest_s", "re-ingest unchanged (s)", "{:.2f}"),
    ("total_p50_ms", "warm question p50 (ms)", "{:.1f}"),
    ("total_p95_ms", "warm question p95 (ms)", "{:.1f}"),
    ("retrieve_p50_ms", "  retrieval p50 (ms)", "{:.1f}"),
    ("answer_p50_ms", "  answering p50 (ms)", "{:.1f}"),
    ("cold_ask_s", "cold start to first answer (s)", "{:.2f}"),
    ("page_ready_s", "run command to ready page (s)", "{:.2f}"),
    ("peak_mb", "peak memory (MB)", "{:.0f}"),
)


def markdown_table(results: dict[str, dict[str, Any]]) -> str:
    lines = []
    for name, systems in results.items():
        ours = systems["ours"]
        peers = [peer for peer in SYSTEMS[1:] if peer in systems]
        lines += [f"### {name}", ""]
        header = ["figure", "ours", *[cell for p in peers for cell in (p, f"ours / {p}")]]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("| --- " * len(header) + "|")
        for key, label, fmt in ROWS:
            if key not in ours:
                continue
            cells = [label, fmt.format(ours[key])]
            for peer in peers:
                theirs = systems[peer].get(key)
                cells.append(fmt.format(theirs) if theirs is not None else "–")
                cells.append(f"{ours[key] / theirs:.2f}" if theirs else "–")
            lines.append("| " + " | ".join(cells) + " |")
        stages = ours.get("ingest_stages_s")
        if stages:
            lines += ["", "Where our cold ingest's time goes:", ""]
            lines += ["| stage | seconds | share |", "| --- | --- | --- |"]
            for stage, seconds in sorted(stages.items(), key=lambda item: -item[1]):
                lines.append(f"| {stage} | {seconds:.2f} | {seconds / ours['ingest_s']:.0%} |")
            rest = ours["ingest_s"] - stages.get("embed", 0.0)
            lines.append(f"| all but embed | {rest:.2f} | {rest / ours['ingest_s']:.1%} |")
        parts = ours.get("question_parts_ms")
        if parts:
            lines += ["", "Where a warm question's time goes (profiled):", ""]
            lines += ["| part | ms per question |", "| --- | --- |"]
            lines += [f"| {part} | {ms:.1f} |" for part, ms in parts.items()]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    _system, _corpus, _index = sys.argv[1:4]
    _asked = json.loads(sys.stdin.read())
    _questions = _asked["questions"]
    if _system == "ours":
        _measured = measure_ours(Path(_corpus), Path(_index), _questions, _asked["profiled"])
    else:
        _our_chunks = _system == "plain-our-chunks"
        _measured = measure_plain(Path(_corpus), Path(_index), _questions, our_chunks=_our_chunks)
    print(json.dumps(_measured))
