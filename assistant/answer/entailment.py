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
  a verb that only says something happened needs no counterpart when what happened is
  there ("Hungary suffered disruptions" for "disruptions in Hungary"), nor does a hedge
  ("possibly"), which makes a claim say less, never more;
- each of its predicates (a verb, or what is said of a subject) is negated exactly when
  the passage's matching one is ("has yet to respond" and "has not yet responded" are
  the same; "includes" and "does not include" are not);
- whoever does what, to whom, from where to where, is the same: the names that fill a
  predicate's subject, object and prepositions in the claim fill the same places in the
  passage ("Putin praised Trump" is not "Trump praised Putin"), a name keeps its
  direction ("from Tampa" is not "to Tampa"), and a thing its quality ("light trucks
  damaged the road" is not said where heavy trucks did and light ones did not);
- an event keeps its date: a year the passage gives another event is not this one's
  ("the bridge opened in 2001" where work began in 2001 and it opened in 2004), and a
  name of a list its own ("in Japan on November 21, the United States on November 23");
- a comparison keeps its sides ("A was an improvement over B"), a thing its direction
  ("a report from the faculty"), a thing told apart by its name its place;
- a verb that denies what it governs negates it ("refused to sign", "ruled out giving
  up"), and a word that says something is absent ("lack") needs no counterpart where the
  passage denies something of the same thing; a noun may name what a pronoun of the
  passage stands for ("the plague was brought" for "it was introduced");
- across two sentences, a verb's doer, object or place is the one its own sentence gives
  ("geochronologists look for signs" where magnetic stratigraphers do); "without" is
  against "with", "all" against "all but one"; a name written after a word where the
  passage writes another name there is a list turned round; a people stands for its
  place ("Swedish" for "in Sweden"); and the opposite said of the same thing anywhere in
  the passage contradicts.

A yes/no answer's opening "Yes," or "No," is the answer to the question, not a negation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.answer.clauses import (
    OBJECTS,
    SUBJECTS,
    PassageReading,
    aligned,
    bare,
    is_content,
    is_name,
    is_negation,
    is_predicate,
    is_word,
    kinds_of,
    named_alike,
    negated,
    read,
    sense_of,
    word_key,
)
from assistant.answer.roles import (
    agent_of,
    compared_otherwise,
    dates_paired_otherwise,
    dates_swapped,
    directions_swapped,
    filled_otherwise,
    paired_otherwise,
    placed_otherwise,
    roles_swapped,
    things_swapped,
    what_it_takes,
)
from assistant.language import lexicon
from assistant.language.text import figures, spells_out

_DESCRIBING = {"ADJ", "ADV", "VERB"}  # what can be said of a thing, and its opposite
_PRONOUN_PLACES = {"nsubj", "nsubjpass", "dobj"}
_PLURAL_PRONOUNS = {"they", "them"}
_WITH_OR_WITHOUT = frozenset({"with", "without"})
_WHOLE = frozenset({"all", "every", "each"})  # what an exception is made from
_EXCEPT = frozenset({"but", "except"})  # "all but one", "every member except Norway"
_EVENT_PLACES = {"dobj", "nsubj", "nsubjpass", "ccomp", "xcomp"}  # what a verb says happened


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
    # How many unexplained words a clause with nothing found against it may carry and
    # still be put to the model for a second opinion (verify.py): a missed paraphrase is
    # mostly one word, an added fact often several ("an agreement on prisoner exchanges").
    second_opinion_words: int = 1


@dataclass
class Finding:
    """What holding one clause against a passage found."""

    stated: bool
    sentences: tuple[int, ...] = ()  # the passage sentences it was held against
    why: str = ""
    text: str = ""  # the clause
    contradicted: bool = False  # the passage says the opposite: a word's antonym, or "not"
    # Unstated only for words the passage and WordNet do not explain, every other check
    # passed: a paraphrase the lexicon missed, or a fact added. A model asked for a second
    # opinion may tell which (verify.py); nothing else it says can overrule a check.
    borderline: bool = False


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
        content = [t for t in clause if is_content(t)]
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
        unexplained = [
            t
            for t in content
            if not _lexically_explained(t, words, meaningful)
            and not _reports_what_is_stated(t, words, meaningful)
            and not _denies_as_stated(t, tokens)
            and not self._named_by_a_pronoun(t, passage, best)
            and not (t.pos_ == "ADV" and lexicon.hedges(word_key(t)))
            and not (t.is_title and t.lower_ in passage.context)  # named by the title
        ]
        gap = (
            len(unexplained) > self.thresholds.unexplained_words
            or any(t.pos_ == "NOUN" for t in unexplained)  # a thing the passage never names
            or not all(self._close(t, tokens) for t in unexplained)
        )
        if gap:
            adds = f"adds: {', '.join(t.text for t in unexplained)}"
            # The other checks run only for a gap small enough to be put to a model.
            borderline = len(unexplained) <= self.thresholds.second_opinion_words and (
                _disagreement(clause, content, tokens, best) is None
            )
            return Finding(False, best, adds, borderline=borderline)
        if disagreement := _disagreement(clause, content, tokens, best):
            return disagreement
        # The opposite said of the same thing anywhere in the passage: the sentences that
        # explain most of the clause's words may not be the ones about it ("this use of
        # the name was correct" where a later sentence has it "incorrect").
        if opposed := _said_the_opposite_of(clause, passage.tokens):
            return Finding(False, best, opposed, contradicted=True)
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
            named_alike(token.lower_, words)
            or token.lower_ in passage.context
            or spells_out(token.text, passage.original)
        )

    def _close(self, token, tokens: list) -> bool:  # type: ignore[no-untyped-def]
        """Close in meaning to a word of the same kind there: a paraphrase puts a verb
        where the passage has a verb ("welcomed" is near "meeting", not near "respond"),
        and a quality for a quality ("not afraid" for "not intimidated")."""
        kinds = kinds_of(token)
        # A stop-listed adjective or adverb is a quality or a degree all the same ("first"
        # is near "earliest", "rather like" near "somewhat like"); a stop-listed verb is
        # not a paraphrase's anchor ("lacks" is near "has"), nor a negation a degree.
        others = [
            sense_of(t)
            for t in tokens
            if (is_content(t) or (t.pos_ in {"ADJ", "ADV"} and t.is_alpha and not is_negation(t)))
            and kinds_of(t) & kinds
        ]
        if not others:
            return False
        vectors = self._embed([sense_of(token), *others])
        return float((vectors[1:] @ vectors[0]).max()) >= self.thresholds.word_similarity

    def _named_by_a_pronoun(self, token, passage: PassageReading, window) -> bool:  # type: ignore[no-untyped-def]
        """A noun where a sentence here has a pronoun of its number in its place, and the
        sentence before names it or a noun close to it (or the title names it): "the
        plague was brought to Norway" for "it was introduced in Norway" after "the
        disease spread northwest". The claim says what the pronoun stands for."""
        if token.pos_ != "NOUN" or token.dep_ not in _PRONOUN_PLACES or token.head.pos_ != "VERB":
            return False
        plural = token.tag_ == "NNS"
        for i in window:
            if not any(
                t.tag_ == "PRP"
                and t.dep_ == token.dep_
                and t.head.pos_ == "VERB"  # the verbs are held to each other elsewhere
                and (t.lower_ in _PLURAL_PRONOUNS) == plural
                for t in passage.sentences[i].tokens
            ):
                continue
            before = passage.sentences[i - 1].tokens if i > 0 else []
            if token.lower_ in passage.context or self._close(
                token, [t for t in before if t.pos_ == "NOUN"]
            ):
                return True
        return False

    def _embed(self, words: list[str]) -> np.ndarray:
        new = [w for w in dict.fromkeys(words) if w not in self._vectors]
        if new:
            for word, vector in zip(new, self.word_vectors(new), strict=True):
                self._vectors[word] = vector
        return np.stack([self._vectors[w] for w in words])


