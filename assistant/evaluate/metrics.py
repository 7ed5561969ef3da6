"""Deterministic answer-quality measures: no judge model, only string and citation checks."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from assistant.answer.support import Support
from assistant.answer.types import Answer
from assistant.evaluate.gold import GoldItem
from assistant.language.text import normalized

_MARKED_SENTENCE = re.compile(r"\s*(.+?)\s*((?:\[\d+\])+)|\s*(.+?)\s*$", re.DOTALL)
_MARKER = re.compile(r"\[(\d+)\]")


def states(answer_text: str, aliases: tuple[str, ...]) -> bool:
    plain = normalized(answer_text)
    return any(normalized(alias) in plain for alias in aliases)


def marked_sentences(answer_text: str) -> list[tuple[str, list[int]]]:
    """The answer as (sentence, its citation numbers) pairs; a sentence may have none."""
    found = []
    for match in _MARKED_SENTENCE.finditer(answer_text):
        sentence = (match.group(1) or match.group(3) or "").strip()
        markers = [int(n) for n in _MARKER.findall(match.group(2) or "")]
        if sentence:
            found.append((sentence, markers))
    return found


def cited_sources(answer: Answer) -> list[str]:
    return list(dict.fromkeys(citation.source for citation in answer.citations))


@dataclass
class ItemResult:
    id: str
    question: str
    answerable: bool
    abstained: bool
    answer: str
    retrieved: list[str]
    seconds: float
    tags: list[str] = field(default_factory=list)
    hit: bool | None = None
    reciprocal_rank: float | None = None
    fact_recall: float | None = None
    correct: bool = False
    markers: int = 0
    supported_markers: int = 0
    sentences: int = 0
    supported_sentences: int = 0
    missing_facts: list[str] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)  # the sources of the cited passages
    answered_by: str = "extractive"
    # A model's answer: what verification did to it (see Answer.verification).
    verification: dict[str, int] | None = None


def score_item(
    item: GoldItem, answer: Answer, retrieved_texts: list[str], support: Support
) -> ItemResult:
    result = ItemResult(
        id=item.id,
        question=item.question,
        answerable=item.answerable,
        abstained=answer.abstained,
        answer=answer.text,
        retrieved=retrieved_texts,
        seconds=answer.timings.get("total", 0.0),
        tags=list(item.tags),
        cited=cited_sources(answer),
        answered_by=answer.answered_by,
        verification=answer.verification,
    )
    if not answer.abstained:
        passages = {citation.id: citation.text for citation in answer.citations}
        for sentence, markers in marked_sentences(answer.text):
            result.sentences += 1
            good = [n for n in markers if n in passages and support.holds(passages[n], sentence)]
            result.markers += len(markers)
            result.supported_markers += len(good)
            result.supported_sentences += bool(good)
    if not item.answerable:
        result.correct = answer.abstained
        return result

    ranks = [
        rank
        for rank, text in enumerate(retrieved_texts, start=1)
        if any(normalized(evidence) in normalized(text) for evidence in item.evidence)
    ]
    result.hit = bool(ranks)
    result.reciprocal_rank = 1 / ranks[0] if ranks else 0.0
    stated = (
        [states(answer.text, aliases) for aliases in item.facts] if not answer.abstained else []
    )
    result.fact_recall = sum(stated) / len(item.facts) if stated else 0.0
    result.missing_facts = [
        aliases[0] for aliases, ok in zip(item.facts, stated, strict=False) if not ok
    ] or ([aliases[0] for aliases in item.facts] if answer.abstained else [])
    cited_support = any(
        any(normalized(e) in normalized(c.text) for e in item.evidence)
        or any(states(quote, aliases) for quote in c.quotes for aliases in item.facts)
        for c in answer.citations
    )
    result.correct = (
        not answer.abstained
        and result.fact_recall == 1.0
        and cited_support
        and result.supported_sentences == result.sentences
    )
    return result


def summarize(results: list[ItemResult]) -> dict[str, float]:
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    abstentions = [r for r in results if r.abstained]
    answered = [r for r in results if not r.abstained]
    seconds = sorted(r.seconds for r in results) or [0.0]

    def mean(values: list[float]) -> float:
        return round(statistics.fmean(values), 4) if values else 0.0

    def share(part: int, whole: int) -> float:
        return round(part / whole, 4) if whole else 1.0

    summary = {
        "questions": len(results),
        "answer_accuracy": mean([float(r.correct) for r in answerable]),
        "fact_recall": mean([r.fact_recall or 0.0 for r in answerable]),
        "retrieval_hit": mean([float(bool(r.hit)) for r in answerable]),
        "retrieval_mrr": mean([r.reciprocal_rank or 0.0 for r in answerable]),
        "citation_precision": share(
            sum(r.supported_markers for r in answered), sum(r.markers for r in answered)
        ),
        "citation_recall": share(
            sum(r.supported_sentences for r in answered), sum(r.sentences for r in answered)
        ),
        "abstention_recall": share(sum(r.abstained for r in unanswerable), len(unanswerable)),
        "abstention_precision": share(sum(not r.answerable for r in abstentions), len(abstentions)),
        "unsupported_sentences": sum(r.sentences - r.supported_sentences for r in answered),
        "latency_p50_ms": round(1000 * statistics.median(seconds), 1),
        "latency_p95_ms": round(1000 * seconds[min(len(seconds) - 1, int(0.95 * len(seconds)))], 1),
    }
    checked = [r.verification for r in results if r.verification is not None]
    if checked:
        # A model answered: how often its answer stood, and what verification took out.
        summary["model_answered"] = share(
            sum(r.answered_by != "extractive" for r in results), len(results)
        )
        for count in ("sentences", "removed", "names_missing", "markers_added", "markers_removed"):
            summary[f"verify_{count}"] = sum(v[count] for v in checked)
    return summary
