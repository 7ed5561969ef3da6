"""Readers' thumbs up and down, kept as JSON lines beside the index, and the thumbs-down
answers turned into candidate gold items for someone to review (`assistant eval
--from-feedback`)."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from assistant.evaluate.gold import GoldItem

Rating = Literal["up", "down"]
# What a reviewer fills in before a candidate joins evals/gold.jsonl.
REVIEW_STEPS = (
    "Check the question against the articles. If they answer it: write its facts (each a "
    "list of aliases), the files that hold them and a sentence of evidence. If they don't: "
    "set answerable to false. Then drop this 'review' field and add the item to "
    "evals/gold.jsonl."
)


@dataclass(frozen=True)
class Feedback:
    question: str
    answer: str  # plain text with its [n] markers
    rating: Rating
    sources: list[str] = field(default_factory=list)  # cited files, in [n] order
    history: list[str] = field(default_factory=list)  # earlier questions of the conversation
    at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


class FeedbackLog:
    """Appends and reads one JSON object per rating; a later rating of the same answer
    overrides an earlier one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(self, feedback: Feedback) -> None:
        line = json.dumps(asdict(feedback), ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")

    def read(self) -> Iterator[Feedback]:
        if not self.path.exists():
            return
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                yield Feedback(**json.loads(line))
            except (TypeError, ValueError):
                continue  # a line cut short by a crash costs only itself

    def latest(self) -> list[Feedback]:
        """Each answer's last rating, oldest first."""
        last: dict[tuple[str, str, tuple[str, ...]], Feedback] = {}
        for feedback in self.read():
            key = (feedback.question, feedback.answer, tuple(feedback.history))
            last.pop(key, None)
            last[key] = feedback
        return list(last.values())


def gold_candidates(feedback: list[Feedback]) -> list[dict[str, Any]]:
    """Thumbs-down answers as gold items to review: the question as asked, with the
    answer that was given and what it cited, and the facts left for a person to write."""
    candidates: list[dict[str, Any]] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for item in feedback:
        key = (item.question, tuple(item.history))
        if item.rating != "down" or key in seen:
            continue
        seen.add(key)
        gold = GoldItem(
            id=f"feedback-{len(candidates) + 1}-{_slug(item.question)}",
            question=item.question,
            answerable=True,  # until a reviewer finds the articles don't answer it
            facts=(),
            sources=(),
            evidence=(),
            history=tuple(item.history),
            tags=("from-feedback",),
        )
        review = {
            "answer_given": item.answer,
            "cited": item.sources,
            "rated_at": item.at,
            "to_do": REVIEW_STEPS,
        }
        candidates.append(gold.to_json() | {"review": review})
    return candidates


def _slug(text: str, words: int = 6) -> str:
    return "-".join(re.findall(r"\w+", text.lower())[:words])
