"""The corpus vocabulary, read off the BM25 index: stems, how rare each is, and spelling help."""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import bm25s

_WORD = re.compile(r"(?u)\b\w\w+\b")
# Words that shape a question but never carry its content.
_QUESTION_WORDS = frozenset(
    "according article articles say says said mention mentioned mentions tell tells report "
    "reported reports describe described text passage also would could did does".split()
)


@cache
def stopwords() -> frozenset[str]:
    """NLTK's English stopwords, read from the copy llama-index ships (importing NLTK
    itself would cost a second at start-up)."""
    import llama_index.core

    listing = (
        Path(llama_index.core.__file__).parent / "_static/nltk_cache/corpora/stopwords/english"
    )
    return frozenset(listing.read_text(encoding="utf-8").split()) | _QUESTION_WORDS


@cache
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def stem(word: str) -> str:
    return _stemmer().stemWord(word.lower())


def content_words(text: str) -> list[str]:
    """Lower-cased words that carry meaning, in order, stopwords left out."""
    drop = stopwords()
    return [word for word in _WORD.findall(text.lower()) if word not in drop]


def content_stems(text: str) -> set[str]:
    return {stem(word) for word in content_words(text)}


def _near_stopword(word: str) -> bool:
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extractOne

    if len(word) < 3:
        return False
    return extractOne(word, stopwords(), scorer=OSA.distance, score_cutoff=1) is not None


class Vocabulary:
    """Document frequencies of the stems BM25 indexed (each chunk counts as a document)."""

    def __init__(self, bm25: bm25s.BM25) -> None:
        scores = bm25.scores
        # bm25s keeps one sparse column per token: its length is that token's document count.
        indptr = scores["indptr"]
        self.documents = max(int(scores["num_docs"]), 1)
        self.frequency = {
            token: int(indptr[token_id + 1] - indptr[token_id])
            for token, token_id in bm25.vocab_dict.items()
            if token
        }
        self._by_length: dict[int, list[str]] = {}
        for token in self.frequency:
            self._by_length.setdefault(len(token), []).append(token)

    def idf(self, stem_: str) -> float:
        """Rarer stems weigh more; a stem the corpus never uses weighs most of all."""
        return math.log(1 + self.documents / (self.frequency.get(stem_, 0) + 0.5))

    def knows(self, stem_: str) -> bool:
        return stem_ in self.frequency

    def correct(self, word: str) -> str | None:
        """The indexed stem a misspelled word most likely meant, or None.

        Only words of five letters or more are corrected, by at most one edit (two for
        long words), and only to stems the corpus really uses; ties go to the commoner.
        Swapped neighbouring letters count as one edit.
        """
        from rapidfuzz.distance import OSA
        from rapidfuzz.process import extractOne

        target = stem(word)
        if len(word) < 5 or self.knows(target):
            return None
        budget = 1 if len(target) < 8 else 2
        candidates = sorted(
            (
                token
                for length in range(len(target) - budget, len(target) + budget + 1)
                for token in self._by_length.get(length, ())
            ),
            key=lambda token: -self.frequency[token],
        )
        best = extractOne(target, candidates, scorer=OSA.distance, score_cutoff=budget)
        return None if best is None else best[0]

    def query_stems(self, text: str) -> list[str]:
        """The question's content stems, misspellings mapped onto the corpus's own stems.

        A misspelled stopword ("wich") is dropped rather than weighed as a rare word.
        """
        stems = []
        for word in content_words(text):
            stemmed = stem(word)
            if not self.knows(stemmed) and _near_stopword(word):
                continue
            stems.append(stemmed if self.knows(stemmed) else self.correct(word) or stemmed)
        return stems

    def mentions(self, word: str) -> bool:
        """Does the corpus use this word? Only a long word may be a misspelling of one it
        uses: a short one is too easily another real word ("mayor", "major")."""
        parts = _WORD.findall(word.lower())
        return any(self.knows(stem(part)) for part in parts) or any(
            len(part) >= 7 and self.correct(part) for part in parts
        )