def _said(token, words: set[str]) -> bool:  # type: ignore[no-untyped-def]
    """The word itself is there, as written or as its lemma."""
    return word_key(token) in words or token.lower_ in words


def _lexically_explained(token, words: set[str], content: set[str]) -> bool:  # type: ignore[no-untyped-def]
    """The word is there, or WordNet links it to a content word there."""
    return _said(token, words) or bool(lexicon.near(word_key(token)) & content)


def _reports_what_is_stated(token, words: set[str], content: set[str]) -> bool:  # type: ignore[no-untyped-def]
    """A verb that only says something happened, to someone or somewhere, where what
    happened is stated: "Hungary suffered disruptions" for "disruptions in Hungary"."""
    if token.pos_ != "VERB" or not lexicon.reports_an_event(word_key(token)):
        return False
    governed = [t for t in token.children if t.dep_ in _EVENT_PLACES and is_content(t)]
    return any(_lexically_explained(t, words, content) for t in governed)


def _denies_as_stated(token, tokens: list) -> bool:  # type: ignore[no-untyped-def]
    """A word that denies or says absent ("refused to raise", "the lack of an
    agreement") where the passage does too, in its own words or with a "not" ("ruled out
    raising", "the inability to reach an agreement"): the negation check holds what is
    denied to the passage's. The two must deny something of the same thing: a "not"
    elsewhere in the passage explains no "lack"."""
    if not _denies(token):
        return False
    about = _about(token)
    deniers = [t.head if is_negation(t) else t for t in tokens if is_negation(t) or _denies(t)]
    return any(about & _about(t) for t in deniers)


