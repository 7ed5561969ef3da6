"""Whether a sentence agrees with what the question pins down: its names, years and numbers,
and the things it is about.

A constraint holds when the sentence states it, or its passage does (the title, the
dateline, a lead-in sentence): "Who won the 2021 Tour de France?" is not answered by a
sentence about the 2019 race, nor by one from an article that never mentions 2021; nor
"Who is the mayor of Westbrook?" from a passage that mentions no mayor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.answer.question import Question
from assistant.language import lexicon
from assistant.language.text import YEAR, calendar_kin, calendar_names_in, years_in
from assistant.language.words import content_stems, stem

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+")
# Small words inside names ("Tour de France", "Bank of England") need no match of their own.
_MIN_NAME_PART = 3
_FUZZY_MIN_LENGTH = 5  # a name part this long may be misspelled by one letter in the question
_LONG_NAME = 3  # a name of this many words may miss one ("National Highway Designation Act")
_MAX_INITIALS = 6
_CAPITALISED_RUN = re.compile(r"(?:\b[A-Z][\w'’-]*(?:\s+(?:of|the|and|for|de)\s+|\s+)?)+")


@dataclass(frozen=True)
class Agreement:
    """How a sentence stands to the question's constraints."""

    total: int  # constraints the question states
    in_sentence: int  # stated by the sentence or the one before it
    in_passage: int  # stated somewhere in the sentence's passage, title or dateline
    names_in_passage: int  # of those, the question's names
    years_in_passage: int  # and its years
    # The question names a year its passage never states, and the sentence names another.
    year_conflict: bool
    # The sentence numbers what the question numbers, otherwise: "season 3" for "season 4",
    # "Helios-1" for "Helios-2" (whatever its passage says: it says of the other one).
    number_conflict: bool = False
    # The question's topics (`Question.topics`) the sentence or its passage mentions, in
    # its word or one WordNet puts near it.
    topics_in_passage: int = 0
    # The question names a day or month the sentence does not, and the sentence another:
    # "played on Saturday night" is not said by "due to close it on Sunday night".
    day_conflict: bool = False
    # The sentence, with its lead-in, names another year and not the question's, whatever
    # its passage says: "won the 2019 Women's British Open" does not say who won in 2020.
    # (A year the passage never states is a `year_conflict` too.)
    year_said_otherwise: bool = False

    @property
    def holds(self) -> bool:
        return self.in_passage == self.total and not (self.year_conflict or self.number_conflict)


def agreement(question: Question, sentence: str, passage: str, *, lead_in: str = "") -> Agreement:
    """`lead_in`: the sentence before, which may state what the sentence leaves to it;
    `passage` includes its title, dateline and lead-in."""
    said = f"{lead_in} {sentence}"
    near = _Words.of(said)
    far = near | _Words.of(passage)
    constraints = [*question.names, *question.years, *question.numbers]
    in_passage = [far.states(c) for c in constraints]
    names, years = len(question.names), len(question.years)
    missing_years = [y for y in question.years if y not in far.tokens]
    other_years = set(years_in(said)) - set(question.years)
    return Agreement(
        total=len(constraints),
        in_sentence=sum(near.states(c) for c in constraints),
        in_passage=sum(in_passage),
        names_in_passage=sum(in_passage[:names]),
        years_in_passage=sum(in_passage[names : names + years]),
        year_conflict=bool(missing_years and other_years),
        number_conflict=any(
            _numbered_otherwise(word, number, said) for word, number in _numbered(question.text)
        ),
        topics_in_passage=_mentioned(question.topics, said, passage),
        day_conflict=_dated_otherwise(question.days, sentence),
        year_said_otherwise=bool(other_years) and any(y not in near.tokens for y in question.years),
    )


def _dated_otherwise(days: tuple[str, ...], sentence: str) -> bool:
    """Unlike a year, a day is checked in the sentence alone: a passage names several. A
    day of the week is only contradicted by another, a month by another month."""
    named = calendar_names_in(sentence)
    return any(day not in named and bool(named & (calendar_kin(day) - set(days))) for day in days)


def _mentioned(topics: tuple[str, ...], sentence: str, passage: str) -> int:
    """How many of the topics the sentence or its passage mentions, each by its own stem,
    a WordNet neighbour's ("inquiry" for "investigation"), or misspelt (a word WordNet
    does not know, one edit from one of theirs)."""
    if not topics:
        return 0
    # Stemmed apart: a passage read for each of its sentences is stemmed once.
    stems = content_stems(sentence) | content_stems(passage)
    return sum(bool(_forms(topic) & stems) or _misspelt(topic, stems) for topic in topics)


