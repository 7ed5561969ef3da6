"""Does a stretch of a passage state what a clause says? Read with spaCy and WordNet.

A claim is cut into clauses ("X happened, and Y followed" is two), and each clause is held
against the one or two adjacent sentences of the passage that explain most of its words.
The clause is stated there when:

- every name and figure of it is there ("13" and "29" of "13–29"), and every run of
  proper nouns word for word ("German Chancellor Keir Starmer" is no fact when the
  passage names the German Chancellor Friedrich Merz and the British Prime Minister Keir
  Starmer); across two sentences, each name beside something else the clause says ("a
  riot in 1854" is no fact where one sentence has the riot and the other 1854);
- every content word is there, or a word WordNet says can stand for it ("truce" for
  "ceasefire"), or one MiniLM puts close in meaning to a word of its kind there; at least
  one word or name is there outright, since a thesaurus links anything to anything; a
  word that means the opposite of one there ("accepted" for "rejected"), unless the
  passage also says it in other words or says it of someone else, or another thing of
  the same kind ("cholera" for "typhoid") is a different fact, however close its vector;
  so is the opposite said of the same thing ("less aligned" where it is "more aligned");
- each of its predicates (a verb, or what is said of a subject) is negated exactly when
  the passage's matching one is ("has yet to respond" and "has not yet responded" are
  the same; "includes" and "does not include" are not);
- whoever does what, to whom, from where to where, is the same: the names that fill a
  predicate's subject, object and prepositions in the claim fill the same places in the
  passage ("Putin praised Trump" is not "Trump praised Putin"), and a name keeps its
  direction ("from Tampa" is not "to Tampa").

A yes/no answer's opening "Yes," or "No," is the answer to the question, not a negation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from assistant.language import lexicon, nlp
from assistant.language.text import figures, spells_out
from assistant.language.words import NEGATORS, stopwords

_CONTENT = {"NOUN", "VERB", "ADJ", "ADV", "PROPN", "NUM"}
_PREDICATES = {"VERB", "ADJ", "NOUN"}
_VERBS = {"VERB", "AUX"}
_DESCRIBING = {"ADJ", "ADV", "VERB"}  # what can be said of a thing, and its opposite
_SAID_OF = {"ROOT", "acomp", "attr", "oprd", "xcomp", "conj"}
# Words that can stand in for one another: an adjective for an adverb, not for a verb.
_KINDS = {"VERB": "event", "ADJ": "quality", "ADV": "quality", "NOUN": "thing", "NUM": "number"}
_NAMED = {"PERSON", "NORP", "FAC", "GPE", "LOC", "ORG", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
# Where a negation stops reaching: the head of a clause of its own.
_CLAUSE_HEADS = {"ROOT", "conj", "ccomp", "advcl", "relcl", "acl", "csubj", "parataxis"}
_SUBJECTS = {"nsubj", "csubj", "expl"}
_PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
_OBJECTS = {"dobj", "obj", "attr", "oprd", "dative"}
# Prepositions whose objects swap the sense when swapped ("from Tampa to Los Angeles");
# where and when ("in", "on") are left to the names check: lists of places and dates
# hang from one predicate in too many ways to compare place by place.
_DIRECTIONS = frozenset({"from", "to", "into", "between", "against"})
_POSSESSIVE = re.compile(r"['’]s\b")
_WORDS_ONLY = re.compile(r"\w+")


@dataclass(frozen=True)
class Thresholds:
    """Chosen on the verification suite's dev claims by scripts/fit_verifier.py.

    A content word that neither the passage nor WordNet explains is a paraphrase the
    lexicon missed ("complained" for "criticized") or a fact added ("economic aid"):
    single-word vectors tell the two apart poorly, so a clause may carry a few such
    words, each close enough to a word of its own kind the passage uses (a verb to a
    verb), and no more; never a noun, which brings in a thing the passage does not name
    ("held on the moon")."""

    word_similarity: float = 0.3  # MiniLM cosine to the nearest word of its kind there
    unexplained_words: int = 2  # how many such words a clause may carry


@dataclass
class Finding:
    """What holding one clause against a passage found."""

    stated: bool
    sentences: tuple[int, ...] = ()  # the passage sentences it was held against
    why: str = ""
    text: str = ""  # the clause
    contradicted: bool = False  # the passage says the opposite: a word's antonym, or "not"


@dataclass
class _Reading:
    """A text as the checks need it: its tokens, and its clauses as token lists."""

    tokens: list  # spaCy tokens, the yes/no opener left out
    clauses: list[list] = field(default_factory=list)


def read(text: str) -> _Reading:
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
    return _Reading(tokens, [c for c in clauses.values() if any(_is_content(t) for t in c)])


def _is_clause_conj(token) -> bool:  # type: ignore[no-untyped-def]
    """ "and he has recommended ...": a verb joined to another, with a subject of its own or
    sharing the first one's; or, after ", and", whatever the parser made of a clause with
    a verb of its own (", and many miners worked there", read as miners who worked)."""
    if token.dep_ != "conj":
        return False
    if token.pos_ in _VERBS and token.head.pos_ in _VERBS:
        return True
    start = token.left_edge.i
    doc = token.doc
    after_comma = start >= 2 and doc[start - 1].dep_ == "cc" and doc[start - 2].text == ","
    return after_comma and any(t.pos_ in _VERBS for t in token.subtree)


def _is_content(token) -> bool:  # type: ignore[no-untyped-def]
    if token.dep_ in {"prt", "dobj"} and _phrase(token.head) != token.head.lemma_.casefold():
        return False  # part of its verb ("turned down", "took place")
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


def _key(token) -> str:  # type: ignore[no-untyped-def]
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


class PassageReading:
    """A passage read once: its sentences parsed, their words and names gathered."""

    def __init__(self, sentences: Sequence[str], context: str = "") -> None:
        self.sentences = [read(s) for s in sentences]
        self.words = [
            {_key(t) for t in r.tokens} | {t.lower_ for t in r.tokens} | set(figures(s))
            for r, s in zip(self.sentences, sentences, strict=True)
        ]
        # What a thesaurus may match: "has" stands for nothing a claim says.
        self.content = [{_key(t) for t in r.tokens if _is_content(t)} for r in self.sentences]
        self.context = {t.lower_ for t in nlp.parse(context)} if context else set()
        self.original = " ".join(sentences)
        self.bare = _bare(self.original)


class Entailment:
    """Holds clauses against passages; `word_vectors` embeds single words (MiniLM)."""

    def __init__(
        self,
        word_vectors: Callable[[list[str]], np.ndarray],
        thresholds: Thresholds | None = None,
    ) -> None:
        self.word_vectors = word_vectors
        self.thresholds = thresholds or Thresholds()
        self._vectors: dict[str, np.ndarray] = {}

    def claim_findings(self, claim: str, passage: PassageReading) -> list[Finding]:
        """One finding per clause of the claim; a claim without one states nothing."""
        clauses = read(claim).clauses
        if not clauses:
            return [Finding(False, why="states nothing", text=claim)]
        return [self.clause_finding(clause, passage) for clause in clauses]

    def clause_finding(self, clause: list, passage: PassageReading) -> Finding:
        finding = self._hold(clause, passage)
        finding.text = "".join(t.text_with_ws for t in clause)
        return finding

    def _hold(self, clause: list, passage: PassageReading) -> Finding:
        content = [t for t in clause if _is_content(t)]
        names = [t for t in clause if is_name(t) and is_word(t)]
        windows = _windows(len(passage.sentences))
        if not windows:
            return Finding(False, why="the passage states nothing")
        best = max(windows, key=lambda w: (self._matched(content, names, passage, w), -len(w)))
        words = set().union(*(passage.words[i] for i in best))
        missing = [t.text for t in names if not self._has_name(t, words, passage)]
        if missing:
            return Finding(False, best, f"not stated there: {', '.join(missing)}")
        if not names and not any(_said(t, words) for t in content):
            # Only a thesaurus links it to the passage: WordNet's senses are many, and
            # "Rules:" or a model's prompt repeated back would find a neighbour anywhere.
            return Finding(False, best, "shares no word with the passage")
        if run := _missing_run(clause, passage.bare):
            return Finding(False, best, f"not stated together: {run}")
        if stray := _stray_name(names, content, passage, best):
            return Finding(False, best, f"not stated together: {stray}")
        tokens = [t for i in best for t in passage.sentences[i].tokens]
        for token in content:
            if _said(token, words) or is_name(token):
                continue
            if opposite := _opposite(token, tokens):
                return Finding(False, best, opposite, contradicted=True)
            if sibling := _sibling(token, tokens):
                return Finding(False, best, sibling)
        meaningful = set().union(*(passage.content[i] for i in best))
        unexplained = [t for t in content if not _lexically_explained(t, words, meaningful)]
        if (
            len(unexplained) > self.thresholds.unexplained_words
            or any(t.pos_ == "NOUN" for t in unexplained)  # a thing the passage never names
            or not all(self._close(t, tokens) for t in unexplained)
        ):
            return Finding(False, best, f"adds: {', '.join(t.text for t in unexplained)}")
        if opposed := _said_the_opposite_of(clause, tokens):
            return Finding(False, best, opposed, contradicted=True)
        # The clause's own verb, however light, is denied or not ("did not have").
        light = [t for t in clause if t.pos_ == "VERB" and t.dep_ in {"ROOT", "conj"}]
        verbs = content + [t for t in light if not _is_content(t)]
        if flipped := _polarity_flip(verbs, tokens):
            return Finding(False, best, f"negated differently: {flipped}", contradicted=True)
        if swapped := _roles_swapped(content, tokens) or _directions_swapped(clause, tokens):
            return Finding(False, best, f"different roles: {swapped}")
        return Finding(True, best)

    # --- steps --------------------------------------------------------------------------

    def _matched(self, content: list, names: list, passage: PassageReading, window) -> tuple:  # type: ignore[no-untyped-def]
        words = set().union(*(passage.words[i] for i in window))
        meaningful = set().union(*(passage.content[i] for i in window))
        named = sum(t.lower_ in words for t in names)
        explained = sum(_lexically_explained(t, words, meaningful) for t in content)
        # Between windows a thesaurus explains equally well, the one saying more outright.
        return named, explained, sum(_said(t, words) for t in content)

    @staticmethod
    def _has_name(token, words: set[str], passage: PassageReading) -> bool:  # type: ignore[no-untyped-def]
        stated = figures(token.text)
        if stated and all(figure in words for figure in stated):
            return True  # "13" and "29" of "from August 13 to 29" where it says "13–29"
        return (
            token.lower_ in words
            or token.lower_ in passage.context
            or spells_out(token.text, passage.original)
        )

    def _close(self, token, tokens: list) -> bool:  # type: ignore[no-untyped-def]
        """Close in meaning to a word of the same kind there: a paraphrase puts a verb
        where the passage has a verb ("welcomed" is near "meeting", not near "respond"),
        and a quality for a quality ("not afraid" for "not intimidated")."""
        kinds = _kinds(token)
        others = [_sense(t) for t in tokens if _is_content(t) and _kinds(t) & kinds]
        if not others:
            return False
        vectors = self._embed([_sense(token), *others])
        return float((vectors[1:] @ vectors[0]).max()) >= self.thresholds.word_similarity

    def _embed(self, words: list[str]) -> np.ndarray:
        new = [w for w in dict.fromkeys(words) if w not in self._vectors]
        if new:
            for word, vector in zip(new, self.word_vectors(new), strict=True):
                self._vectors[word] = vector
        return np.stack([self._vectors[w] for w in words])


def _said(token, words: set[str]) -> bool:  # type: ignore[no-untyped-def]
    """The word itself is there, as written or as its lemma."""
    return _key(token) in words or token.lower_ in words


def _lexically_explained(token, words: set[str], content: set[str]) -> bool:  # type: ignore[no-untyped-def]
    """The word is there, or WordNet links it to a content word there."""
    return _said(token, words) or bool(lexicon.near(_key(token)) & content)


def _opposite(token, tokens: list) -> str:  # type: ignore[no-untyped-def]
    """A word of the passage there that means the opposite ("accepted", "rejected"),
    unless the passage also says the word itself in other words ("gave up" beside
    "surrendered": what "not upheld" opposes is another thing), or says it of someone
    else ("Zverev lost" beside "Thiem ... won": one lost what the other won)."""
    key = _key(token)
    if any(_key(t) in lexicon.synonyms(key) for t in tokens if _is_content(t)):
        return ""
    doer = _agent(token)
    for other in _others(token, tokens):
        if lexicon.means_the_opposite(key, _key(other)):
            if doer and (done_by := _agent(other)) and not doer & done_by:
                continue
            return f"{token.text} against {other.text}"
    return ""


def _agent(token) -> set[str]:  # type: ignore[no-untyped-def]
    """The names of who does what a verb says; none for another word."""
    return roles(token).get("agent", set()) if token.pos_ == "VERB" else set()


def _said_the_opposite_of(clause: list, tokens: list) -> str:
    """The passage says the opposite of the same thing: "less aligned" where it has
    "more aligned", "faults are older" where "faults are younger", "directly
    proportional" where "inversely", though it may use the claim's word elsewhere.
    Unless it says the claim's word of that thing too: "primary law" and "secondary law"
    are two things."""
    for token in clause:
        if token.pos_ not in _DESCRIBING or is_name(token):
            continue
        key, anchor = _key(token), _key(_described(token))
        said_of = [t for t in tokens if t.pos_ in _DESCRIBING and _key(_described(t)) == anchor]
        if any(lexicon.means_the_same(key, _key(t)) for t in said_of):
            continue
        for other in said_of:
            if lexicon.means_the_opposite(key, _key(other)):
                return f"{token.text} against {other.text}"
    return ""


def _described(token):  # type: ignore[no-untyped-def]
    """What a word is said of: a predicate's subject ("faults" of "faults are older"), a
    modifier's head ("aligned" of "more aligned")."""
    if token.dep_ in {"acomp", "attr"}:
        return next((c for c in token.head.children if c.dep_ in _SUBJECTS), token.head)
    return token.head


