"""Check a model's claims against the passages: the same rule for every model.

A claim is supported by a passage when every name and number in it occurs there and its
support score (half the share of its content words found in the passage, half its
MiniLM similarity to the passage's closest sentence) reaches SUPPORT_SCORE. A claim is
kept citing the passages that support it: a marker pointing at no passage, or at one that
does not support the claim, is removed, and a claim that cites nothing usable is given
the passage that supports it best, if one does. Anything else is unsupported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from assistant.answer.claims import Claim
from assistant.answer.sentences import Sentence, split_sentences
from assistant.answer.support import supports
from assistant.retrieve.vocabulary import content_stems, stopwords
from assistant.text import names_and_numbers

if TYPE_CHECKING:
    from assistant.index.embedding import MiniLMEmbedding
    from assistant.retrieve.hybrid import Passage

# Chosen on paraphrases and inventions of the gold answers: see tests/test_verify.py.
SUPPORT_SCORE = 0.62
OVERLAP_WEIGHT = 0.5
_TOKENS = re.compile(r"\d+(?:[.,]\d+)*|\w+")
# Capitalized only because they open a sentence: never taken for names.
_OPENERS = frozenset(
    "according additionally also although among both but however meanwhile moreover "
    "overall several many instead yes no furthermore finally first second".split()
)


@dataclass
class Check:
    """What verification made of one claim."""

    claim: Claim
    supported: bool
    passages: list[int] = field(default_factory=list)  # supporting passages, 0-based
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # its sentence in each
    markers_removed: int = 0  # markers that pointed nowhere or at a passage that disagrees
    marker_added: bool = False  # it cited nothing usable and was given a passage
    names_missing: bool = False  # a name or number it states is in no retrieved passage


class Verifier:
    """Checks claims against one question's retrieved passages."""

    def __init__(self, embed_model: MiniLMEmbedding, passages: Sequence[Passage]) -> None:
        self.embed_model = embed_model
        self.passages = list(passages)
        self._sentences = [
            list(split_sentences(p.text, i, p.sentences)) for i, p in enumerate(self.passages)
        ]
        self._stems = [content_stems(p.text) for p in self.passages]
        self._mentions = [_tokens(p.text) for p in self.passages]
        self._vectors: list[np.ndarray] | None = None

    def check(self, claim: Claim) -> Check:
        wanted = _named(claim.text)
        stems = content_stems(claim.text)
        cited = [n - 1 for n in claim.cited if 1 <= n <= len(self.passages)]
        check = Check(claim, supported=False, markers_removed=len(claim.cited) - len(cited))
        if not wanted <= set().union(*self._mentions, set()):
            check.names_missing = True
            check.markers_removed += len(cited)
            return check
        vector = self.embed_model.embed([claim.text])[0]
        scores = {i: self._score(i, claim.text, stems, wanted, vector) for i in range(len(self))}
        backing = [i for i in cited if scores[i][0] >= SUPPORT_SCORE]
        if not backing and len(cited) > 1 and self._jointly(cited, claim.text, stems, wanted):
            backing = cited  # the claim joins facts from the passages it cites
        if not backing:
            best = max(scores, key=lambda i: scores[i][0], default=None)
            if best is None or scores[best][0] < SUPPORT_SCORE:
                check.markers_removed += len(cited)
                return check
            backing, check.marker_added = [best], True
        check.supported = True
        check.passages = backing
        check.spans = {i: scores[i][1] for i in backing}
        check.markers_removed += len(set(cited) - set(backing))
        return check

    def __len__(self) -> int:
        return len(self.passages)

    def _score(
        self, index: int, text: str, stems: set[str], wanted: set[str], vector: np.ndarray
    ) -> tuple[float, tuple[int, int]]:
        """The claim's support score in one passage, and the passage sentence closest to it."""
        sentences = self._sentences[index]
        if not sentences:
            return 0.0, (0, 0)
        similarities = self._sentence_vectors()[index] @ vector
        closest: Sentence = sentences[int(np.argmax(similarities))]
        span = (closest.start, closest.end)
        if supports(self.passages[index].text, text):
            return 1.0, span
        if not wanted <= self._mentions[index]:
            return 0.0, span
        overlap = len(stems & self._stems[index]) / len(stems) if stems else 1.0
        score = OVERLAP_WEIGHT * overlap + (1 - OVERLAP_WEIGHT) * float(similarities.max())
        return score, span

    def _jointly(self, cited: list[int], text: str, stems: set[str], wanted: set[str]) -> bool:
        mentions = set().union(*(self._mentions[i] for i in cited))
        found = set().union(*(self._stems[i] for i in cited))
        overlap = len(stems & found) / len(stems) if stems else 1.0
        return wanted <= mentions and overlap >= SUPPORT_SCORE

    def _sentence_vectors(self) -> list[np.ndarray]:
        if self._vectors is None:
            texts = [s.text for sentences in self._sentences for s in sentences]
            flat = self.embed_model.embed(texts) if texts else np.zeros((0, 384))
            self._vectors, start = [], 0
            for sentences in self._sentences:
                self._vectors.append(flat[start : start + len(sentences)])
                start += len(sentences)
        return self._vectors


def _tokens(text: str) -> set[str]:
    return {token.casefold() for token in _TOKENS.findall(text)}


def _named(text: str) -> set[str]:
    """The claim's names and numbers as tokens; a common word that opens it is no name."""
    names = set()
    for name in names_and_numbers(text):
        lowered = name.casefold().strip(".,'’")
        if lowered in stopwords() or lowered in _OPENERS:
            continue
        names |= _tokens(name.rstrip(".,"))
    return names