@lru_cache(maxsize=4096)
def _forms(topic: str) -> frozenset[str]:
    """The stems a topic may be mentioned by: its own, and those of the nouns sharing a
    sense with it, a sense a step broader or narrower, or derived from it. Read from
    WordNet's files: loading WordNet would cost a question seconds."""
    words = {topic}
    # Every part of speech WordNet has the word as: the tagger's noun may be a verb
    # ("did Karp's paper address").
    readings = [(noun, "NOUN") for noun in lexicon.noun_bases(topic)]
    readings += [(verb, "VERB") for verb in {topic} | lexicon.verb_bases(topic)]
    readings += [(topic, "ADJ")]
    for lemma, pos in readings:
        if lexicon.has_sense(lemma, pos):
            words |= lexicon.synonyms_of(lemma, pos) | lexicon.neighbours_of(lemma, pos)
            words |= lexicon.derived_of(lemma, pos)
    return frozenset(stem(word) for word in words if " " not in word)


def _misspelt(word: str, stems: frozenset[str]) -> bool:
    if len(word) < _FUZZY_MIN_LENGTH or lexicon.noun_bases(word):
        return False
    return _one_edit_from(stem(word), stems)


def _one_edit_from(word: str, words: frozenset[str]) -> bool:
    """Some of `words` is the word with one letter changed, added, dropped or two swapped."""
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extractOne

    return extractOne(word, words, scorer=OSA.distance, score_cutoff=1) is not None


_NUMBERED = re.compile(r"\b([A-Za-z]{3,})[\s-]+(\d+)\b")


@lru_cache(maxsize=2048)
def _numbered(question: str) -> tuple[tuple[str, str], ...]:
    """What the question numbers, and its number: ("season", "4") of "season 4",
    ("Helios", "2") of "Helios-2". Years are not counts ("World Cup 2014")."""
    return tuple(
        (word, number) for word, number in _NUMBERED.findall(question) if not YEAR.fullmatch(number)
    )


def _numbered_otherwise(word: str, number: str, sentence: str) -> bool:
    """The sentence numbers the word with other numbers only ("season 3", "Helios-1")."""
    pattern = rf"\b{re.escape(word)}[\s-]+(\d+)\b"
    found = set(re.findall(pattern, sentence, flags=re.IGNORECASE))
    return bool(found) and number not in found


@dataclass(frozen=True)
class _Words:
    """A text's words, and the initials of its runs of capitalised words ("US" for
    "United States"), as constraints are looked up in it."""

    tokens: frozenset[str]
    initials: frozenset[str]
    text: str  # casefolded, for the order of a name's words

    @staticmethod
    @lru_cache(maxsize=50_000)
    def of(text: str) -> _Words:
        tokens = frozenset(_plain(t) for t in _TOKEN.findall(text.casefold()))
        initials = set()
        for run in _CAPITALISED_RUN.finditer(text):
            words = run.group().split()
            for i in range(len(words)):
                for j in range(i + 2, min(len(words), i + _MAX_INITIALS) + 1):
                    initials.add("".join(w[0] for w in words[i:j]).casefold())
        return _Words(tokens, frozenset(initials), text.casefold())

    def __or__(self, other: _Words) -> _Words:
        return _Words(
            self.tokens | other.tokens, self.initials | other.initials, f"{self.text}\n{other.text}"
        )

    def states(self, constraint: str) -> bool:
        parts = [_plain(t) for t in _TOKEN.findall(constraint.casefold())]
        wanted = [p for p in parts if len(p) >= _MIN_NAME_PART or p[:1].isdigit()] or parts
        found = sum(self._has(part) for part in wanted)
        if len(wanted) >= _LONG_NAME and found >= len(wanted) - 1:
            return True
        if found == len(wanted) and self._in_order(wanted):
            return True
        # A name and its initials stand for each other: "United States" and "US".
        initials = "".join(p[0] for p in parts if not p[:1].isdigit())
        if len(wanted) >= 2 and initials in self.tokens:
            return True
        return len(parts) == 1 and constraint.isupper() and parts[0] in self.initials

    def _in_order(self, wanted: list[str]) -> bool:
        """A name of two words is one name only where they stand together ("Transport
        Minister" is not stated by "Labour Minister" and "Transport Workers' Union");
        a few words may come between ("Tour de France"). A misspelt word is not held to
        it."""
        if len(wanted) != 2 or not all(part in self.tokens for part in wanted):
            return True
        first, second = (re.escape(part) for part in wanted)
        return re.search(rf"\b{first}\W+(?:\w+\W+){{0,2}}?{second}\b", self.text) is not None

    def _has(self, part: str) -> bool:
        if part in self.tokens:
            return True
        if len(part) < _FUZZY_MIN_LENGTH or part[:1].isdigit():
            return False
        return _one_edit_from(part, self.tokens)


def names(text: str, name: str) -> bool:
    """Whether the text names it, as a question's names are looked for: in its words, one
    of them misspelt, or by its initials ("NFL" for "National Football League")."""
    return _Words.of(text).states(name)


def _plain(token: str) -> str:
    """ "1,000" and "1000" are one number."""
    return token.replace(",", "") if token[:1].isdigit() else token
