"""`assistant bench`: where the time goes, side by side with a plain llama-index pipeline.

Each corpus is measured in fresh processes, ours and then the baseline's: cold ingest and
re-ingest of the unchanged corpus, warm question latency, peak memory, and cold start
(process start to first answer). The baseline is what llama-index gives by default:
`SimpleDirectoryReader`, `VectorStoreIndex.from_documents` over a Chroma collection with
its default chunking, and `as_retriever()` with default settings, on the same embedding
model. It has no answerer, so its latency is retrieval alone.
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from assistant.config import Settings

CORPORA = ("articles", "rgb", "synthetic-600", "synthetic-6000")
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


def measure_ours(corpus: Path, index: Path, questions: list[str]) -> dict[str, Any]:
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
    return {
        "chunks": report.chunks,
        "ingest_s": cold,
        "chunks_per_s": report.chunks / cold,
        "reingest_s": again,
        **_latencies([t["retrieve"] for t in timings], "retrieve"),
        **_latencies([t["answer"] for t in timings], "answer"),
        **_latencies([t["total"] for t in timings], "total"),
        "peak_mb": _peak_mb(),
    }


def measure_plain(corpus: Path, index: Path, questions: list[str]) -> dict[str, Any]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from assistant.index.embedding import load_embed_model

    embed = load_embed_model(precision="fp32")  # plain: the weights as shipped
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
            documents, storage_context=storage, embed_model=embed
        )
        return built, collection.count(), time.perf_counter() - started

    index_, chunks, cold = build("cold")
    # The plain pipeline keeps no record of what it ingested: "re-ingest" redoes it all.
    _, _, again = build("again")
    retriever = index_.as_retriever()
    retriever.retrieve(questions[0])
    seconds = []
    for question in questions:
        started = time.perf_counter()
        retriever.retrieve(question)
        seconds.append(time.perf_counter() - started)
    return {
        "chunks": chunks,
        "ingest_s": cold,
        "chunks_per_s": chunks / cold,
        "reingest_s": again,
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
from assistant.index.embedding import load_embed_model
client = chromadb.PersistentClient(path=sys.argv[1], settings=Settings(anonymized_telemetry=False))
store = ChromaVectorStore(chroma_collection=client.get_collection("cold"))
index = VectorStoreIndex.from_vector_store(store, embed_model=load_embed_model(precision="fp32"))
print(index.as_retriever().retrieve(sys.argv[2])[0].node.get_content()[:80])
"""


def cold_start_s(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env, timeout=600)
    return time.perf_counter() - started


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


def run_bench(
    settings: Settings,
    corpora: list[str],
    questions: int,
    rgb_data: Path | None,
    log: Any = print,
    save: Any = None,
) -> dict[str, dict[str, Any]]:
    """Measure each corpus in turn; `save(results)` is called after each, so a long run
    that is stopped keeps what it measured."""
    import os

    root = settings.index_dir.resolve() / "bench"
    results: dict[str, dict[str, Any]] = {}
    for name in corpora:
        corpus = prepare_corpus(name, settings, root, rgb_data)
        asked = questions_for(name, rgb_data, questions)
        results[name] = {}
        for system in ("ours", "plain"):
            index = root / "indexes" / f"{name}-{system}-{time.time_ns()}"
            log(f"{name}: measuring {system} …")
            worker = subprocess.run(
                [sys.executable, "-m", "assistant.bench", system, str(corpus), str(index)],
                input=json.dumps(asked),
                capture_output=True,
                text=True,
            )
            if worker.returncode != 0:
                raise RuntimeError(f"{name}/{system} failed:\n{worker.stderr[-3000:]}")
            results[name][system] = json.loads(worker.stdout.splitlines()[-1])
            if system == "ours":
                env = os.environ | {
                    "ASSISTANT_CORPUS_DIR": str(corpus),
                    "ASSISTANT_INDEX_DIR": str(index),
                }
                results[name][system]["cold_ask_s"] = cold_start_s(
                    [_assistant_bin(), "ask", asked[0]], env
                )
                if name == "articles":
                    results[name][system]["page_ready_s"] = page_ready_s(corpus, index)
            else:
                results[name][system]["cold_ask_s"] = cold_start_s(
                    [sys.executable, "-c", _PLAIN_COLD, str(index / "chroma"), asked[0]]
                )
        if save is not None:
            save(results)
    return results


ROWS = (
    ("chunks", "chunks", "{:.0f}"),
    ("ingest_s", "cold ingest (s)", "{:.1f}"),
    ("chunks_per_s", "ingest chunks/s", "{:.0f}"),
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
        ours, plain = systems["ours"], systems["plain"]
        lines += [f"### {name}", "", "| figure | ours | plain llama-index | ours / plain |"]
        lines += ["| --- | --- | --- | --- |"]
        for key, label, fmt in ROWS:
            if key not in ours:
                continue
            mine = fmt.format(ours[key])
            theirs = fmt.format(plain[key]) if key in plain else "–"
            ratio = f"{ours[key] / plain[key]:.2f}" if plain.get(key) else "–"
            lines.append(f"| {label} | {mine} | {theirs} | {ratio} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    _system, _corpus, _index = sys.argv[1:4]
    _questions = json.loads(sys.stdin.read())
    _measure = measure_ours if _system == "ours" else measure_plain
    print(json.dumps(_measure(Path(_corpus), Path(_index), _questions)))
