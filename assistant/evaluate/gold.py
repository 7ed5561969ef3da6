"""The gold set: hand-written questions about the corpus, with what a right answer holds.

One JSON object per line (see evals/README.md for the format).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    answerable: bool
    # Each fact is a list of aliases; a fact is stated when any alias appears in the answer.
    facts: tuple[tuple[str, ...], ...]
    sources: tuple[str, ...]
    # Passage text that supports the answer: a retrieved passage holding any of it is a hit.
    evidence: tuple[str, ...]
    history: tuple[str, ...] = ()  # earlier questions of the conversation, asked first
    tags: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The item as a line of a gold file holds it (what load_gold reads back)."""
        return {
            "id": self.id,
            "question": self.question,
            "history": list(self.history),
            "answerable": self.answerable,
            "facts": [list(aliases) for aliases in self.facts],
            "sources": list(self.sources),
            "evidence": list(self.evidence),
            "tags": list(self.tags),
        }


def load_gold(path: Path) -> list[GoldItem]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            items.append(
                GoldItem(
                    id=raw["id"],
                    question=raw["question"],
                    answerable=bool(raw["answerable"]),
                    facts=tuple(tuple(aliases) for aliases in raw.get("facts", [])),
                    sources=tuple(raw.get("sources", [])),
                    evidence=tuple(raw.get("evidence", [])),
                    history=tuple(raw.get("history", [])),
                    tags=tuple(raw.get("tags", [])),
                )
            )
        except (KeyError, TypeError, json.JSONDecodeError) as error:
            raise ValueError(f"{path}:{number}: not a gold item ({error})") from error
    return items