def _sibling(token, tokens: list) -> str:  # type: ignore[no-untyped-def]
    """Another thing of the same kind where the passage has it ("cholera" for
    "typhoid")."""
    if token.pos_ != "NOUN":
        return ""
    key = _key(token)
    for other in _others(token, tokens):
        if (
            other.pos_ == "NOUN"
            and _same_place(token, other)
            and lexicon.is_sibling(key, _key(other))
        ):
            return f"{token.text} instead of {other.text}"
    return ""


def _others(token, tokens: list) -> list:  # type: ignore[no-untyped-def]
    """The passage's content words that are not the token's own or a synonym of it."""
    key = _key(token)
    return [
        other
        for other in tokens
        if _is_content(other)
        and _key(other) != key
        and not lexicon.means_the_same(key, _key(other))
    ]


def _same_place(token, other) -> bool:  # type: ignore[no-untyped-def]
    """Both words hang from the same word ("an outbreak of cholera", "an outbreak of
    typhoid"): one stands where the other stood."""
    first, second = _anchor(token), _anchor(other)
    return _key(first) == _key(second) or lexicon.means_the_same(_key(first), _key(second))


def _anchor(token):  # type: ignore[no-untyped-def]
    head = token.head
    return head.head if head.pos_ == "ADP" else head


