"""Small text facts shared by the ingest and answer stages."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e")
)
_SPACES = re.compile(r"[^\S\n]+")
_TERMINAL = tuple(".!?\"”’')…;")


def normalize_line(line: str) -> str:
    """One line of article text with invisible characters dropped and spaces collapsed."""
    line = unicodedata.normalize("NFC", line).translate(_INVISIBLE)
    return _SPACES.sub(" ", line).strip()


def word_count(text: str) -> int:
    return len(text.split())


def looks_like_heading(line: str) -> bool:
    """A headline, section title or label ("Pro Tip:"): short, and not ended like a sentence."""
    stripped = line.strip()
    words = word_count(stripped)
    if stripped.endswith(":"):
        return words <= 6
    return 0 < words <= 20 and not stripped.endswith(_TERMINAL)


_WORDS = re.compile(r"\w+")
_NAME_OR_NUMBER = re.compile(r"\b(?:[A-Z][\w'’-]*|\d[\d,.]*)")


def names_and_numbers(text: str, ignore: str = "") -> set[str]:
    """Capitalized words and numbers, leaving out words that occur in `ignore`."""
    ignored = set(_WORDS.findall(ignore.lower()))
    return {w for w in _NAME_OR_NUMBER.findall(text) if w.lower() not in ignored}


def differ_in_names(first: str, second: str, ignore: str = "") -> bool:
    """Each text names something (a name or a number) that the other does not."""
    a, b = names_and_numbers(first, ignore), names_and_numbers(second, ignore)
    return bool(a - b) and bool(b - a)


_LINE = re.compile(r"[^\n]+")
# A list item's bullet and a leading label ("Diplomatic Intricacies: ...") are not
# part of the sentence.
_BULLET = re.compile(r"^[\s•·▪◦*–—-]*(?:(?:[A-Z][\w’'/&-]*\s?){1,4}:\s+)?")


@cache
def _punkt():  # type: ignore[no-untyped-def]
    from llama_index.core.utils import globals_helper
    from nltk.tokenize.punkt import PunktTokenizer

    globals_helper.wait_for_nltk_check()  # puts llama-index's bundled NLTK data on the path
    return PunktTokenizer("english")


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
