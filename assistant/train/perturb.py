"""Small edits that change what a text claims, made with spaCy from the text's own words.

The edits SQuAD 2.0's writers used to make answerable questions unanswerable, and that a
model's claims go wrong by: a name swapped for another of the same kind, a number
changed, a word swapped for its nearest neighbour in meaning (often an opposite or a
sibling: increase and decrease, public and private), a negation added or dropped.
Replacements come from the surrounding text, so an edit reads as plausibly as the
original: the reader cannot learn to spot edits by their strangeness.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from assistant.language import nlp

_CONTENT_POS = {"NOUN", "VERB", "ADJ", "ADV"}
_NEGATIONS = {"not", "n't", "never", "no"}


class Edit(StrEnum):
    NAME = "name"  # a name swapped for another of the same kind
    NUMBER = "number"  # a number or date changed
    NEIGHBOUR = "neighbour"  # a word swapped for its nearest neighbour in meaning
    NEGATION = "negation"  # "not" added, or taken away


@dataclass(frozen=True)
class Edited:
    edit: Edit
    text: str
    original: str  # the words replaced
    replacement: str


class Perturber:
    """Edits texts with words from a pool text (the paragraph or article they come from).

    `embed` gives unit vectors for words; it picks a word's nearest neighbour.
    """

    def __init__(self, embed: Callable[[list[str]], np.ndarray], seed: int) -> None:
        self.embed = embed
        self.rng = random.Random(seed)

    def edits(self, text: str, keep: str, pool: str) -> list[Edited]:
        """Every kind of edit that applies to `text`, one of each, changing only words that
        `keep` also has (so that, against `keep`, the edit is what makes the difference)."""
        doc, kept, source = nlp.parse(text), nlp.parse(keep), nlp.parse(pool)
        kept_words = {t.lower_ for t in kept}
        found = [
            self._name(doc, kept, source),
            self._number(doc, kept_words, source),
            self._neighbour(doc, kept, source),
            self._negation(doc),
        ]
        return [edit for edit in found if edit is not None]

    def one(self, text: str, keep: str, pool: str) -> Edited | None:
        options = self.edits(text, keep, pool)
        return self.rng.choice(options) if options else None

    # --- the edits -----------------------------------------------------------------------

    def _name(self, doc, kept, source) -> Edited | None:  # type: ignore[no-untyped-def]
        kept_names = {e.text.casefold() for e in kept.ents}
        names = [
            e for e in doc.ents if e.text.casefold() in kept_names and e.label_ not in _NUMERIC
        ]
        for entity in self.rng.sample(names, len(names)):
            others = sorted(
                {
                    e.text
                    for e in source.ents
                    if e.label_ == entity.label_ and e.text.casefold() not in kept.text.casefold()
                }
            )
            if others:
                return _replace(
                    doc, entity.start_char, entity.end_char, self.rng.choice(others), Edit.NAME
                )
        return None

    def _number(self, doc, kept_words: set[str], source) -> Edited | None:  # type: ignore[no-untyped-def]
        numbers = [t for t in doc if _digits(t) and t.lower_ in kept_words]
        for token in self.rng.sample(numbers, len(numbers)):
            others = sorted({t.text for t in source if _digits(t) and t.lower_ not in kept_words})
            replacement = self.rng.choice(others) if others else _shifted(token.text, self.rng)
            if replacement and replacement != token.text:
                return _replace(
                    doc, token.idx, token.idx + len(token.text), replacement, Edit.NUMBER
                )
        return None

    def _neighbour(self, doc, kept, source) -> Edited | None:  # type: ignore[no-untyped-def]
        kept_lemmas = {t.lemma_.lower() for t in kept}
        words = [
            t
            for t in doc
            if t.pos_ in _CONTENT_POS and not t.is_stop and t.lemma_.lower() in kept_lemmas
        ]
        if not words:
            return None
        word = self.rng.choice(words)
        pool = sorted(
            {
                t.text.lower()
                for t in source
                if t.tag_ == word.tag_ and not t.is_stop and t.lemma_.lower() not in kept_lemmas
            }
        )
        if not pool:
            return None
        vectors = self.embed([word.text.lower(), *pool])
        nearest = pool[int(np.argmax(vectors[1:] @ vectors[0]))]
        if word.text[0].isupper():
            nearest = nearest.capitalize()
        return _replace(doc, word.idx, word.idx + len(word.text), nearest, Edit.NEIGHBOUR)

    def _negation(self, doc) -> Edited | None:  # type: ignore[no-untyped-def]
        negated = [t for t in doc if t.lower_ in _NEGATIONS and t.dep_ == "neg"]
        if negated:  # take it away: "did not reject" -> "did reject"
            token = negated[0]
            end = token.idx + len(token.text_with_ws)
            return _replace(doc, token.idx, end, "", Edit.NEGATION)
        auxiliaries = [t for t in doc if t.pos_ == "AUX"]
        if not auxiliaries:
            return None
        aux = auxiliaries[0]
        # "What did X do" -> "What did X not do": after an inverted subject when the
        # auxiliary helps a verb; right after it when it is the verb ("What was not ...").
        subject = next((c for c in aux.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if aux.dep_ == "aux" and subject is not None and subject.i > aux.i:
            at = subject.right_edge.idx + len(subject.right_edge.text)
        else:
            at = aux.idx + len(aux.text)
        return _replace(doc, at, at, " not", Edit.NEGATION)


_NUMERIC = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}


def _replace(doc, start: int, end: int, replacement: str, edit: Edit) -> Edited:  # type: ignore[no-untyped-def]
    text = doc.text
    return Edited(
        edit, text[:start] + replacement + text[end:], text[start:end], replacement.strip()
    )


def _digits(token) -> bool:  # type: ignore[no-untyped-def]
    return token.like_num and any(ch.isdigit() for ch in token.text)


def _shifted(number: str, rng: random.Random) -> str | None:
    digits = number.replace(",", "")
    if not digits.isdigit():
        return None
    return str(int(digits) + rng.choice([-3, -2, -1, 1, 2, 3, 10]))