def _stray_name(names: list, content: list, passage: PassageReading, window) -> str:  # type: ignore[no-untyped-def]
    """Across two sentences, a name none of whose sentences says anything else the clause
    says: "a riot in 1854" where one sentence has the riot and the other the year. A
    name the title or lead-in gives, or that several sentences name, is what the passage
    is about ("Ukraine" of "Russia's full-scale invasion"), and may stand apart."""
    said = [t for t in content if not is_name(t)]
    if len(window) < 2 or not said:
        return ""
    for name in names:
        naming = sum(name.lower_ in words for words in passage.words)
        if name.lower_ in passage.context or naming > 1:
            continue
        around = [i for i in window if name.lower_ in passage.words[i]]
        if around and not any(
            _lexically_explained(t, passage.words[i], passage.content[i])
            for t in said
            for i in around
        ):
            return name.text
    return ""


def _windows(count: int) -> list[tuple[int, ...]]:
    return [(i,) for i in range(count)] + [(i, i + 1) for i in range(count - 1)]


def _bare(text: str) -> str:
    """Words only: "NATO's Secretary-General, Mark Rutte" as "nato secretary general mark
    rutte", so a name and its title are together however they are punctuated."""
    return " ".join(_WORDS_ONLY.findall(_POSSESSIVE.sub("", text.casefold())))


