"""The corpus vocabulary, read off the BM25 index: stems, how rare each is, and spelling help."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from assistant.language.words import content_words, near_stopword, stem

_WORD = re.compile(r"(?u)\b\w\w+\b")

if TYPE_CHECKING:
    import bm25s


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
            if not self.knows(stemmed) and near_stopword(word):
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