def _about(token) -> set[str]:  # type: ignore[no-untyped-def]
    """The content words of what a word governs, its subject included."""
    return {word_key(t) for t in token.subtree if t is not token and is_content(t)}


def _denies(token) -> bool:  # type: ignore[no-untyped-def]
    key = word_key(token)
    return (token.pos_ == "VERB" and lexicon.denies(key)) or (
        token.pos_ in {"VERB", "NOUN"} and lexicon.says_absent(key)
    )


def _opposite(token, tokens: list) -> str:  # type: ignore[no-untyped-def]
    """A word of the passage there that means the opposite ("accepted", "rejected"),
    unless the passage also says the word itself in other words ("gave up" beside
    "surrendered": what "not upheld" opposes is another thing; "fell", what "lowered"
    causes), or says it of someone else ("Zverev lost" beside "Thiem ... won": one lost
    what the other won)."""
    # A participle is its adjective too: "was affected" against "unaffected".
    keys = [word_key(token), *([token.lower_] if token.tag_ == "VBN" else [])]
    # Said in other words by a word of its kind ("strikes by miners" restates nothing
    # that "affected" says).
    kinds = kinds_of(token)
    content = [word_key(t) for t in tokens if is_content(t) and kinds_of(t) & kinds]
    for key in dict.fromkeys(keys):
        restated = any(word in lexicon.restatements(key) for word in content)
        if not restated and (opposed := _opposite_as(key, token, tokens)):
            return opposed
    return ""


def _opposite_as(key: str, token, tokens: list) -> str:  # type: ignore[no-untyped-def]
    for other in _others(token, tokens):
        if not lexicon.means_the_opposite(key, word_key(other)):
            continue
        if negated(token) != negated(other):
            continue  # "would fail" where it says "would not work": the same thing
        if not kinds_of(token) & kinds_of(other):
            continue  # "would fail" is not against "mathematical work"
        doer, done_by = agent_of(token), agent_of(other)
        if doer and done_by and not doer & done_by:
            continue
        return f"{token.text} against {other.text}"
    return ""


def _said_the_opposite_of(clause: list, tokens: list) -> str:
    """The passage says the opposite of the same thing: "less aligned" where it has
    "more aligned", "faults are older" where "faults are younger", "directly
    proportional" where "inversely", though it may use the claim's word elsewhere.
    Unless it says the claim's word of that thing too: "primary law" and "secondary law"
    are two things."""
    described = [(t, word_key(_described(t))) for t in tokens if t.pos_ in _DESCRIBING]
    for token in clause:
        if token.pos_ not in _DESCRIBING or is_name(token):
            continue
        key, anchor = word_key(token), word_key(_described(token))
        said_of = [t for t, of in described if of == anchor]
        restated = lexicon.restatements(key)
        if any(
            word_key(t) in restated or lexicon.means_the_same(key, word_key(t)) for t in said_of
        ):
            continue
        for other in said_of:
            if negated(token) != negated(other):
                continue  # "impractical" where it says "not practical"
            if lexicon.means_the_opposite(key, word_key(other)):
                return f"{token.text} against {other.text}"
    return ""


def _described(token):  # type: ignore[no-untyped-def]
    """What a word is said of: a predicate's subject ("faults" of "faults are older"), a
    modifier's head ("aligned" of "more aligned")."""
    if token.dep_ in {"acomp", "attr"}:
        return next((c for c in token.head.children if c.dep_ in SUBJECTS), token.head)
    return token.head


def _sibling(token, tokens: list) -> str:  # type: ignore[no-untyped-def]
    """Another thing of the same kind where the passage has it ("cholera" for
    "typhoid")."""
    if token.pos_ != "NOUN":
        return ""
    key = word_key(token)
    for other in _others(token, tokens):
        if (
            other.pos_ == "NOUN"
            and _same_place(token, other)
            and lexicon.is_sibling(key, word_key(other))
        ):
            return f"{token.text} instead of {other.text}"
    return ""


def _others(token, tokens: list) -> list:  # type: ignore[no-untyped-def]
    """The passage's content words that are not the token's own or a synonym of it."""
    key = word_key(token)
    return [
        other
        for other in tokens
        if is_content(other)
        and word_key(other) != key
        and not lexicon.means_the_same(key, word_key(other))
    ]


def _same_place(token, other) -> bool:  # type: ignore[no-untyped-def]
    """Both words hang from the same word ("an outbreak of cholera", "an outbreak of
    typhoid"): one stands where the other stood."""
    first, second = _anchor(token), _anchor(other)
    return word_key(first) == word_key(second) or lexicon.means_the_same(
        word_key(first), word_key(second)
    )


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


