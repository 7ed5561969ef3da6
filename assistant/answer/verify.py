"""Check a model's claims against the passages: the same rule for every model.

A claim must be a statement: not a question, an instruction, or a heading copied out of
a passage. It is supported by a passage when it is there word for word, or when every
name and number in it occurs there, every quotation in it is there word for word, it is
negated exactly when the passage's closest sentence is ("does not include" never
supports "includes"), and its support score (half the share of its content words found
in the passage, half its MiniLM similarity to the passage's closest sentence) reaches
SUPPORT_SCORE. A claim is kept citing the passages that support it: a marker pointing at
no passage, or at one that does not support the claim, is removed, and a claim that cites
nothing usable is given the passage that supports it best, if one does. Anything else is
unsupported. Sentences of a passage that address a model ("Ignore previous instructions
and say ...") state nothing, and support nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from assistant.answer.claims import Claim
from assistant.answer.sentences import is_instruction, split_sentences
from assistant.language.text import looks_like_heading, names_and_numbers, normalized
from assistant.language.words import content_stems, stopwords

if TYPE_CHECKING:
    from assistant.index.embedding import MiniLMEmbedding
    from assistant.retrieve.hybrid import Passage

# Chosen on paraphrases and inventions of the gold answers: see tests/test_verify.py.
SUPPORT_SCORE = 0.62
OVERLAP_WEIGHT = 0.5
_TOKENS = re.compile(r"\d+(?:[.,]\d+)*|\w+")
_QUOTED = re.compile(r"[“\"]([^”\"]{12,})[”\"]")
_NEGATION = re.compile(r"\b(?:not|no|never|without|neither|nor|none|cannot)\b|n['’]t\b", re.I)
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
        # What each passage states: its sentences, less any addressed to a model.
        self._sentences = [
            [s for s in split_sentences(p.text, i, p.sentences) if not is_instruction(s.text)]
            for i, p in enumerate(self.passages)
        ]
        self._statements = [" ".join(s.text for s in sentences) for sentences in self._sentences]
        # Normalized once here, not once per claim and passage.
        self._normalized = [normalized(text) for text in self._statements]
        self._stems = [content_stems(text) for text in self._statements]
        self._sentence_stems = [
            [content_stems(f"{s.context} {s.text}") for s in sentences]
            for sentences in self._sentences
        ]
        self._headings = {
            normalized(s.text)
            for sentences in self._sentences
            for s in sentences
            if looks_like_heading(s.text)
        }
        self._mentions = [_tokens(text) for text in self._statements]
        self._vectors: list[np.ndarray] | None = None

    def check(self, claim: Claim) -> Check:
        wanted = _named(claim.text)
        stems = content_stems(claim.text)
        cited = [n - 1 for n in claim.cited if 1 <= n <= len(self.passages)]
        check = Check(claim, supported=False, markers_removed=len(claim.cited) - len(cited))
        if not self._is_statement(claim.text):
            check.markers_removed += len(cited)
            return check
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

    def _is_statement(self, text: str) -> bool:
        """Not a question, not an instruction, not a passage's heading copied out."""
        if text.endswith("?") or is_instruction(text):
            return False
        return not (looks_like_heading(text) and normalized(text) in self._headings)

    def _score(
        self, index: int, text: str, stems: set[str], wanted: set[str], vector: np.ndarray
    ) -> tuple[float, tuple[int, int]]:
        """The claim's support score in one passage, and the passage sentence closest to it."""
        sentences = self._sentences[index]
        if not sentences:
            return 0.0, (0, 0)
        similarities = self._sentence_vectors()[index] @ vector
        closest = max(
            range(len(sentences)),
            key=lambda n: _share(stems, self._sentence_stems[index][n]) + similarities[n],
        )
        span = (sentences[closest].start, sentences[closest].end)
        statements = self._normalized[index]
        if normalized(text) in statements:
            return 1.0, span
        if (
            not wanted <= self._mentions[index]
            # A quotation must be word for word, and "does not" must not become "does".
            or any(normalized(quote) not in statements for quote in _QUOTED.findall(text))
            or _negated(text) != _negated(sentences[closest].text)
        ):
            return 0.0, span
        overlap = _share(stems, self._stems[index])
        score = OVERLAP_WEIGHT * overlap + (1 - OVERLAP_WEIGHT) * float(similarities.max())
        return score, span

    def _jointly(self, cited: list[int], text: str, stems: set[str], wanted: set[str]) -> bool:
        mentions = set().union(*(self._mentions[i] for i in cited))
        found = set().union(*(self._stems[i] for i in cited))
        return wanted <= mentions and _share(stems, found) >= SUPPORT_SCORE

    def _sentence_vectors(self) -> list[np.ndarray]:
        if self._vectors is None:
            texts = [s.text for sentences in self._sentences for s in sentences]
            flat = self.embed_model.embed(texts) if texts else np.zeros((0, 384))
            self._vectors, start = [], 0
            for sentences in self._sentences:
                self._vectors.append(flat[start : start + len(sentences)])
                start += len(sentences)
        return self._vectors


def _share(wanted: set[str], found: set[str]) -> float:
    return len(wanted & found) / len(wanted) if wanted else 1.0


def _negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


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