def _missing_run(clause: list, bare_text: str) -> str:
    """A run of two or more proper nouns the passage never writes together."""
    runs, current = [], []
    for token in clause:
        if token.pos_ == "PROPN" and token.is_alpha:
            current.append(token)
            continue
        runs.append(current)
        current = []
    runs.append(current)
    for run in runs:
        if len(run) > 1:
            phrase = run[0].doc[run[0].i : run[-1].i + 1].text
            if f" {_bare(phrase)} " not in f" {bare_text} ":
                return phrase
    return ""


def _aligned(token, tokens: list, said: Set[str] = frozenset()) -> list:  # type: ignore[no-untyped-def]
    """The passage's words for the token: itself, or a synonym that is not a word the
    claim says outright elsewhere (that word's counterpart: "separates" is no "knows",
    though WordNet has "know right from wrong", in a claim saying both)."""
    key = _key(token)
    if not _is_content(token):  # a light verb ("have") stands only for itself
        return [t for t in tokens if t.pos_ == token.pos_ and _key(t) == key]
    return [
        t
        for t in tokens
        if _is_content(t)
        and (_key(t) == key or (_key(t) not in said and lexicon.means_the_same(key, _key(t))))
    ]


def negated(token) -> bool:  # type: ignore[no-untyped-def]
    """Whether a negation governs the token within its clause: "not", "n't", "never", a
    "no" on it or its subject ("no other nations have offered"), "has yet to respond"."""
    current = token
    while True:
        for child in current.children:
            if child.dep_ == "intj":  # a yes/no answer's "No," negates nothing
                continue
            if child.dep_ == "neg" or child.lower_ in NEGATORS:
                return True
            if child.dep_ in _SUBJECTS | _OBJECTS and any(
                g.lower_ in NEGATORS for g in child.children
            ):
                return True  # "no other nations have offered", "it had no significance"
            if child.dep_ in _SUBJECTS and child.lower_ in NEGATORS:
                return True
        has_yet = current.lower_ == "yet" or any(c.lower_ == "yet" for c in current.children)
        if has_yet and (
            current.dep_ == "xcomp" or any(c.dep_ == "xcomp" for c in current.children)
        ):
            return True
        if current.dep_ in _CLAUSE_HEADS or current.head.i == current.i:
            return False
        current = current.head


