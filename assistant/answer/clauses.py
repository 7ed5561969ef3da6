"""How verification reads a text: its clauses, its content words and their dictionary
keys, its names and figures, and what a negation governs. Read with spaCy; WordNet gives
a verb the particle or object it is listed with ("turn down", "take place").
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.language import lexicon, nlp
from assistant.language.text import figures
from assistant.language.words import NEGATORS, stopwords

_CONTENT = {"NOUN", "VERB", "ADJ", "ADV", "PROPN", "NUM"}
_PREDICATES = {"VERB", "ADJ", "NOUN"}
VERBS = {"VERB", "AUX"}
_SAID_OF = {"ROOT", "acomp", "attr", "oprd", "xcomp", "conj"}
# Words that can stand in for one another: an adjective for an adverb, not for a verb.
_KINDS = {"VERB": "event", "ADJ": "quality", "ADV": "quality", "NOUN": "thing", "NUM": "number"}
_NAMED = {"PERSON", "NORP", "FAC", "GPE", "LOC", "ORG", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
# Where a negation stops reaching: the head of a clause of its own.
_CLAUSE_HEADS = {"ROOT", "conj", "ccomp", "advcl", "relcl", "acl", "csubj", "parataxis"}
_ONLY = {"only", "just", "merely", "simply"}
_ASKING = {"whether", "if"}  # what opens a question or a condition, asserted by no one
# "Rather than dispersing", "instead of leaving": what is done in place of something
# that is not done.
_IN_PLACE_OF = {("rather", "than"), ("instead", "of")}
SUBJECTS = {"nsubj", "csubj", "expl"}
PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
OBJECTS = {"dobj", "obj", "attr", "oprd", "dative"}
_POSSESSIVE = re.compile(r"['’]s\b")
_WORDS_ONLY = re.compile(r"\w+")


@dataclass
class Reading:
    """A text as the checks need it: its tokens, and its clauses as token lists."""

    tokens: list  # spaCy tokens, the yes/no opener left out
    clauses: list[list] = field(default_factory=list)


def read(text: str) -> Reading:
    """The text's tokens and clauses: each token belongs to the nearest clause head above
    it (the root, or a verb joined to another by "and" / "but")."""
    doc = nlp.parse(text)
    tokens = list(doc)
    if len(tokens) > 2 and tokens[0].lower_ in {"yes", "no"} and tokens[1].is_punct:
        tokens = tokens[2:]
    heads = [t for t in tokens if t.dep_ == "ROOT" or _is_clause_conj(t)]
    clauses: dict[int, list] = {h.i: [] for h in heads}
    for token in tokens:
        owner = token
        while owner.i not in clauses and owner.head.i != owner.i:
            owner = owner.head
        clauses.setdefault(owner.i, []).append(token)
    return Reading(tokens, [c for c in clauses.values() if any(is_content(t) for t in c)])


def _is_clause_conj(token) -> bool:  # type: ignore[no-untyped-def]
    """ "and he has recommended ...": a verb joined to another, with a subject of its own or
    sharing the first one's; or, after ", and", whatever the parser made of a clause with
    a verb of its own (", and many miners worked there", read as miners who worked)."""
    if token.dep_ != "conj":
        return False
    if token.pos_ in VERBS and token.head.pos_ in VERBS:
        return True
    start = token.left_edge.i
    doc = token.doc
    after_comma = start >= 2 and doc[start - 1].dep_ == "cc" and doc[start - 2].text == ","
    return after_comma and any(t.pos_ in VERBS for t in token.subtree)


def is_content(token) -> bool:  # type: ignore[no-untyped-def]
    if token.dep_ in {"prt", "dobj"} and _phrase(token.head).endswith(f" {token.lower_}"):
        return False  # part of its verb ("turned down", "took place")
    if token.pos_ == "VERB" and " " in _phrase(token):
        return True  # "give up" says more than "give", a stop word
    return (
        token.pos_ in _CONTENT
        and (token.is_alpha or token.like_num)
        and not token.is_stop
        and token.lemma_.casefold() not in stopwords()
    )


def is_name(token) -> bool:  # type: ignore[no-untyped-def]
    """A proper noun, a named entity, or a figure ("1960s", "13–29"; "one" standing for a
    thing is none)."""
    number = _has_digits(token) or (token.like_num and token.dep_ in {"nummod", "quantmod", "amod"})
    named = token.ent_type_ in _NAMED and token.pos_ in {"PROPN", "NOUN", "ADJ"}
    return token.pos_ == "PROPN" or named or bool(number)


def is_word(token) -> bool:  # type: ignore[no-untyped-def]
    return token.is_alpha or token.like_num or _has_digits(token)


def _has_digits(token) -> bool:  # type: ignore[no-untyped-def]
    return any(c.isdigit() for c in token.text)


def word_key(token) -> str:  # type: ignore[no-untyped-def]
    if is_name(token):
        return token.text.casefold()
    return _phrase(token) if token.pos_ == "VERB" else token.lemma_.casefold()


@lru_cache(maxsize=8192)
def _phrase_of(lemma: str, parts: tuple[str, ...]) -> str:
    for part in parts:
        if lexicon.known(f"{lemma} {part}"):
            return f"{lemma} {part}"
    return lemma


def _phrase(verb) -> str:  # type: ignore[no-untyped-def]
    """A verb with the particle or object WordNet lists it with: "turn down", "take place"."""
    lemma = verb.lemma_.casefold()
    if verb.pos_ != "VERB":
        return lemma
    parts = tuple(c.lower_ for c in verb.children if c.dep_ in {"prt", "dobj"})
    return _phrase_of(lemma, parts) if parts else lemma


def sense_of(token) -> str:  # type: ignore[no-untyped-def]
    """The form whose vector carries the word's meaning here: a participle as written
    ("intimidated" is near "afraid"; "intimidate" is not)."""
    return token.lower_ if _is_participle(token) else word_key(token)


def _is_participle(token) -> bool:  # type: ignore[no-untyped-def]
    """A past participle that describes ("is not intimidated", "a monitored ceasefire"),
    not one of a perfect tense ("has welcomed")."""
    return token.tag_ == "VBN" and (
        token.dep_ in {"acomp", "amod", "acl"} or any(c.dep_ == "auxpass" for c in token.children)
    )


def kinds_of(token) -> set[str]:  # type: ignore[no-untyped-def]
    """What a content word stands for; a past participle ("intimidated") and a quality
    said of something ("would be intricate") are events and qualities both."""
    kind = _KINDS.get(token.pos_)
    if _is_participle(token) or (token.pos_ == "ADJ" and token.dep_ == "acomp"):
        return {"event", "quality"}
    return {kind} if kind else set()


def is_predicate(token) -> bool:  # type: ignore[no-untyped-def]
    """A verb, or a word said of a subject ("is weak", "is a member"): what a negation
    denies. A noun or adjective inside a subject or object is no predicate: in "the
    necessary agenda is not established" the agenda is not denied to be necessary."""
    return token.pos_ == "VERB" or (token.pos_ in _PREDICATES and token.dep_ in _SAID_OF)