def _disagreement(
    clause: list, content: list, tokens: list, sentences: tuple[int, ...]
) -> Finding | None:
    """What the passage's sentences (`tokens`) say against the clause: the opposite of
    what it says of something, a predicate negated differently, who did what to whom,
    or when."""
    if opposed := _said_the_opposite_of(clause, tokens):
        return Finding(False, sentences, opposed, contradicted=True)
    # The clause's own verb, however light, is denied or not ("did not have").
    light = [t for t in clause if t.pos_ == "VERB" and t.dep_ in {"ROOT", "conj"}]
    verbs = content + [t for t in light if not is_content(t)]
    if flipped := _polarity_flip(verbs, tokens):
        return Finding(False, sentences, f"negated differently: {flipped}", contradicted=True)
    if excepted := _exception_dropped(clause, tokens):
        return Finding(False, sentences, f"said with an exception: {excepted}")
    if swapped := (
        roles_swapped(verbs, tokens)  # "told" too: who told whom
        or things_swapped(content, tokens)
        or filled_otherwise(verbs, tokens)
        or directions_swapped(clause, tokens)
        or compared_otherwise(clause, tokens)
        or placed_otherwise(clause, tokens)
        or paired_otherwise(clause, tokens)
    ):
        return Finding(False, sentences, f"different roles: {swapped}")
    if swapped := dates_swapped(clause, tokens) or dates_paired_otherwise(clause, tokens):
        return Finding(False, sentences, f"dated otherwise: {swapped}")
    return None


def _windows(count: int) -> list[tuple[int, ...]]:
    return [(i,) for i in range(count)] + [(i, i + 1) for i in range(count - 1)]


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
            if f" {bare(phrase)} " not in f" {bare_text} ":
                return phrase
    return ""


def _polarity_flip(content: list, tokens: list) -> str:
    said = {word_key(t) for t in content}
    for token in content:
        if is_predicate(token):
            matches = [m for m in aligned(token, tokens, said) if is_predicate(m)]
        elif token.pos_ == "NOUN" and token.dep_ in OBJECTS | {"pobj"}:
            # A thing of which one says there is none, the other some, in no other words
            # ("work with great military significance" where the work had "absolutely no
            # military significance"; "lack", "never" and "without" are other words).
            nouns = [m for m in aligned(token, tokens, said) if m.pos_ == "NOUN"]
            if nouns and all(
                _none_against_some(token, m) or _with_against_without(token, m) for m in nouns
            ):
                return token.text
            continue
        else:
            continue
        # Of the passage's words for it, those said of what the claim's is said of, where
        # some are: "led to justice" is held to "did not lead to justice", not to "making
        # Afghanistan one of the poorest"; "does not involve troops" to "does not include
        # troops", not to "could involve air support".
        ahead = what_it_takes(token)
        matches = [m for m in matches if what_it_takes(m) & ahead] or matches
        if matches and all(negated(token) != negated(m) for m in matches):
            return token.text
    return ""


def _exception_dropped(clause: list, tokens: list) -> str:
    """ "All" or "every" where the passage makes an exception ("All of the known species
    lack comb-rows" where "all but one of" them do; "every member signed" where "every
    member except Norway" did)."""
    said = {word_key(t): t for t in clause}
    for token in tokens:
        exception = next((c for c in token.children if c.lower_ in _EXCEPT), None)
        whole = token.lower_ in _WHOLE or any(
            c.dep_ == "det" and c.lower_ in _WHOLE for c in token.children
        )
        ours = said.get(word_key(token))
        if exception is None or not whole or ours is None:
            continue
        if not any(c.lower_ in _EXCEPT for c in ours.children):
            return f"{token.text} {exception.text}"
    return ""


def _with_against_without(token, other) -> bool:  # type: ignore[no-untyped-def]
    """One said to be with a thing, the other without it, of the same word ("accessible
    without a box" where it is "only accessible with a box")."""
    ways = {token.head.lower_, other.head.lower_}
    return ways == _WITH_OR_WITHOUT and token.head.head.lemma_ == other.head.head.lemma_


def _none_against_some(token, other) -> bool:  # type: ignore[no-untyped-def]
    def none(noun) -> bool:  # type: ignore[no-untyped-def]
        return any(c.lower_ == "no" and c.dep_ == "det" for c in noun.children)

    def some(noun) -> bool:  # type: ignore[no-untyped-def]
        # Had or done, or what it is done with: not "for lack of an agreement".
        holder = noun.head.head if noun.head.pos_ == "ADP" else noun.head
        return (
            not none(noun)
            and not negated(noun)
            and noun.head.lower_ != "without"
            and holder.pos_ in {"VERB", "AUX"}
        )

    return (none(token) and some(other)) or (none(other) and some(token))
