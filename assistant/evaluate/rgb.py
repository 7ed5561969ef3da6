"""The RGB benchmark (Chen et al., AAAI 2024), English counterfactual set, as a public check.

Its news snippets become a corpus of their own (one article per passage, kept under the
index folder, never in the project); each question is asked once and scored exactly as
RGB's `evalue.py` scores it. The data is read from where it lies (by default
`../shared/benchmarks/rgb/`); nothing of it is copied into the repository.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.core import Assistant
from assistant.evaluate.metrics import ItemResult, cited_sources
from assistant.evaluate.runner import SuiteResult

DATA_FILE = "en_fact.json"


@dataclass(frozen=True)
class RgbItem:
    id: int
    query: str
    answer: list[Any]  # each entry a string, or a list of alternative strings
    positive: list[str]
    negative: list[str]
    positive_wrong: list[str]
    fake_answer: str | None


def load_rgb(data: Path) -> list[RgbItem]:
    path = data
    if path.is_dir():
        path = path / DATA_FILE
    if not path.exists():
        raise FileNotFoundError(f"No RGB data at {path}: pass --data PATH/TO/{DATA_FILE}.")
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            answer = raw["answer"] if isinstance(raw["answer"], list) else [raw["answer"]]
            items.append(
                RgbItem(
                    id=raw["id"],
                    query=raw["query"],
                    answer=answer,
                    positive=raw.get("positive", []),
                    negative=raw.get("negative", []),
                    positive_wrong=raw.get("positive_wrong", []),
                    fake_answer=raw.get("fakeanswer"),
                )
            )
    return items


def rgb_correct(prediction: str, answer: list[Any]) -> bool:
    """RGB's `checkanswer`: every expected entry must occur in the lower-cased response;
    an entry that is a list is satisfied by any one of its alternatives."""
    text = prediction.lower()
    labels = []
    for expected in answer:
        if isinstance(expected, list):
            labels.append(any(alternative.lower() in text for alternative in expected))
        else:
            labels.append(expected.lower() in text)
    return bool(labels) and all(labels)


def run_rgb(settings: Settings, data: Path, with_counterfactual: bool = False) -> SuiteResult:
    items = load_rgb(data)
    name = "rgb-counterfactual" if with_counterfactual else "rgb"
    root = settings.index_dir / "eval" / name
    corpus = write_corpus(items, root / "corpus", with_counterfactual)
    assistant = Assistant(
        settings.model_copy(update={"corpus_dir": corpus, "index_dir": root / "index"})
    )
    assistant.ingest()

    results = []
    disagreements = 0
    fooled = 0
    for item in items:
        answer = assistant.ask(item.query)
        passages = [passage.text for passage in answer.passages]
        positives = {passage_file_name(text) for text in item.positive}
        ranks = [
            rank for rank, passage in enumerate(answer.passages, 1) if passage.source in positives
        ]
        correct = not answer.abstained and rgb_correct(answer.text, item.answer)
        disagreements += answer.disagreement
        if item.fake_answer and item.fake_answer.lower() in answer.text.lower():
            fooled += not correct or not answer.disagreement
        results.append(
            ItemResult(
                id=str(item.id),
                question=item.query,
                answerable=True,
                abstained=answer.abstained,
                answer=answer.text,
                retrieved=passages,
                seconds=answer.timings.get("total", 0.0),
                cited=cited_sources(answer),
                hit=bool(ranks),
                reciprocal_rank=1 / ranks[0] if ranks else 0.0,
                fact_recall=float(correct),
                correct=correct,
                missing_facts=[] if correct else [_first_alternative(item.answer)],
            )
        )
    seconds = sorted(r.seconds for r in results)
    summary: dict[str, float] = {
        "questions": len(results),
        "accuracy": round(statistics.fmean(r.correct for r in results), 4),
        "retrieval_hit": round(statistics.fmean(bool(r.hit) for r in results), 4),
        "retrieval_mrr": round(statistics.fmean(r.reciprocal_rank or 0.0 for r in results), 4),
        "abstained": round(statistics.fmean(r.abstained for r in results), 4),
        "latency_p50_ms": round(1000 * statistics.median(seconds), 1),
    }
    if with_counterfactual:
        summary["disagreement_shown"] = round(disagreements / len(results), 4)
        summary["fake_answer_stated_as_fact"] = round(fooled / len(results), 4)
    return SuiteResult(
        suite=name,
        settings={"top_k": settings.top_k, "chunk_size": settings.chunk_size},
        summary=summary,
        items=results,
    )


def write_corpus(items: list[RgbItem], folder: Path, with_counterfactual: bool) -> Path:
    """Each passage as an article file named by its content, written once."""
    passages = {
        text
        for item in items
        for text in [
            *item.positive,
            *item.negative,
            *(item.positive_wrong if with_counterfactual else []),
        ]
    }
    wanted = {passage_file_name(text): text for text in passages}
    if folder.exists() and {p.name for p in folder.iterdir()} != set(wanted):
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in wanted.items():
        path = folder / name
        if not path.exists():
            path.write_text(text + "\n", encoding="utf-8")
    return folder


def passage_file_name(passage: str) -> str:
    return hashlib.sha256(passage.encode()).hexdigest()[:16] + ".txt"


def _first_alternative(answer: list[Any]) -> str:
    first = answer[0]
    return first[0] if isinstance(first, list) else first