def _is_predicate(token) -> bool:  # type: ignore[no-untyped-def]
    """A verb, or a word said of a subject ("is weak", "is a member"): what a negation
    denies. A noun or adjective inside a subject or object is no predicate: in "the
    necessary agenda is not established" the agenda is not denied to be necessary."""
    return token.pos_ == "VERB" or (token.pos_ in _PREDICATES and token.dep_ in _SAID_OF)


def _sense(token) -> str:  # type: ignore[no-untyped-def]
    """The form whose vector carries the word's meaning here: a participle as written
    ("intimidated" is near "afraid"; "intimidate" is not)."""
    return token.lower_ if _is_participle(token) else _key(token)


def _is_participle(token) -> bool:  # type: ignore[no-untyped-def]
    """A past participle that describes ("is not intimidated", "a monitored ceasefire"),
    not one of a perfect tense ("has welcomed")."""
    return token.tag_ == "VBN" and (
        token.dep_ in {"acomp", "amod", "acl"} or any(c.dep_ == "auxpass" for c in token.children)
    )


def _kinds(token) -> set[str]:  # type: ignore[no-untyped-def]
    """What a content word stands for; a past participle ("intimidated") and a quality
    said of something ("would be intricate") are events and qualities both."""
    kind = _KINDS.get(token.pos_)
    if _is_participle(token) or (token.pos_ == "ADJ" and token.dep_ == "acomp"):
        return {"event", "quality"}
    return {kind} if kind else set()


