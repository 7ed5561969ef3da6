"""What the two answerers that quote the articles share (heuristic/ and extractive.py):
no model to stream or to condense a follow-up with, and every retrieved passage listed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from assistant.answer.types import Answer, Citation, Draft
from assistant.language import nlp
from assistant.language.text import normalized
from assistant.retrieve.followup import Turn, standalone_question

if TYPE_CHECKING:
    from assistant.answer.sentences import Sentence
    from assistant.retrieve.hybrid import Passage, Retrieval


class Quoting:
    name = "extractive"

    def condense(self, question: str, history: Sequence[Turn] | None) -> str:
        return standalone_question(question, history)

    def warm_up(self) -> None:
        """spaCy reads every question for its names and years, and finds short answers."""
        nlp.pipeline()

    def stream(self, question: str, retrieval: Retrieval) -> Iterator[Draft | Answer]:
        """Nothing to stream: the answer is ready at once."""
        yield self.run(question, retrieval)

    def run(self, question: str, retrieval: Retrieval) -> Answer:
        answer = self._answer(question, retrieval)
        answer.passages = [
            Citation.of(rank, passage) for rank, passage in enumerate(retrieval.passages, start=1)
        ]
        return answer

    def _answer(self, question: str, retrieval: Retrieval) -> Answer:
        raise NotImplementedError


class CitationNumbers:
    """Numbers the passages an answer cites in order of first use, and keeps the spans of
    the sentences quoted from each."""

    def __init__(self) -> None:
        self._numbers: dict[int, int] = {}  # passage index -> citation number
        self._spans: dict[int, set[tuple[int, int]]] = {}

    def markers(self, sentences: Sequence[Sentence]) -> list[str]:
        """The markers citing these sentences ("[1]", "[2]"), each passage once."""
        found: list[str] = []
        for sentence in sentences:
            number = self._numbers.setdefault(sentence.passage, len(self._numbers) + 1)
            self._spans.setdefault(sentence.passage, set()).add((sentence.start, sentence.end))
            if f"[{number}]" not in found:
                found.append(f"[{number}]")
        return found

    def citations(self, passages: Sequence[Passage]) -> list[Citation]:
        return [
            Citation.of(number, passages[index], tuple(sorted(self._spans[index])))
            for index, number in self._numbers.items()
        ]


class QuotedAnswer:
    """An answer put together from quoted sentences, each followed by the markers of the
    passages that say it, after what was asked for alone ("Budapest [1] Geneva [1]")."""

    def __init__(self, question: str) -> None:
        self.question = question
        self._cited = CitationNumbers()
        self._quoted: list[str] = []
        self._shorts: list[tuple[str, str]] = []

    def quote(self, sentence: Sentence, support: Sequence[Sentence] = ()) -> str:
        """Quote the sentence, citing it and every other sentence that says the same; its
        first marker."""
        markers = self._cited.markers([sentence, *support])
        self._quoted.append(f"{sentence.text} {''.join(markers)}")
        return markers[0]

    def lead_with(self, short: str | None, marker: str) -> None:
        """Put what was asked for first, cited, unless it is there already."""
        if short and normalized(short) not in {normalized(s) for s, _ in self._shorts}:
            self._shorts.append((short, marker))

    def build(self, passages: Sequence[Passage]) -> Answer:
        text = " ".join(self._quoted)
        if self._shorts:
            text = " ".join(f"{s} {m}" for s, m in self._shorts) + "\n\n" + text
        return Answer(
            question=self.question,
            text=text,
            citations=self._cited.citations(passages),
            abstained=False,
            short_answer=_joined([s for s, _ in self._shorts]),
        )


def _joined(items: list[str]) -> str | None:
    """ "Budapest", "Budapest and Geneva", "Oslo, Bergen and Tromsø"."""
    if len(items) <= 1:
        return items[0] if items else None
    return ", ".join(items[:-1]) + " and " + items[-1]
