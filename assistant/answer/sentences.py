"""Split passages into sentences with exact character spans, and tell answers from furniture."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from assistant.text import looks_like_heading, word_count

_LINE = re.compile(r"[^\n]+")
# A list item's bullet and a leading label ("Diplomatic Intricacies: ...") are not
# part of the sentence.
_BULLET = re.compile(r"^[\s•·▪◦*–—-]*(?:(?:[A-Z][\w’'/&-]*\s?){1,4}:\s+)?")
_BYLINE = re.compile(r"^(by|written by)\s+[A-Z]")
MIN_ANSWER_WORDS = 5


@dataclass(frozen=True)
class Sentence:
    text: str
    passage: int  # index of its passage in the retrieved list
    start: int  # character span within that passage's text
    end: int
    context: str = ""  # the sentence before it in the passage, which it may lean on


@cache
def _punkt():
    from llama_index.core.utils import globals_helper
    from nltk.tokenize.punkt import PunktTokenizer

    globals_helper.wait_for_nltk_check()  # puts llama-index's bundled NLTK data on the path
    return PunktTokenizer("english")


def split_sentences(text: str, passage: int = 0) -> Iterator[Sentence]:
    """Sentences never cross a line: a headline and the paragraph below it stay apart."""
    previous = ""
    for line in _LINE.finditer(text):
        for start, end in _punkt().span_tokenize(line.group()):
            raw = line.group()[start:end]
            bullet = _BULLET.match(raw)
            body = raw[bullet.end() if bullet else 0 :]
            sentence = body.strip()
            if sentence:
                begin = line.start() + end - len(body) + (len(body) - len(body.lstrip()))
                yield Sentence(sentence, passage, begin, begin + len(sentence), previous)
                previous = sentence


def can_answer(sentence: str) -> bool:
    """Headings, bylines, questions and fragments are never offered as answers."""
    return not (
        sentence.endswith("?")
        or looks_like_heading(sentence)
        or _BYLINE.match(sentence)
        or word_count(sentence) < MIN_ANSWER_WORDS
    )