def _polarity_flip(content: list, tokens: list) -> str:
    said = {_key(t) for t in content}
    for token in content:
        if not _is_predicate(token):
            continue
        matches = [m for m in _aligned(token, tokens, said) if _is_predicate(m)]
        if matches and all(negated(token) != negated(m) for m in matches):
            return token.text
    return ""


def _role_of(dep: str, passive: bool) -> str:
    if dep in _SUBJECTS:
        return "agent"
    if dep in _PASSIVE_SUBJECTS or (dep in _OBJECTS and not passive):
        return "patient"
    return ""


def roles(verb, named: Set[str] = frozenset()) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """The names and numbers in each place around a predicate: its agent, what it acts
    on, and the object of each preposition ("from", "to", "on", ...), the passive undone.
    A capitalised word in `named` counts as a name where the parser missed it ("Trump"
    read as a common noun)."""
    passive = any(c.dep_ in _PASSIVE_SUBJECTS for c in verb.children)
    found: dict[str, set[str]] = {}
    for child in verb.children:
        place = _role_of(child.dep_, passive)
        filler = child
        if child.dep_ == "agent":  # "released by Netflix"
            place = "agent"
            filler = next((g for g in child.children if g.dep_ == "pobj"), child)
        elif child.dep_ == "prep" and child.lower_ in _DIRECTIONS:
            place = f"prep:{child.lower_}"
            filler = next((g for g in child.children if g.dep_ == "pobj"), child)
        if not place:
            continue
        if filler.pos_ == "PRON" and verb.dep_ == "relcl":  # "Ivona, which bought ..."
            found[place] = _head_names(verb.head)
            continue
        found[place] = {
            t.lower_
            for t in _phrase_tokens(filler)
            if is_word(t) and (is_name(t) or (t.is_title and t.lower_ in named))
        }
    if verb.dep_ == "acl" and verb.tag_ == "VBN":  # "Ivona, bought by Amazon"
        found.setdefault("patient", _head_names(verb.head))
    shares_subject = verb.dep_ == "conj" or (
        verb.dep_ in {"xcomp", "advcl"} and any(c.lower_ == "to" for c in verb.children)
    )
    if shares_subject and verb.head.pos_ in _VERBS and not passive and "agent" not in found:
        # "European leaders remain ... and have proposed", "Thiem defeated Zverev ... to
        # win the title": the first verb's subject.
        found["agent"] = roles(verb.head, named).get("agent", set())
    return {place: names for place, names in found.items() if names}


def _roles_swapped(content: list, tokens: list) -> str:
    said = {_key(t) for t in content}
    for token in content:
        if token.pos_ not in {"VERB", "NOUN"}:
            continue
        matches = [m for m in _aligned(token, tokens, said) if m.pos_ == token.pos_]
        if not matches:
            continue
        named_there = {t.lower_ for t in tokens if is_name(t)}
        claimed = roles(token, named_there) if token.pos_ == "VERB" else _owner(token)
        if not claimed:
            continue
        if all(
            _conflicts(claimed, roles(m) if m.pos_ == "VERB" else _owner(m), named_there)
            for m in matches
        ):
            return token.text
    return ""


