"""What an answer is made of: text with [n] markers and the numbered passages they cite."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from assistant.retrieve.followup import Turn
    from assistant.retrieve.hybrid import Passage, Retrieval


@dataclass(frozen=True)
class Citation:
    """A passage shown beside an answer; `spans` mark the sentences used, within `text`."""

    id: int
    source: str
    title: str
    text: str
    spans: tuple[tuple[int, int], ...] = ()
    start_char: int | None = None  # where the passage starts in the cleaned article

    @property
    def quotes(self) -> list[str]:
        return [self.text[start:end] for start, end in self.spans]

    @classmethod
    def of(cls, number: int, passage: Passage, spans: tuple[tuple[int, int], ...] = ()) -> Citation:
        return cls(
            id=number,
            source=passage.source,
            title=passage.title,
            text=passage.text,
            spans=spans,
            start_char=passage.start_char,
        )


@dataclass(frozen=True)
class Draft:
    """An answer being written: `text` holds the sentences already checked against the
    passages (with their markers), `pending` the sentence the model is still writing."""

    text: str
    pending: str


@dataclass
class Answer:
    question: str
    text: str
    citations: list[Citation]
    abstained: bool
    # What was asked for, alone ("Budapest and Geneva"), when the question asks for a
    # name, place, date, number or thing and the answer sentence holds it.
    short_answer: str | None = None
    # Closest passages, offered as reading when the articles don't answer the question.
    related: list[Citation] = field(default_factory=list)
    # Every retrieved passage in rank order, cited or not: for evaluation and inspection.
    passages: list[Citation] = field(default_factory=list)
    # Calibrated probability that the quoted sentence answers the question (None: a model's
    # answer, or no answer).
    confidence: float | None = None
    # Cited passages give different answers to the question (e.g. different places).
    disagreement: bool = False
    # The question as searched for, when a follow-up was resolved against earlier turns.
    interpreted_as: str | None = None
    # Said to the user before the answer, e.g. that a long question was shortened.
    notices: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    # Who wrote it: "extractive", or the model's backend and name ("openai:gemma-3-270m").
    answered_by: str = "extractive"
    # A model's sentences that verification left out, and its counts (None: no model).
    unsupported: list[str] = field(default_factory=list)
    verification: dict[str, int] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "short_answer": self.short_answer,
            "abstained": self.abstained,
            "confidence": self.confidence,
            "disagreement": self.disagreement,
            "citations": [
                {
                    "id": c.id,
                    "source": c.source,
                    "title": c.title,
                    "text": c.text,
                    "quotes": c.quotes,
                    "spans": [list(span) for span in c.spans],
                }
                for c in self.citations
            ],
            "related": [asdict(c) | {"spans": []} for c in self.related],
            "interpreted_as": self.interpreted_as,
            "notices": self.notices,
            "answered_by": self.answered_by,
            "unsupported": self.unsupported,
            "verification": self.verification,
            "timings": {name: round(seconds, 4) for name, seconds in self.timings.items()},
        }


class Answerer(Protocol):
    """What the Assistant needs of an answerer: extractive.py and generative.py are two."""

    name: str

    def condense(self, question: str, history: Sequence[Turn] | None) -> str:
        """A follow-up question made standalone, using the conversation so far."""
        ...

    def stream(self, question: str, retrieval: Retrieval) -> Iterator[Draft | Answer]:
        """Drafts, if any, then the Answer."""
        ...

    def warm_up(self) -> None:
        """Load what answering reads with (language pipelines, models) now, so that the
        first question does not wait for it."""
        ...


class QuotingAnswerer(Answerer, Protocol):
    """An answerer that quotes the articles: what a model's answer falls back on."""

    def run(self, question: str, retrieval: Retrieval) -> Answer: ...

    def abstain(self, question: str, passages: Sequence[Passage]) -> Answer: ...

    def answers(
        self, question: str, retrieval: Retrieval, claims: Sequence[tuple[str, int]]
    ) -> bool:
        """Would these sentences (each with the index of the passage that supports it)
        clear the bar this answerer sets its own?"""
        ...
