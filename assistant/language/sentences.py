"""Sentences with exact character spans (Punkt, as llama-index ships it)."""

from __future__ import annotations

import re
from functools import cache

from assistant.language.imports import without

_LINE = re.compile(r"[^\n]+")
# A list item's bullet and a leading label ("Diplomatic Intricacies: ...") are not
# part of the sentence.
_BULLET = re.compile(r"^[\s•·▪◦*–—-]*(?:(?:[A-Z][\w’'/&-]*\s?){1,4}:\s+)?")


@cache
def _punkt():  # type: ignore[no-untyped-def]
    from llama_index.core.utils import globals_helper

    # NLTK imports scikit-learn and SciPy, when installed, for classifiers we never use:
    # two thirds of a second of the first sentence split.
    with without("sklearn", "scipy"):
        from nltk.tokenize.punkt import PunktTokenizer

    globals_helper.wait_for_nltk_check()  # puts llama-index's bundled NLTK data on the path
    return PunktTokenizer("english")


def load() -> None:
    """Load the sentence tokenizer now (importing NLTK takes a fraction of a second)."""
    _punkt()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence. Sentences never cross a line, so a headline and the
    paragraph below it stay apart; bullets and leading labels are left out."""
    spans = []
    for line in _LINE.finditer(text):
        for start, end in _punkt().span_tokenize(line.group()):
            raw = line.group()[start:end]
            bullet = _BULLET.match(raw)
            body = raw[bullet.end() if bullet else 0 :]
            if body.strip():
                begin = line.start() + end - len(body) + (len(body) - len(body.lstrip()))
                spans.append((begin, begin + len(body.strip())))
    return spans