def negated(token) -> bool:  # type: ignore[no-untyped-def]
    """Whether a negation governs the token within its clause: "not", "n't", "never", a
    "no" on it or its subject ("no other nations have offered"), "no longer" (the parser
    hangs the "no" on "longer"), "has yet to respond", a verb that denies it ("refused to
    sign"), "nor" before it ("never ratified nor approved"), "rather than" or "instead
    of" before it; but not across a "whether" or an "if"."""
    current = token
    while True:
        for child in current.children:
            if child.dep_ == "intj":  # a yes/no answer's "No," negates nothing
                continue
            if is_negation(child):
                return True
            if child.dep_ in SUBJECTS | OBJECTS and any(
                g.lower_ in NEGATORS or _denies_its_head(g) for g in child.children
            ):
                # "no other nations have offered", "it had no significance", "he meant
                # not the violence but ..."
                return True
            if child.dep_ in SUBJECTS and child.lower_ in NEGATORS:
                return True
            no_longer = child.dep_ == "advmod" and child.lower_ == "longer"
            if no_longer and any(is_negation(g) for g in child.children):
                return True  # "is no longer in use"
        if current is token and _denied(token):
            return True
        if _after_nor(current) or _in_place_of(current):
            return True
        has_yet = current.lower_ == "yet" or any(c.lower_ == "yet" for c in current.children)
        if has_yet and (
            current.dep_ == "xcomp" or any(c.dep_ == "xcomp" for c in current.children)
        ):
            return True
        if current.dep_ in _CLAUSE_HEADS or current.head.i == current.i:
            return False
        if any(c.dep_ == "mark" and c.lower_ in _ASKING for c in current.children):
            return False  # "had not yet decided whether to appeal" denies no appeal
        current = current.head