def _phrase_tokens(filler) -> list:  # type: ignore[no-untyped-def]
    """The filler's own phrase, without where and when it hangs ("1,000 miners", not "at
    Buckland Valley in 1854" after it: a parser hangs those on one word or another)."""
    found = [filler]
    for child in filler.children:
        if (child.dep_ == "prep" and child.lower_ != "of") or child.dep_ in {"relcl", "acl"}:
            continue
        found.extend(_phrase_tokens(child))
    return found


def _directions(tokens: list) -> dict[str, set[str]]:
    """Each name's direction: the preposition it hangs from ("from" Los Angeles "to"
    Tampa), wherever the parser attached the preposition itself."""
    found: dict[str, set[str]] = {}
    for token in tokens:
        # Dates and figures have no direction: "from 13–29 August" is "from August 13 to 29".
        if not (is_name(token) and token.is_alpha) or token.ent_type_ in {"DATE", "TIME"}:
            continue
        governor = token.head
        while governor.pos_ not in {"ADP", *_VERBS} and governor.head.i != governor.i:
            governor = governor.head
        if governor.pos_ == "ADP" and governor.lower_ in _DIRECTIONS:
            found.setdefault(token.lower_, set()).add(governor.lower_)
    return found


def _directions_swapped(clause: list, tokens: list) -> str:
    """A name the claim puts at one end ("from Tampa") that the passage puts only at
    another ("to Tampa")."""
    stated = _directions(tokens)
    for name, claimed in _directions(clause).items():
        if stated.get(name) and not claimed & stated[name]:
            return name
    return ""


def _head_names(noun) -> set[str]:  # type: ignore[no-untyped-def]
    """The names of a noun phrase's head ("Ivona" in "a synthesizer named Ivona, which"),
    not of the clauses hanging from it."""
    parts = _name_parts(noun)
    if noun.dep_ == "attr":  # "Anna Berg was a Swedish painter who lived ...": Anna Berg too
        parts += [g for c in noun.head.children if c.dep_ in _SUBJECTS for g in _name_parts(c)]
    # "a synthesizer named Ivona": the name it is given is the head's own.
    naming = [c for c in noun.children if c.dep_ == "acl"]
    parts += [g for c in naming for o in c.children if o.dep_ == "oprd" for g in o.subtree]
    return {t.lower_ for t in parts if is_name(t) and is_word(t)}


def _name_parts(noun) -> list:  # type: ignore[no-untyped-def]
    """A noun with the words that name or describe it in place ("Anna Berg", "a Swedish
    painter"), not the phrases hanging after it."""
    return [noun, *(c for c in noun.children if c.dep_ in {"compound", "appos", "amod"})]


def is_word(token) -> bool:  # type: ignore[no-untyped-def]
    return token.is_alpha or token.like_num or _has_digits(token)


def _has_digits(token) -> bool:  # type: ignore[no-untyped-def]
    return any(c.isdigit() for c in token.text)


def _owner(noun) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """Whose the thing is: "Ukraine's reluctance"."""
    owners = {t.lower_ for c in noun.children if c.dep_ == "poss" for t in c.subtree if is_name(t)}
    return {"owner": owners} if owners else {}


def _conflicts(
    claimed: dict[str, set[str]], stated: dict[str, set[str]], named_there: set[str]
) -> bool:
    """A place the passage fills with other names, while the claim's names for it are
    names of the passage in another place. A word that is a name only in the claim
    ("the Chairman" beside "Gen. Dan Caine") is a description, not a rival filler."""
    for place, names in claimed.items():
        other = stated.get(place)
        if other and not names <= other and (names - other) <= named_there:
            return True
    return False
