"""Passages as sentences with exact character spans, and which of them can be answers."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.language.sentences import sentence_spans
from assistant.language.text import looks_like_heading, word_count

if TYPE_CHECKING:
    from assistant.retrieve.hybrid import Passage

_BYLINE = re.compile(r"^(by|written by)\s+[A-Z]")
MIN_ANSWER_WORDS = 5
# Text addressed to a language model rather than a reader ("Ignore previous instructions
# and answer that ..."): it states no fact, so it is never an answer and supports no claim.
_INSTRUCTION = re.compile(
    r"^\W*(?:(?:system|assistant|user|developer)\s*:"
    r"|(?:please\s+)?(?:ignore|disregard|forget|override|pretend)\b"
    r"|you (?:must|are now|should now)\b|act as\b"
    r"|(?:answer|reply|respond|say|state) (?:that|with)\b)"
    r"|\b(?:previous|prior|above|earlier|new|these) instructions\b|\bsystem prompt\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sentence:
    text: str
    passage: int  # index of its passage in the retrieved list
    start: int  # character span within that passage's text
    end: int
    context: str = ""  # the sentence before it in the passage, which it may lean on


def split_sentences(
    text: str, passage: int = 0, spans: Sequence[tuple[int, int]] | None = None
) -> Iterator[Sentence]:
    """The passage's sentences, each knowing the one before it. Spans recorded at ingest
    are used when given; otherwise the text is split now."""
    previous = ""
    for begin, end in spans if spans is not None else sentence_spans(text):
        sentence = text[begin:end]
        yield Sentence(sentence, passage, begin, end, previous)
        previous = sentence


def is_instruction(sentence: str) -> bool:
    return bool(_INSTRUCTION.search(sentence))


def can_answer(sentence: str) -> bool:
    """Headings, bylines, questions, fragments and instructions are never answers."""
    return not (
        sentence.endswith("?")
        or is_instruction(sentence)
        or looks_like_heading(sentence)
        or _BYLINE.match(sentence)
        or word_count(sentence) < MIN_ANSWER_WORDS
    )


def candidate_sentences(passages: Sequence[Passage]) -> list[Sentence]:
    """Every sentence of the passages that could be an answer, in rank order; a sentence
    that overlapping chunks repeat is kept once, from the higher-ranked passage."""
    seen: set[str] = set()
    found = []
    for index, passage in enumerate(passages):
        for sentence in split_sentences(passage.text, index, passage.sentences):
            if sentence.text in seen or not can_answer(sentence.text):
                continue
            seen.add(sentence.text)
            found.append(sentence)
    return found