def named_alike(name: str, words: Set[str]) -> bool:
    """A name among the words, or one that names the same place or people: "Swedish" by
    "Sweden", "Sweden" by "Swedish" (WordNet's pertainyms)."""
    name = name.casefold()
    if name in words:
        return True
    if any(set(noun.split()) <= words for noun in lexicon.pertains_to(name)):
        return True
    return any(name in lexicon.pertains_to(word) for word in words if word[:1].isalpha())


def is_negation(token) -> bool:  # type: ignore[no-untyped-def]
    """ "not", "n't" or a word that says none ("no", "never", "nothing")."""
    return token.dep_ == "neg" or token.lower_ in NEGATORS


def _denies_its_head(token) -> bool:  # type: ignore[no-untyped-def]
    """A "not" on a word, but not the "not only" of "not only X but also Y"."""
    following = token.nbor() if token.i + 1 < len(token.doc) else None
    return token.dep_ == "neg" and not (following is not None and following.lower_ in _ONLY)


def _after_nor(token) -> bool:  # type: ignore[no-untyped-def]
    """A conjunct that "nor" joins on: "never ratified nor approved"."""
    return token.dep_ == "conj" and any(
        c.dep_ == "cc" and c.lower_ == "nor" and c.i < token.i for c in token.head.children
    )


def _in_place_of(token) -> bool:  # type: ignore[no-untyped-def]
    """What "rather than" or "instead of" puts aside: "rather than dispersing"."""
    if token.dep_ not in {"pcomp", "pobj"} or token.head.i == 0:
        return False
    preposition = token.head
    return (preposition.nbor(-1).lower_, preposition.lower_) in _IN_PLACE_OF


def _denied(token) -> bool:  # type: ignore[no-untyped-def]
    """A verb governed by one that denies it: "refused to sign", "ruled out giving up",
    "refrained from voting", "denied that it took place"."""
    if token.pos_ != "VERB" or token.dep_ not in {"xcomp", "pcomp", "dobj", "ccomp"}:
        return False
    governor = token.head.head if token.head.pos_ == "ADP" else token.head
    return governor.pos_ == "VERB" and lexicon.denies(word_key(governor))


def aligned(token, tokens: list, said: Set[str] = frozenset()) -> list:  # type: ignore[no-untyped-def]
    """The passage's words for the token: itself, or a synonym that is not a word the
    claim says outright elsewhere (that word's counterpart: "separates" is no "knows",
    though WordNet has "know right from wrong", in a claim saying both)."""
    key = word_key(token)
    if not is_content(token):  # a light verb ("have") stands only for itself
        return [t for t in tokens if t.pos_ == token.pos_ and word_key(t) == key]
    return [
        t
        for t in tokens
        if is_content(t)
        and (
            word_key(t) == key
            or (word_key(t) not in said and lexicon.means_the_same(key, word_key(t)))
        )
    ]


def bare(text: str) -> str:
    """Words only: "NATO's Secretary-General, Mark Rutte" as "nato secretary general mark
    rutte", so a name and its title are together however they are punctuated."""
    return " ".join(_WORDS_ONLY.findall(_POSSESSIVE.sub("", text.casefold())))


class PassageReading:
    """A passage read once: its sentences parsed, their words and names gathered."""

    def __init__(self, sentences: Sequence[str], context: str = "") -> None:
        self.sentences = [read(s) for s in sentences]
        self.tokens = [t for r in self.sentences for t in r.tokens]  # every sentence's
        self.words = [
            {word_key(t) for t in r.tokens} | {t.lower_ for t in r.tokens} | set(figures(s))
            for r, s in zip(self.sentences, sentences, strict=True)
        ]
        # What a thesaurus may match: "has" stands for nothing a claim says.
        self.content = [{word_key(t) for t in r.tokens if is_content(t)} for r in self.sentences]
        self.context = {t.lower_ for t in nlp.parse(context)} if context else set()
        self.original = " ".join(sentences)
        self.bare = bare(self.original)
