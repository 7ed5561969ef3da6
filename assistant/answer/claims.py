"""A model's reply as claims: each sentence with the passage numbers it cites."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.language.sentences import sentence_spans

# [2], [1][3], [1, 3], [Passage 2]: the ways models write what the prompt asks for as [n].
_MARKER = re.compile(r"\[\s*(?:passages?\s*)?(\d+(?:\s*[,;]\s*(?:passages?\s*)?\d+)*)\s*\]", re.I)
_LEADING_MARKERS = re.compile(rf"^(?:\s*{_MARKER.pattern})+", re.I)
# A marker the model has begun but not finished writing: "[", "[1", "[Passage 2,".
_UNFINISHED_MARKER = re.compile(r"\[\s*(?:passages?\s*)?[\d\s,;]*$", re.I)
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")
_HAS_WORD = re.compile(r"\w")


@dataclass
class Claim:
    text: str  # the sentence without its markers
    cited: list[int] = field(default_factory=list)  # passage numbers as the prompt gave them


def parse_claims(reply: str) -> list[Claim]:
    """Markers after a sentence's full stop ("Geneva. [1]") belong to that sentence."""
    claims: list[Claim] = []
    for start, end in sentence_spans(reply):
        raw = reply[start:end]
        leading = _LEADING_MARKERS.match(raw)
        if leading and claims:
            _add(claims[-1], _numbers(leading.group()))
            raw = raw[leading.end() :]
        text = without_markers(raw)
        if _HAS_WORD.search(text):
            claims.append(Claim(text, _numbers(raw)))
        elif claims:
            _add(claims[-1], _numbers(raw))
    return claims


def without_markers(text: str) -> str:
    text = _UNFINISHED_MARKER.sub("", _MARKER.sub("", text))
    return " ".join(_SPACE_BEFORE_PUNCTUATION.sub(r"\1", text).split())


def _numbers(text: str) -> list[int]:
    found = [int(n) for group in _MARKER.findall(text) for n in re.findall(r"\d+", group)]
    return list(dict.fromkeys(found))


def _add(claim: Claim, numbers: list[int]) -> None:
    claim.cited.extend(n for n in numbers if n not in claim.cited)
