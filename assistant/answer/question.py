"""What a question asks, read by spaCy: its question word, and the names, years and
numbers an answer must agree with.

"Who won the 2021 Tour de France?" asks *who*, and constrains the answer to 2021 and to
the Tour de France: a sentence about the 2019 race is no answer, however alike it reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from assistant.language import lexicon, nlp
from assistant.language.text import CALENDAR_NAMES
from assistant.language.words import content_stems


class Wh(StrEnum):
    """The question word, which says what kind of answer is wanted."""

    WHO = "who"
    WHAT = "what"
    WHICH = "which"
    WHEN = "when"
    WHERE = "where"
    HOW_MANY = "how-many"  # how many, how much, how long, how old ...
    HOW = "how"
    WHY = "why"
    YES_NO = "yes-no"
    OTHER = "other"  # a keyword query ("Super Bowl 2021 location"), an order ("Name ...")


# The question words a short answer (a name, place, date, number or thing) can answer.
SHORT_ANSWER_WH = frozenset({Wh.WHO, Wh.WHAT, Wh.WHICH, Wh.WHEN, Wh.WHERE, Wh.HOW_MANY, Wh.OTHER})
_WH_TAGS = {"WDT", "WP", "WP$", "WRB"}


@dataclass(frozen=True)
class Question:
    text: str
    wh: Wh
    # The answer names several things ("Which cities ..."): its head noun is plural.
    wants_list: bool
    # What the answer must agree with: names, years and other numbers the question states.
    names: tuple[str, ...]
    years: tuple[str, ...]
    numbers: tuple[str, ...]
    negated: bool  # "Which country did not ...": the answer sentence must say "not" too
    stems: frozenset[str]
    # The common nouns the question is about, as written: "mayor" of "Who is the mayor of
    # Westbrook?", "prices" and "apple" of "How much will apple prices rise?" (`_topics`).
    topics: tuple[str, ...] = ()
    # The days of the week and months it names as dates ("Which band played on Saturday
    # night?"): a sentence naming another day instead says of another one.
    days: tuple[str, ...] = ()

    @property
    def constraints(self) -> tuple[str, ...]:
        return self.names + self.years + self.numbers

    @property
    def wants_short_answer(self) -> bool:
        return self.wh in SHORT_ANSWER_WH


@lru_cache(maxsize=2048)
def analyze(text: str) -> Question:
    doc = nlp.parse(text)
    wh, head = _question_word(doc)
    return Question(
        text=text,
        wh=wh,
        wants_list=head is not None and head.tag_ in {"NNS", "NNPS"},
        names=tuple(dict.fromkeys(nlp.proper_names(doc))),
        years=tuple(dict.fromkeys(nlp.years(doc))),
        numbers=tuple(dict.fromkeys(nlp.numbers(doc))),
        negated=any(token.dep_ == "neg" for token in doc),
        stems=frozenset(content_stems(text)),
        topics=tuple(dict.fromkeys(t.text.lower() for t in _topics(doc))),
        days=tuple(
            dict.fromkeys(t.text for t in doc if t.text in CALENDAR_NAMES and t.ent_type_ in _DATES)
        ),
    )


_DATES = frozenset({"DATE", "TIME"})  # not "May" the person


# What the main clause is about: its subject, or what "who is" asks after. An object is
# often said in other words ("won 24 seats" for "won the election"), and a noun further
# down ("blame for the failure to reach an agreement") only adds a detail.
_TOPIC_ROLES = frozenset({"nsubj", "nsubjpass", "attr"})
_COUNTING = frozenset({"many", "much"})


def _topics(doc):  # type: ignore[no-untyped-def]
    """The common nouns the main clause is about, with the nouns compounded into them
    ("apple" of "apple prices"). Not the noun asked for ("which cities", "how many
    people", "What is the release date"), nor names, dates and numbers, which are
    constraints of their own."""
    for token in doc:
        if token.pos_ != "NOUN" or token.ent_type_ or token.is_stop:
            continue
        if token.dep_ not in _TOPIC_ROLES or token.head.dep_ != "ROOT":
            continue
        if any(child.tag_ in _WH_TAGS or child.lower_ in _COUNTING for child in token.children):
            continue
        if token.head.lemma_ == "be" and any(
            child.lower_ in {"what", "which"} for child in token.head.children
        ):
            continue
        if _tagged_a_noun_wrongly(token):
            continue
        yield token
        yield from (
            child
            for child in token.children
            if child.dep_ == "compound" and child.pos_ == "NOUN" and not child.is_stop
        )


def _tagged_a_noun_wrongly(token) -> bool:  # type: ignore[no-untyped-def]
    """ "arrive" in "Where did the satellite's first signal arrive?": a word WordNet has
    only as another part of speech. A word it lacks altogether (misspelt) stays a noun."""
    return not lexicon.noun_bases(token.lower_) and any(
        lexicon.has_sense(token.lemma_, pos) for pos in ("VERB", "ADJ", "ADV")
    )


def _question_word(doc):  # type: ignore[no-untyped-def]
    """The question word, and for "which"/"what" the noun it asks about ("which cities")."""
    for token in doc:
        if token.tag_ not in _WH_TAGS:
            continue
        word = token.lower_
        if word == "how":
            following = token.nbor(1) if token.i + 1 < len(doc) else None
            if following is not None and following.pos_ in {"ADJ", "ADV"}:
                return Wh.HOW_MANY, following.head if following.head.pos_ == "NOUN" else None
            return Wh.HOW, None
        if word in {"what", "which"}:
            noun = token.head if token.dep_ == "det" and token.head.pos_ == "NOUN" else None
            return (Wh.WHICH if word == "which" else Wh.WHAT), noun
        if word in {"who", "whom", "whose"}:
            return Wh.WHO, None
        for kind in (Wh.WHEN, Wh.WHERE, Wh.WHY):
            if word == kind.value:
                return kind, None
    if len(doc) and doc[0].pos_ == "AUX":
        return Wh.YES_NO, None
    return Wh.OTHER, None
