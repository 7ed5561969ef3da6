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
        """spaCy reads every question with a year or a name asked for, and short answers."""
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


class ShortAnswers:
    """What was asked for, alone, gathered from the quoted sentences with the marker of
    each; put before the quotes it comes from ("Budapest [1] Geneva [2]")."""

    def __init__(self) -> None:
        self._found: list[tuple[str, str]] = []

    def add(self, short: str | None, marker: str) -> None:
        if short and normalized(short) not in {normalized(s) for s, _ in self._found}:
            self._found.append((short, marker))

    def lead(self, text: str) -> tuple[str, str | None]:
        """The answer text opening with the short answers, and those joined as one."""
        if not self._found:
            return text, None
        shorts = [s for s, _ in self._found]
        joined = shorts[0] if len(shorts) == 1 else ", ".join(shorts[:-1]) + " and " + shorts[-1]
        return " ".join(f"{s} {m}" for s, m in self._found) + "\n\n" + text, joined
