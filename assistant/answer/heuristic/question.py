"""What a question asks for, and whether a sentence supplies that kind of thing.

"What is the population of Budapest?" wants a number; a sentence that names Budapest but
holds no number cannot answer it, however similar its words are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

from assistant.answer.constraints import names
from assistant.language import lexicon, nlp
from assistant.language.nlp import Kind
from assistant.language.text import YEAR, YEAR_DIGITS, names_and_numbers, without_possessive
from assistant.language.words import content_stems, content_words, stem, stopwords

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


class AnswerKind(StrEnum):
    PERSON = "person"
    PLACE = "place"
    DATE = "date"
    DURATION = "duration"  # "how long": a number ("66 years") or a start ("since 1957")
    # "how old": an age ("Edith Marlow, 71,", "the 90-year-old bridge") or a start
    AGE = "age"
    NUMBER = "number"
    AMOUNT = "amount"  # "how much": money, a share or a measured quantity, not a count
    MONEY = "money"  # "what was the revenue": a sum of money, not a share
    NAME = "name"  # "what was the name of the ferry": a thing's proper name
    ANY = "any"


_ROLES = (
    r"leaders?|people|persons?|presidents?|ministers?|officials?|chancellors?|envoys?|"
    r"secretar(y|ies)|generals?|spokes(man|woman|person)|heads?|politicians?|diplomats?|"
    r"figures?|editors?|authors?|journalists?|reporters?|chairm[ae]n|chiefs?|advisors?|"
    r"prime ministers?|mediators?|negotiators?|hosts?|winners?|founders?|ceos?|coach(es)?"
)
_PLACES = (
    r"cit(y|ies)|countr(y|ies)|towns?|places?|locations?|venues?|capitals?|regions?|states?|"
    r"nations?|continents?|provinces?|territor(y|ies)|areas?|sites?|stadiums?|destinations?"
)
# Words between "which"/"what" and the noun, e.g. "which European leaders"; an auxiliary
# there ("what did President Trump pledge") means the noun is the subject, not the answer.
_MODIFIERS = r"((?!(?:is|are|was|were|do|does|did|has|have|had|will|would|can|could)\b)[\w-]+ )"
_NAME_OF = r"\bwhat(?:'s|’s| is| was| are| were) (?:the |their |his |her |its )?names? "
_KIND_PATTERNS: list[tuple[AnswerKind, re.Pattern[str]]] = [
    (AnswerKind.DURATION, re.compile(r"\bhow long\b")),
    (
        AnswerKind.AGE,
        re.compile(r"\bhow old\b|\bwhat(?:'s|’s| is| was) (?:the |his |her |their |its )?age\b"),
    ),
    (
        AnswerKind.AMOUNT,
        re.compile(
            # "how high", "how hot": measured ("5.8 metres", "24 degrees"), not counted
            r"\bhow (much|far|high|hot|cold|warm|deep|tall|wide|heavy|fast)\b"
            r"|\b(what|which)(?:'s|’s| is| was| are| were| will be)?(?: the| an?)?"
            r"\s+(?:[\w-]+\s+)?(cost|price)\b"
        ),
    ),
    (
        AnswerKind.NUMBER,
        re.compile(
            r"\bhow (many|large|big|often)\b"
            # "What is the population of ...", "what was the death toll": the noun the
            # question word asks for, not one further on ("What causes the population of
            # ctenophora to grow?" asks for a cause).
            r"|\b(what|which)(?:'s|’s| is| was| are| were| has been)?(?: the| an?)?\s+"
            r"(?:[\w-]+\s+)?(population|percentage|percent|proportion|number|amount|total|"
            r"count|size|toll)\b"
            r"|\bwhat (number|percentage|share|fraction|proportion)\b"
        ),
    ),
    (
        AnswerKind.DATE,
        re.compile(
            r"\b(?P<wh>when)\b|\b(what|which) (year|month|day|date|time|decade|century|week)\b"
            # "What is the release date of ...": the noun asked for is a date.
            r"|\bwhat(?:'s|’s| is| was| are| were) the ([\w-]+ ){0,2}(date|year|day)s?\b"
            r"|\bin what year\b|\bsince when\b|\bon what date\b"
        ),
    ),
    (
        AnswerKind.PLACE,
        re.compile(
            rf"\b(?P<wh>where)\b|\b(what|which|in which|in what) {_MODIFIERS}?(?P<noun>{_PLACES})\b"
        ),
    ),
    (
        AnswerKind.PERSON,
        re.compile(
            rf"\b(?P<wh>who(m|se)?)\b|\b(what|which) {_MODIFIERS}{{0,2}}(?P<noun>{_ROLES})\b"
            # "What is the name of the fourth suspect?" asks for a person's name...
            rf"|{_NAME_OF}(?P<named>of)\b"
        ),
    ),
    # ...and "What was the name of the ferry?" for a thing's (`_asks_for`).
    (AnswerKind.NAME, re.compile(rf"{_NAME_OF}(?P<thing>of)\b")),
]
_MEASURE = re.compile(r"\bhow (long|old|far|large|big|often|high|tall|deep|wide|heavy|fast)\b")
_FIRST_QUESTION = re.compile(r"^[^?]*\?(?=\s+\S)")
_QUESTION_WORD = re.compile(r"\b(what|which|who|whom|whose|where|when|why|how)\b")
# "Who is Mark Rutte?" asks for a description, not for a person.
_WHO_IS_NAME = re.compile(r"^\s*who (is|was|are|were) ([A-Z][\w'’.-]*\s*){1,4}\??\s*$")
_LIST_CUE = re.compile(
    rf"\b(which|what) (\w+ )?({_PLACES}|{_ROLES}|countries|proposals|demands|issues)\b"
    r"|\blist\b|\bname (the|all)\b",
    re.IGNORECASE,
)


# "Who is the mayor of Geneva?": the thing asked about.
_FOCUS = re.compile(
    r"\b(?:what|who)(?:'s| is| are| was| were)\s+(?:the\s+|an?\s+)?(?:[\w-]+(?:'s|’s)\s+)?"
    r"([a-z][\w-]*)\s*(?:of\b|in\b|for\b|\?|$)"
)
# Nouns too general to say what is asked about ("what is the name of ...").
_GENERIC_FOCUS = frozenset(
    "name names role title type kind purpose goal aim reason status result outcome meaning "
    "position stance view significance situation story news point main latest".split()
)


@dataclass(frozen=True)
class Question:
    text: str
    kind: AnswerKind
    wants_list: bool
    stems: frozenset[str]
    focus: str | None = None  # the noun naming what is asked about, when there is one
    # The stem of the word a "how" question measures by ("long" in "How long is the
    # bridge?"): it asks for a number, the answer need not say it ("The 240-metre bridge").
    measure: str | None = None
    # The noun "how many" counts ("people" in "How many people died?"), when it has one.
    counted: str | None = None
    # Words of an earlier question asked after a follow-up, for its topic: they count for
    # less than the follow-up's own.
    context: frozenset[str] = frozenset()


def analyze(text: str) -> Question:
    # A follow-up that names nothing it refers to is asked with the earlier question after
    # it ("When will it open? How much will the new bridge cost?", retrieve/followup.py):
    # what is asked for is what its own first question asks for.
    first = _FIRST_QUESTION.match(text)
    own = first.group() if first else text
    lowered = own.lower()
    kind = AnswerKind.ANY
    if not _WHO_IS_NAME.match(own):
        kind = next(
            (
                candidate
                for candidate, pattern in _KIND_PATTERNS
                if any(_asks_for(own, match) for match in pattern.finditer(lowered))
            ),
            AnswerKind.ANY,
        )
    measure = _MEASURE.search(lowered)
    focus_match = _FOCUS.search(lowered)
    focus = focus_match.group(1) if focus_match else None
    if kind is AnswerKind.ANY and focus and lexicon.names_money(focus):
        # "What was Tesla's revenue in Q1 2021?" asks for a sum: "$10.4 billion".
        kind = AnswerKind.MONEY
    if kind is AnswerKind.AMOUNT and _much_money(own):
        kind = AnswerKind.MONEY
    stems = _terms(text)
    return Question(
        text=text,
        kind=kind,
        wants_list=bool(_LIST_CUE.search(own)),
        stems=stems,
        focus=None if focus in _GENERIC_FOCUS else focus,
        measure=stem(measure.group(1)) if measure else None,
        counted=_counted(own) if kind is AnswerKind.NUMBER and "how many" in lowered else None,
        context=stems - _terms(own) if first else frozenset(),
    )


def _asks_for(text: str, match: re.Match[str]) -> bool:
    """Whether the word that made the pattern match is the noun asked about: in "What
    theorem states that ..." the word "states" is a verb, and no place is asked for. A
    word right after "which" is its noun ("Which states border Texas?"), whatever the
    tagger makes of it. A bare "when", "where" or "who" asks only as the question's
    first question word: in "What gained ground when Arab nationalism suffered?" it
    joins two clauses."""
    if match.re.groupindex.get("wh") and match.group("wh") is not None:
        first = _QUESTION_WORD.search(match.string)
        return first is not None and first.start() == match.start("wh")
    if match.re.groupindex.get("named") and match.group("named") is not None:
        return _names_a_person(text, match.start("named"))
    if match.re.groupindex.get("thing") and match.group("thing") is not None:
        return not _names_a_person(text, match.start("thing"))
    if "noun" not in match.re.groupindex or match.group("noun") is None:
        return True  # no noun to check
    if match.string[: match.start("noun")].split()[-1:] in (["what"], ["which"]):
        return True
    if len(match.string) != len(text):
        return True  # lower-casing moved the offsets (a rare letter): trust the words
    doc = nlp.parse(text)
    word = doc.char_span(match.start("noun"), match.end("noun"), alignment_mode="expand")
    return word is None or word.root.pos_ in {"NOUN", "PROPN"}


def _much_money(text: str) -> bool:
    """Whether "how much" asks for a sum of money, as WordNet files what it measures: a
    noun of money ("How much profit did it make?") or a verb of having and giving ("How
    much did the club pay?", "How much did the firm lose?"), not "How much rain fell?"
    nor "How much will bills rise?"."""
    much = _after_how(text, "much")
    if much is None:
        return False
    head = much.head
    if head.pos_ == "NOUN":
        return lexicon.names_money(head.lemma_)
    # Someone must do it: in "How much will pay rise?" the tagger's verb "pay" has none.
    doer = any(c.dep_ in ("nsubj", "nsubjpass") and c.i != much.i for c in head.children)
    return head.pos_ == "VERB" and doer and lexicon.kind_of_deed(head.lemma_) == "verb.possession"


def _counted(text: str) -> str | None:
    """The noun "how many" stands before ("bike" in "How many Zento e-bikes were sold?"),
    as its lemma; None for "How many were hurt?"."""
    many = _after_how(text, "many")
    head = many.head if many is not None else None
    return head.lemma_.lower() if head is not None and head.pos_ in {"NOUN", "PROPN"} else None


def _after_how(text: str, word: str) -> Token | None:
    """The question's first "much" or "many" (`word`) right after "how", as parsed."""
    doc = nlp.parse(text)
    return next((t for t in doc[1:] if t.lower_ == word and doc[t.i - 1].lower_ == "how"), None)


def _names_a_person(text: str, of_at: int) -> bool:
    """Whether "the name of" asks for a person's: what follows "of" is a person ("the
    fourth suspect"), not a thing ("the ferry that ran aground"). Unparsed, it is."""
    of = next((t for t in nlp.parse(text) if t.idx == of_at), None)
    things = [child for child in of.children if child.dep_ == "pobj"] if of else []
    return not things or lexicon.names_a_person(things[0].lemma_)


_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def _terms(text: str) -> frozenset[str]:
    """What a text says, as the question is compared with it: its content stems, and its
    numbers in figures, which the stems leave out when they are one digit long ("raises
    wages by 6.5%" says "6.5", though no stem of it is two letters long)."""
    return content_stems(text) | frozenset(_FIGURE.findall(text))


# --- what a sentence supplies -----------------------------------------------------------

_HE_OR_SHE = re.compile(r"\b(he|she)\b", re.IGNORECASE)

_MONTHS = (
    r"jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t|tember)?|"
    r"oct(ober)?|nov(ember)?|dec(ember)?"
)
_WEEKDAYS = r"(mon|tues|wednes|thurs|fri|satur|sun)day"
_YEAR = rf"\b{YEAR_DIGITS}s?\b"  # "in 1169", "the 1950s"
_DATE = re.compile(
    rf"\b({_MONTHS})\b\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+({_MONTHS})\b|\b({_MONTHS}|{_WEEKDAYS})\b"
    rf"|{_YEAR}|\b(yesterday|today|tomorrow|tonight)\b|\b(last|next|this) (week|month|year)\b"
    r"|\b\w+ (years?|months?|weeks?|days?|decades?) (ago|earlier|later)\b"
    # "cleared within two weeks", "by the next month", "in about six weeks": when,
    # counted from now
    r"|\b(within|in|after|by) (the (next|coming) )?"
    r"((about|around|roughly|some|nearly|almost|another|over|under|less than|more than) )?"
    r"(a few |\w+ )?(years?|months?|weeks?|days?)\b"
    r"|\b(early|late|mid)[- ](\d{4}|\w+ century)\b"
    # Years before 1000 carry their era ("until about 380 AD", "AD 43", "44 BC"), and a
    # century is a date however it is written ("the third century", "the 12th century").
    r"|(?-i:\b\d{1,4}\s?(AD|BC|BCE|CE)\b|\bAD\s?\d{1,4}\b)"
    r"|\b(\d{1,2}(st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
    r"tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|"
    r"eighteenth|nineteenth|twentieth|twenty-first)[- ]centur(y|ies)\b"
    # A time of day: "at 9:14 p.m.", "between 6 p.m. and 9 p.m.", "by noon".
    r"|\b\d{1,2}(:\d{2})?\s?([ap]\.m\.|[ap]m\b)|\b(noon|midnight)\b"
    # "expected to close by the end of the year"
    r"|\b(end|start|beginning|middle) of (the |this |next |last )?(year|month|week|decade)\b",
    re.IGNORECASE,
)
# Dates are matched case-insensitively except "may" and "march", which are common words.
_AMBIGUOUS_MONTHS = re.compile(r"^(may|mar(ch)?)$", re.IGNORECASE)
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundreds?|thousands?|millions?|billions?|trillions?|dozens?|half|"
    r"percent|per cent"
)
# "No deaths have been reported" answers "How many people died?": none is a number too.
_NONE = r"zero|none|nobody|no one|no \w+s"
_NUMBER = re.compile(
    rf"(?<![\w.])\d[\d,.]*%?(?![\w])|\b({_NUMBER_WORDS}|{_NONE})\b|%", re.IGNORECASE
)
_MEASURED = re.compile(
    rf"\b(\d[\d,.]*|{_NUMBER_WORDS}|a few|several)[- ](seconds?|minutes?|hours?|days?|"
    r"nights?|weeks?|months?|years?|decades?|centur(y|ies)|met(re|er)s?|kilomet(re|er)s?|km|"
    r"miles?|feet|foot|ft|inch(es)?|yards?)\b",
    re.IGNORECASE,
)
_CAPITALIZED = r"[A-Z][\w'’.-]*"
_NAME = re.compile(rf"\b{_CAPITALIZED}(?:\s+(?:(?:von|van|der|de|da|bin|al)\s+)*{_CAPITALIZED})+")
# Titles and descriptors that stand before a name: "German Chancellor Friedrich Merz".
_TITLE_WORDS = frozenset(
    "President Vice Chancellor Minister Prime Secretary Secretary-General Senator Gen General "
    "Envoy Special Advisor Adviser Mr Mrs Ms Dr King Queen Pope Governor Mayor Ambassador "
    "Commissioner Director Chairman Chair Chief Spokesman Spokeswoman Leader Editor Sen Rep "
    "Deputy Former U.S US UN EU NATO".split()
)
# A capitalized run with one of these words names an institution or place, not a person.
_NOT_PERSON_WORDS = frozenset(
    "House Union Court Council Organization Organisation Treaty Nations States Commission "
    "Ministry Department Party Kremlin Forces Force Army Navy Office Committee Assembly "
    "Parliament Congress Senate Bank Fund Agency Agreement Coalition "
    "Article Group Summit Talks Conference Company Corporation Inc Ltd University School "
    "Times Post News Press Street Square Airport Station Region Republic Kingdom "
    "Federation Empire Sea Ocean River Island Islands Mountains East West North South "
    "European American Russian Ukrainian British French German Italian "
    "Western Eastern Northern Southern Atlantic Soviet Joint Chiefs Staff Criminal "
    "International National Security Defense Defence Foreign State Federal World War II "
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
_LOCATIVE = re.compile(
    rf"\b(in|at|to|from|near|outside|inside|across|into|toward|towards|via|include|includes|"
    rf"including)\s+(the\s+)?({_CAPITALIZED}(?:\s+{_CAPITALIZED})*)"
)
_PLACE_NOUN = re.compile(rf"\b({_PLACES})\b", re.IGNORECASE)
_CALENDAR_WORDS = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday The A An".split()
)
_PLACE_PAIR = re.compile(rf"\b({_CAPITALIZED}),\s+({_CAPITALIZED})\b")


def supplies(sentence: str, question: Question, lead_in: str = "") -> bool:
    """Does the sentence offer something of the kind asked for, beyond the question's own
    words? A person it calls "he" or "she" is offered by its lead-in (`referent`)."""
    if question.kind is AnswerKind.ANY:
        return True
    offered = _FINDERS[question.kind](sentence)
    # A count of people or things is no sum of money: "How many people have been fined?"
    # is not answered by "fined up to 1,000 pounds". Units and money ("How many euros")
    # may be.
    if question.counted and lexicon.kind_of_thing(question.counted) not in _UNITS_AND_MONEY:
        offered = _beyond_sums(offered, sentence)
    if any(_terms(found) - question.stems for found in offered):
        return True
    if question.kind is AnswerKind.PERSON and _agent_of_the_deed(sentence, question):
        return True
    return (
        question.kind is AnswerKind.PERSON
        and bool(_HE_OR_SHE.search(sentence))
        and any(_terms(found) - question.stems for found in find_people(lead_in))
    )


_UNITS_AND_MONEY = frozenset({"noun.quantity", "noun.possession"})  # as WordNet files them


def _beyond_sums(figures: list[str], sentence: str) -> list[str]:
    """The figures that are no part of a sum the sentence says is money."""
    sums = [m.group() for m in _CURRENCY_SUM.finditer(sentence)]
    return [
        figure
        for figure in figures
        if not any(re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d.,])", s) for s in sums)
    ]


# "approved by the national health regulator": a deed, and who did it after "by".
_DONE_BY = re.compile(r"\b([a-z]+) by (?:the |a |an )?([a-z][\w'’-]*(?: [a-z][\w'’-]*){0,4})")


def _agent_of_the_deed(sentence: str, question: Question) -> bool:
    """The sentence says who did the deed a "who" question asks about, in a passive with
    "by", though it names no one: "The inquiry was led by the county's audit office"
    answers "Who led the inquiry?"."""
    deed = _deed(question.text)
    return deed is not None and any(
        stem(verb) in deed.stems and _names_someone_else(content_stems(agent), question)
        for verb, agent in _DONE_BY.findall(sentence.lower())
    )


def _names_someone_else(agent: frozenset[str], question: Question) -> bool:
    """The doer is not the question's own words again: "baked by different bakers"
    does not say which one baker bakes them."""
    return bool(agent) and not agent & question.stems


def parse_ahead(sentences: Sequence[str], question: Question) -> None:
    """Parse, in one call, the sentences `counts_what_is_asked` and `misses_the_deed` are
    likely to read: only those they cannot settle without parsing."""
    nlp.parse_all(
        [s for s in sentences if not _names_the_counted(s, question) or _says_the_deed(s, question)]
    )


def _names_the_counted(sentence: str, question: Question) -> bool:
    """ "will seat 42,000 fans" for "How many fans?": it names what is counted, however
    it puts it."""
    return question.counted is None or stem(question.counted) in content_stems(sentence)


def counts_what_is_asked(sentence: str, question: Question) -> bool:
    """Whether the sentence's figures may count what "how many" asks about: "How many
    people died?" is not answered by "burned 38,000 acres" or "63 reports of fires", nor
    "How many seats did they win?" by "11.5 percent". A figure counting nothing named
    ("the toll rose to 63") may count anything, one in a date or a time ("three years
    after", "at 9 a.m.") counts nothing; a sentence spaCy reads no figure in is left to
    `supplies`."""
    if _names_the_counted(sentence, question):
        return True
    figures = [t for t in nlp.parse(sentence) if t.pos_ == "NUM" or _is_count(t)]
    counted = [_what_it_counts(t) for t in figures if _is_count(t)]
    return not figures or any(
        noun is None or _same_count(noun, question.counted, question.stems) for noun in counted
    )


# Verbs too light for their opposites to say anything: "took" and "gave", "went" and "came".
_LIGHT = frozenset("be have do take give make get go come put set keep let".split())


def says_the_opposite(sentence: str, question: Question) -> bool:
    """The sentence says the opposite of what the question asks about, and not the thing
    itself: "Who rejected the plan?" is not answered by "the council accepted the plan",
    nor "What became uncommon?" by what became common (WordNet's antonyms of the
    question's verbs, adjectives and adverbs)."""
    said = content_stems(sentence)
    return any(not own & said and opposed & said for own, opposed in _opposed_words(question.text))


@lru_cache(maxsize=2048)
def _opposed_words(question: str) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """For each verb, adjective and adverb of the question that is not a light verb: the
    stems it may be written with, and the stems of its one-word opposites that the
    question does not itself use."""
    stems = _terms(question)
    found = []
    doc = nlp.parse(question)
    for token in doc:
        if token.is_stop or token.lemma_.lower() in _LIGHT:
            continue
        if token.lower_ == "non" and token.i + 2 < len(doc) and doc[token.i + 1].text == "-":
            # "non-Secretariat", which spaCy reads as three tokens.
            found.append((frozenset({"non"}), frozenset({stem(doc[token.i + 2].text)})))
            continue
        if base := _negated_by_prefix(token.lower_):
            found.append((frozenset({stem(token.text)}), frozenset({stem(base)})))
            continue
        opposites = lexicon.opposites_of(token.lemma_.lower(), token.pos_)
        if not opposites and token.tag_ in {"VBN", "VBD", "VBG"}:
            # A participle WordNet has as an adjective: "unestablished", "established".
            opposites = lexicon.opposites_of(token.lower_, "ADJ")
        opposed = frozenset(stem(o) for o in opposites if " " not in o) - stems
        if opposed:
            found.append((frozenset({stem(token.lemma_), stem(token.text)}), opposed))
    return tuple(found)


_LETTERS = re.compile(r"[a-z]+")
_NEGATING_PREFIX = re.compile(r"^(un|non-?|dis|in|im|il|ir)(?=[a-z])")


def _negated_by_prefix(word: str) -> str | None:
    """The word a made-up opposite negates: "held" of "unheld", "secretariat" of
    "non-secretariat". Only for a word WordNet lacks whose rest it has: "discover",
    "unusual" and "unestablished" are words of their own."""
    prefix = _NEGATING_PREFIX.match(word)
    if prefix is None or len(word) - prefix.end() < 4 or lexicon.is_word(word):
        return None
    base = word[prefix.end() :]
    return base if lexicon.is_word(base) else None


def misses_the_superlative(sentence: str, question: Question) -> bool:
    """The question singles its answer out by a superlative that the sentence does not
    say, in that word or another of the same sense: "What is the name of the oldest
    rescued climber?" is not answered by a sentence naming none of them the oldest, while
    "the largest in the region" says "biggest"."""
    said = _LETTERS.findall(sentence.lower())
    return any(
        not any(word == form or lexicon.adjective_bases(word) & senses for word in said)
        for form, senses in _superlatives(question.text)
    )


@lru_cache(maxsize=2048)
def _superlatives(question: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each superlative the question uses ("oldest"), and the adjectives of its senses
    ("old", "elderly", ...); "most" and "least" say nothing of their own."""
    return tuple(
        (token.lower_, lexicon.synonyms_of(token.lemma_, "ADJ"))
        for token in nlp.parse(question)
        if token.tag_ in ("JJS", "RBS") and not token.is_stop
    )


# Words that single out one time of several: "When did the bank last cut rates?"
_ORDER_WORDS = frozenset({"last", "previous", "previously"})


def misses_the_order(sentence: str, question: Question) -> bool:
    """The question asks about one time of several ("When did the pilots last strike?",
    "the previous record"), and the sentence does not say which, in that word or another
    of its senses: the sentence about this week's strike does not say when the last one
    was. "Last year" is a date, not an order, and "How long will it last?" a verb."""
    said = set(_LETTERS.findall(sentence.lower()))
    return any(not said & senses for senses in _orders(question.text))


@lru_cache(maxsize=2048)
def _orders(question: str) -> tuple[frozenset[str], ...]:
    return tuple(
        lexicon.synonyms_of(token.lower_, "ADJ") | lexicon.synonyms_of(token.lower_, "ADV")
        for token in nlp.parse(question)
        if token.lower_ in _ORDER_WORDS
        and token.pos_ not in ("VERB", "PROPN")
        and not _ends_a_clause(token)  # "How long will it last?", however it is tagged
        and not token.ent_type_
    )


def _ends_a_clause(token) -> bool:  # type: ignore[no-untyped-def]
    """Nothing but punctuation or a preposition after it: a verb, however it is tagged
    ("How long did the fighting last?", "last for"); an order word comes before the
    noun or verb it orders ("last cut", "the last heatwave")."""
    after = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return after is None or after.pos_ in ("PUNCT", "ADP")


def misses_the_deed(sentence: str, question: Question) -> bool:
    """A "who" question asks who did something; a sentence that says nothing of that
    deed does not say who did it: "Who built the observatory?" is not answered by
    the sentence saying when it reopened. The deed may be said in the question's verb, in
    a word WordNet gives for one of its senses or for one a step broader or narrower
    ("attributing" for "blame"), in a word derived from it ("owner" for "owns"), or by
    naming someone of a kind that does it ("Union president Ada Brandvik" for "Who leads
    the union?": a president is a kind of leader). A deed said only as done by no one
    named ("The villa was built in the third century") leaves the doer unsaid."""
    deed = _asked_deed(question)
    if deed is None:
        return False
    said = _said(sentence)
    if said & deed.stems:
        return deed.by_whom and _done_by_nobody(sentence, deed)
    if any(phrase <= said for phrase in deed.phrases):
        return False
    return not any(lexicon.kinds_of(word) & deed.doers for word in content_words(sentence))


def titles_someone_else(sentence: str, question: Question) -> bool:
    """The sentence gives the title a "who" question asks about only as another body's:
    "Chris Meledandri, founder and CEO of Illumination" does not say who is the CEO of
    Nintendo. A sentence that gives the title with no body ("the chief executive, Raj
    Patel") is left to the question's other checks."""
    if question.kind is not AnswerKind.PERSON or question.focus is None:
        return False
    asked = _bodies(question.text, question.focus)
    given = _bodies(sentence, question.focus)
    return bool(asked and given) and not any(names(body, a) for a in asked for body in given)


@lru_cache(maxsize=4096)
def _bodies(text: str, title: str) -> tuple[str, ...]:
    """What the title is held of in the text: "Nintendo" of "the CEO of Nintendo". Cached:
    the question's are asked for with each of its candidate sentences."""
    held = rf"\b(?i:{re.escape(title)})s?\s+of\s+(?:the\s+)?"
    return tuple(re.findall(rf"{held}([A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*)*)", text))


def _says_the_deed(sentence: str, question: Question) -> bool:
    """Whether `misses_the_deed` will parse the sentence: it says the deed in a word of
    its own, and the question asks who did it."""
    deed = _asked_deed(question)
    return deed is not None and deed.by_whom and bool(_said(sentence) & deed.stems)


def _asked_deed(question: Question) -> _Deed | None:
    """The deed a "who" question asks the doer of; None for other questions."""
    return _deed(question.text) if question.kind is AnswerKind.PERSON else None


def _said(sentence: str) -> frozenset[str]:
    """The stems of every word, stopwords too: "says" is too common to weigh, not to be
    the deed."""
    return frozenset(stem(word) for word in _LETTERS.findall(sentence.lower()))


def _done_by_nobody(sentence: str, deed: _Deed) -> bool:
    """The sentence says the deed only in the passive, with no one after "by": "The villa
    was built in the late third century" does not say who built it."""
    done = [t for t in nlp.parse(sentence) if stem(t.text) in deed.stems]
    return bool(done) and all(_agentless_passive(t) for t in done)


def _agentless_passive(token) -> bool:  # type: ignore[no-untyped-def]
    """ "was built in 300 AD", "coins found in the bath house": done, by no one named."""
    children = {child.dep_ for child in token.children}
    # A participle: the tagger reads some as a past ("coins found in" as VBD).
    if token.tag_ not in {"VBN", "VBD"} or "agent" in children or "nsubj" in children:
        return False
    return token.dep_ in {"acl", "amod"} or "auxpass" in children


@dataclass(frozen=True)
class _Deed:
    stems: frozenset[str]  # of the words it may be said with
    phrases: tuple[frozenset[str], ...]  # the content stems of each phrase ("step down")
    doers: frozenset[str]  # the nouns for someone who does it ("leader")
    # "Who built it?" asks who did it; "Who was awarded the prize?" whom it was done to.
    by_whom: bool = True


@lru_cache(maxsize=2048)
def _deed(question: str) -> _Deed | None:
    """What the question's main verb may be said with (and the verb it leads to: "Who had
    he tried to defeat?" asks of defeating as much as of trying); None when the main verb
    is a light one or an auxiliary ("Who is the mayor?")."""
    root = next((t for t in nlp.parse(question) if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ != "VERB" or root.lemma_.lower() in _LIGHT:
        return None
    verbs = [root] + [t for t in root.children if t.dep_ == "xcomp" and t.pos_ == "VERB"]
    # WordNet reads "found" as "find" too, where spaCy may give "found".
    lemmas = {v.lemma_.lower() for v in verbs}.union(*(lexicon.verb_bases(v.lower_) for v in verbs))
    derived = frozenset().union(*(lexicon.derived_of(lemma, "VERB") for lemma in lemmas))
    words = (
        {
            word
            for lemma in lemmas
            for word in lexicon.synonyms_of(lemma, "VERB") | lexicon.neighbours_of(lemma, "VERB")
            if word not in _LIGHT
        }
        | derived
        | lemmas
    )
    return _Deed(
        stems=frozenset({stem(v.text) for v in verbs} | {stem(w) for w in words if " " not in w}),
        phrases=tuple(frozenset(content_stems(w)) for w in words if " " in w and content_stems(w)),
        doers=frozenset(word for word in derived if lexicon.names_a_person(word)),
        by_whom=not any(child.dep_ == "auxpass" for child in root.children),
    )


def _is_count(token) -> bool:  # type: ignore[no-untyped-def]
    """A figure that is no year, date or time ("900", "eleven"), or the "no" of "no deaths"."""
    if token.lower_ == "no":
        return token.dep_ == "det"
    return (
        token.pos_ == "NUM"
        and not YEAR.fullmatch(token.text)
        and token.ent_type_ not in {"DATE", "TIME"}
    )


def _what_it_counts(token) -> str | None:  # type: ignore[no-untyped-def]
    """The lemma of the noun a figure counts ("home" of "more than 900 homes", "people" of
    "2.3 million people"), or None when it stands alone."""
    while token.dep_ in {"compound", "quantmod"} and token.head.pos_ == "NUM":
        token = token.head  # "2.3" of "2.3 million"
    if token.dep_ in {"nummod", "det"} and token.head.pos_ in {"NOUN", "PROPN"}:
        return token.head.lemma_.lower()
    return None


_PEOPLE = frozenset({"noun.person", "noun.group"})


def _same_count(noun: str, asked: str, stems: frozenset[str]) -> bool:
    """Whether a figure of `noun` can count the `asked` noun: the same word or another of
    the question's ("32 members" for "How many member nations?"), a person for people
    ("12,000 residents" for "How many people were evacuated?"), or a thing WordNet files
    with it ("cars" for "vehicles"), or one it does not know. A word made from one of the
    question's counts for it ("4,000 signatures" for "How many people have signed?")."""
    if any(_one_word(stem(noun), other) for other in stems):
        return True
    kind, asked_kind = lexicon.kind_of_thing(noun), lexicon.kind_of_thing(asked)
    if kind is None or asked_kind is None:
        return True
    if asked_kind in _PEOPLE:
        return kind == "noun.person" or kind == asked_kind
    return kind == asked_kind


def _one_word(first: str, second: str) -> bool:
    """Two stems of one word: equal, or one of four letters or more opening the other
    ("sign" and "signatur")."""
    short, long = sorted((first, second), key=len)
    return short == long or (len(short) >= 4 and long.startswith(short))


def detail(sentence: str, question: Question) -> frozenset[str]:
    """The words in which the sentence says what was asked, beyond the question's own: the
    stems of its dates for "when", of its names for "who", of every name and number when
    the kind is open. "On April 29, 2015" says more of "when" than "on April 29"."""
    if question.kind is AnswerKind.ANY:
        found = names_and_numbers(sentence, ignore=question.text)
    else:
        found = set(_FINDERS[question.kind](sentence))
    return frozenset().union(*(_terms(f) for f in found)) - question.stems


# What spaCy calls the things that may answer each kind, likeliest first: "who" is most
# often a person, but companies, countries and teams act too ("Who won the World Cup?");
# a stadium or an airport does not.
_FIGURES = frozenset({Kind.NUMBER, Kind.AMOUNT})
_MENTION_KINDS: dict[AnswerKind, tuple[frozenset[Kind], ...]] = {
    AnswerKind.PERSON: tuple(
        frozenset({k}) for k in (Kind.PERSON, Kind.ORGANIZATION, Kind.PLACE, Kind.GROUP)
    ),
    AnswerKind.PLACE: (frozenset({Kind.PLACE, Kind.FACILITY}),),
    AnswerKind.DATE: (frozenset({Kind.DATE}),),
    AnswerKind.DURATION: (frozenset({Kind.DATE}), _FIGURES),
    AnswerKind.AGE: (_FIGURES, frozenset({Kind.DATE})),
    AnswerKind.NUMBER: (_FIGURES,),
    # "How much will a dose cost?": "$3", not the "50 million doses" made a year.
    AnswerKind.AMOUNT: (frozenset({Kind.AMOUNT}), frozenset({Kind.NUMBER})),
    # spaCy's small model calls "about 4.5 million euros" a number; read as a sum, it is one.
    AnswerKind.MONEY: (frozenset({Kind.AMOUNT}), frozenset({Kind.NUMBER})),
    # spaCy's small model takes many a product or ship for a person ("Sky Digital").
    AnswerKind.NAME: (
        frozenset({Kind.THING, Kind.ORGANIZATION, Kind.FACILITY}),
        frozenset({Kind.PLACE, Kind.GROUP}),
        frozenset({Kind.PERSON}),
    ),
}
_BREAK = re.compile(r"[,;:()]")  # counts as two words: "Merz, British Prime Minister …"


def read_ahead(sentences: Sequence[str], question: Question) -> None:
    """Read the sentences `short_answers` will be asked about in one call, which is
    faster than one by one."""
    if question.kind is not AnswerKind.ANY:
        nlp.read_names(sentences)


def short_answers(sentence: str, question: Question, gap: int) -> list[str]:
    """What the sentence names of the kind asked for, beyond the question's own words, as
    spaCy reads it ("July 21, 2017" in "It was released on July 21, 2017"), of the
    likeliest kind it has. For one thing asked for, only the mention standing next to
    most of the question's words ("British Prime Minister Keir Starmer"), and none when no
    mention stands next to any (within `gap` words): a sentence naming four leaders does
    not say which is the one asked about."""
    if question.kind is AnswerKind.ANY:
        return []
    [doc] = nlp.read_names([sentence])
    asked_at = [t.idx for t in doc if content_stems(t.text) & question.stems]
    mentions = [
        _unpossessed(_whole_name(doc, m))
        for m in nlp.mentions(doc)
        if _terms(m.text) - question.stems
    ]
    if question.kind is AnswerKind.PERSON:
        mentions = [m for m in mentions if not _named_as_asked_about(m.text, question)]
    if filed := _FILED_FROM.match(sentence):
        mentions = _beyond_dateline(mentions, filed.end(), question.kind)
    if question.kind in (AnswerKind.NUMBER, AnswerKind.AMOUNT, AnswerKind.MONEY):
        mentions = [_with_currency(sentence, m) for m in mentions]
        mentions = sorted(mentions + _figures_missed(sentence, mentions), key=lambda m: m.start)
    for kinds in _MENTION_KINDS[question.kind]:
        found = [m for m in mentions if m.kind in kinds and _reads_as(m, question.kind, sentence)]
        if not found:
            continue
        if question.wants_list:
            return [m.text for m in found]
        return _beside_question(sentence, found, asked_at, gap)
    return []


_PLACE_KINDS = frozenset({Kind.PLACE, Kind.FACILITY})


def _named_as_asked_about(mention: str, question: Question) -> bool:
    """ "Ravensford Hospitals Trust" for "Who will lead the new trust?": a name whose last
    word is a word of the question names what it asks about, not who."""
    words = _LETTERS.findall(mention.lower())
    return bool(words) and stem(words[-1]) in question.stems


def _beyond_dateline(mentions: list[nlp.Mention], end: int, kind: AnswerKind) -> list[nlp.Mention]:
    """Where the story was filed from (mentions before `end`) never did what "who" asks
    about, and is where things happened only when the sentence names no other place."""
    after = [m for m in mentions if m.start >= end]
    if kind is AnswerKind.PERSON:
        return after
    if kind is AnswerKind.PLACE and any(m.kind in _PLACE_KINDS for m in after):
        return after
    return mentions


def referent(sentence: str, lead_in: str, question: Question) -> list[str]:
    """For "who", the person a sentence calls "he" or "she" when it names nobody itself:
    the last person named in the sentence before it ("Chief operating officer Lena
    Ortiz said ..." then "'We are sorry,' she told reporters")."""
    if question.kind is not AnswerKind.PERSON or question.wants_list or not lead_in:
        return []
    if not _HE_OR_SHE.search(sentence):
        return []
    own, before = nlp.read_names([sentence, lead_in])
    if any(m.kind is Kind.PERSON for m in nlp.mentions(own)):
        return []
    people = [
        _whole_name(before, m)
        for m in nlp.mentions(before)
        if m.kind is Kind.PERSON and _terms(m.text) - question.stems
    ]
    return [people[-1].text] if people else []


# "OSLO — ", "AUSTIN, Texas — ": where a story was filed, opening its first sentence.
_FILED_FROM = re.compile(r"^[A-Z][A-Z.'’ -]*[A-Z.](?:, [A-Z][\w.]*(?: [A-Z][\w.]*)?)? [—–-]+ ")

_CURRENCY_SIGNS = "$£€¥₹"
_FIGURE_RUN = re.compile(r"(?<![\w.])\d[\d,.]*(?![\w])")


def _figures_missed(sentence: str, mentions: list[nlp.Mention]) -> list[nlp.Mention]:
    """Amounts and figures spaCy's small model names no entity ("flooding more than 900
    homes", "120 millimetres of rain"): else the one figure it did name would answer for
    them."""
    taken = [(m.start, m.end) for m in mentions]
    found: list[nlp.Mention] = []
    for pattern, kind in ((_AMOUNT, Kind.AMOUNT), (_FIGURE_RUN, Kind.NUMBER)):
        for match in pattern.finditer(sentence):
            text = match.group().rstrip(".,")
            free = not any(start <= match.start() < end for start, end in taken)
            if free and any(c.isdigit() for c in text) and not YEAR.fullmatch(text):
                found.append(nlp.Mention(text, kind, match.start(), match.start() + len(text)))
                taken.append((match.start(), match.end()))
    return found


def _with_currency(sentence: str, mention: nlp.Mention) -> nlp.Mention:
    """A figure with the currency sign spaCy left out of it ("$" of "$41") is money."""
    sign = sentence[mention.start - 1 : mention.start]
    if mention.kind not in _FIGURES or not sign or sign not in _CURRENCY_SIGNS:
        return mention
    return replace(mention, text=sign + mention.text, kind=Kind.AMOUNT, start=mention.start - 1)


def _reads_as(mention: nlp.Mention, kind: AnswerKind, sentence: str) -> bool:
    """What the tagger calls a date or a number must read as one to us too: spaCy's small
    model takes an age ("Tara Singh, 41,") for a date. Names are left to the tagger: our
    finders read them from the sentence around them, not from the name alone."""
    if kind is AnswerKind.DURATION:  # "1957" of "since 1957": read with the words before
        spans = _duration_matches(sentence)
        return any(m.start() < mention.end and mention.start < m.end() for m in spans)
    if kind is AnswerKind.AGE:  # an age read alone is a small number: "27" of "Otieno, 27,"
        return bool(re.fullmatch(r"\d{1,3}", mention.text) or _ages(mention.text))
    if kind in (
        AnswerKind.DATE,
        AnswerKind.NUMBER,
        AnswerKind.AMOUNT,
        AnswerKind.MONEY,
    ):
        return bool(_FINDERS[kind](mention.text))
    return True


def _beside_question(
    sentence: str, found: list[nlp.Mention], asked_at: list[int], most: int
) -> list[str]:
    """The mention that most of the question's words stand beside, each word going to the
    mention nearest it, and of two as near to the one no comma parts it from ("Merz,
    British Prime Minister Keir Starmer": "British" is Starmer's); none when no word
    stands beside any."""
    owned: dict[int, int] = {}
    for at in asked_at:
        gaps = [(*_gap(sentence, m, at), i) for i, m in enumerate(found)]
        gap, _, nearest = min(gaps)
        if gap <= most:
            owned[nearest] = owned.get(nearest, 0) + 1
    if not owned:
        return []
    return [found[max(owned, key=lambda i: (owned[i], -i))].text]


def _gap(sentence: str, mention: nlp.Mention, at: int) -> tuple[int, bool]:
    """Words of content between the mention and a position, punctuation between counting
    as two ("Dr. Paul Nnamdi, the province's chief medical officer": three to "chief";
    "412 cases …, compared with 137 in the same period last year": two from 137 to
    "last"), and whether punctuation parts them."""
    if mention.start <= at < mention.end:
        return len(sentence), True  # the question's word inside the mention stands beside nothing
    between = sentence[mention.end : at] if at >= mention.end else sentence[at : mention.start]
    parted = bool(_BREAK.search(between))
    # Before the mention, `between` opens with the question's word itself.
    return len(content_words(between)) - (at < mention.start) + 2 * parted, parted


def _whole_name(doc: Doc, mention: nlp.Mention) -> nlp.Mention:
    """A person's name with the particles spaCy's small model cuts off ("Ursula von der
    Leyen", not "Ursula von")."""
    if mention.kind is not Kind.PERSON:
        return mention
    nlp.parts_of_speech(doc)
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    end = span.end
    while end < len(doc) and (doc[end].pos_ == "PROPN" or nlp.joins(doc[end])):
        end += 1
    if end == span.end:
        return mention
    last = doc[end - 1]
    stop = last.idx + len(last.text)
    return replace(mention, text=doc.text[mention.start : stop], end=stop)


def _unpossessed(mention: nlp.Mention) -> nlp.Mention:
    """A person's name without the possessive spaCy's small model sometimes reads into it:
    "Kublai Khan" of "Kublai Khan's formal establishment of the Yuan" answers who founded
    it. Places and firms keep theirs: "St. Hilda's" is a hospital's name."""
    if mention.kind is not Kind.PERSON:
        return mention
    bare = without_possessive(mention.text)
    return replace(mention, text=bare, end=mention.start + len(bare))


def _dates(sentence: str) -> list[str]:
    return [m.group() for m in _DATE.finditer(sentence) if not _lowercase_ambiguous(m.group())]


def _lowercase_ambiguous(found: str) -> bool:
    return bool(_AMBIGUOUS_MONTHS.match(found)) and found[0].islower()


def _numbers(sentence: str) -> list[str]:
    found = []
    for match in _NUMBER.finditer(sentence):
        token = match.group().rstrip(".,")
        if token and not YEAR.fullmatch(token):
            found.append(token)
    return found


def find_people(sentence: str) -> list[str]:
    """Personal names, without the titles before them."""
    names = []
    for match in _NAME.finditer(sentence):
        words = [_bare(word) for word in match.group().split()]
        while words and (words[0] in _TITLE_WORDS or words[0] in _NOT_PERSON_WORDS):
            words.pop(0)
        if words and not any(word in _NOT_PERSON_WORDS for word in words):
            names.append(" ".join(words))
    return names


def _bare(word: str) -> str:
    return without_possessive(word.strip(".,;:!?'’‘\"“”()"))


def find_places(sentence: str) -> list[str]:
    """Likely place names: after "in"/"to"/..., in "City, Country" pairs, or beside "cities"."""
    found = [m.group(3) for m in _LOCATIVE.finditer(sentence)]
    for match in _PLACE_PAIR.finditer(sentence):
        found.extend(match.groups())
    if _PLACE_NOUN.search(sentence):
        # "Budapest and Geneva are being considered as host cities."
        found.extend(re.findall(_CAPITALIZED, sentence))
    return [place for place in found if place not in _CALENDAR_WORDS]


def _place_answers(sentence: str) -> list[str]:
    """What may answer "where"/"which city": a likely place, or failing that any proper noun
    that is not part of a person's name ("Officials later named Vienna as an option")."""
    return find_places(sentence) or _proper_nouns(sentence, but=" ".join(find_people(sentence)))


def _person_answers(sentence: str) -> list[str]:
    """What may answer "who": a person, or failing that another proper noun, since
    companies, teams and countries also act ("Who acquired Instagram?" "Facebook")."""
    return find_people(sentence) or _proper_nouns(sentence)


def _proper_nouns(sentence: str, but: str = "") -> list[str]:
    words = [_bare(word) for word in sentence.split()]
    if words and _ordinary_opener(sentence.split()[0]):
        words = words[1:]  # capitalized only because it starts the sentence
    return [
        word
        for word in words
        if re.fullmatch(_CAPITALIZED, word)
        and word not in but
        and word not in _TITLE_WORDS
        and word not in _CALENDAR_WORDS
    ]


def _ordinary_opener(word: str) -> bool:
    """ "The", "However,", "Following", "Recently": not names, just a sentence's first word."""
    bare = _bare(word).lower()
    return bare in stopwords() or word.endswith(",") or bare.endswith(("ing", "ly", "ed"))


_UNITS = (
    r"(?:milli|centi|kilo)?met(?:re|er)s?|mm|cm|km|miles?|feet|foot|inch(?:es)?|yards?|acres?|"
    r"hectares?|tonnes?|tons?|(?:kilo)?grams?|kg|pounds?|lbs?|ounces?|lit(?:re|er)s?|gallons?|"
    r"barrels?|degrees?|watts?|kilowatts?|megawatts?|volts?|calories?|bytes?|gigabytes?|"
    r"knots|mph|km/h|kph|"
    r"square \w+|cubic \w+"
)
_CURRENCIES = r"(?:dollars|euros|pounds|yen|yuan|rupees|francs|kron[aeo]r?|cents|pence)"
_SIGNED_SUM = rf"[{_CURRENCY_SIGNS}]\s?\d[\d,.]*(?:\s?(?:million|billion|trillion|bn|m|k)\b)?"
_SUM = (
    rf"{_SIGNED_SUM}"
    r"|\b\d[\d,.]*\s(?:million|billion|trillion)\b"
    rf"|\b\d[\d,.]*[- ]?{_CURRENCIES}\b"
)
_MONEY = re.compile(_SUM, re.IGNORECASE)
# A sum that says it is money: "1.6 million" may be containers, "1.6 million euros" not.
_CURRENCY_SUM = re.compile(
    rf"{_SIGNED_SUM}|\b\d[\d,.]*(?:\s(?:million|billion|trillion))?[- ]?{_CURRENCIES}\b",
    re.IGNORECASE,
)
# "How much": money, a share or a measured quantity; a count ("3,000 people") is not one.
_AMOUNT = re.compile(
    rf"{_SUM}"
    r"|\b\d[\d,.]*\s?(?:%|percent\b|per cent\b|percentage points?\b)"
    rf"|\b\d[\d,.]*[- ]?(?:{_UNITS})\b"
    r"|\b(?:half|a third|a quarter|two thirds|three quarters)\b",
    re.IGNORECASE,
)


def _amounts(sentence: str) -> list[str]:
    return [m.group() for m in _AMOUNT.finditer(sentence)]


def _sums(sentence: str) -> list[str]:
    return [m.group() for m in _MONEY.finditer(sentence)]


# "since 1957", "until June 15": a date that opens or closes a span.
_SPAN_BOUND = re.compile(
    r"\b(since|until|till|through|from)\s+"
    r"((the|about|around|roughly|nearly|almost|at least|early|late|mid)[- ])*$",
    re.IGNORECASE,
)


def _durations(sentence: str) -> list[str]:
    """What may answer "how long": an amount of time or length ("nine-day strike", "the
    240-metre bridge") or a date a span runs from or to ("since 1957", "until June 15"),
    not any number ("more than 40 ships") nor any date ("cancelled 1,100 flights on
    Tuesday" says nothing of how long they were grounded)."""
    return [match.group() for match in _duration_matches(sentence)]


def _duration_matches(sentence: str) -> list[re.Match[str]]:
    return [*_MEASURED.finditer(sentence)] + [
        m
        for m in _DATE.finditer(sentence)
        if not _lowercase_ambiguous(m.group()) and _SPAN_BOUND.search(sentence[: m.start()])
    ]


# How old someone or something is, as news gives it: "Edith Marlow, 71, said", "aged
# 29", "the 90-year-old bridge", "87 years".
_AGE = re.compile(
    r"(?<=\w, )\d{1,3}(?=,)|\baged \d{1,3}\b|\b\d{1,4}[- ](?:years?|decades?|centur(?:y|ies))\b"
    # "Their father, Raja, is 11.": a bare figure that is what someone is
    r"|(?:(?<=\bis )|(?<=\bwas ))\d{1,3}(?=\s*[.,;]|\s+(?:and|but|when)\b)",
    re.IGNORECASE,
)


def _ages(sentence: str) -> list[str]:
    """What may answer "how old": an age, or a year to count from ("founded in 1169"), not
    any number or span of time ("won in 2 hours" says nothing of a runner's age)."""
    years = [m.group() for m in re.finditer(_YEAR, sentence)]
    return _AGE.findall(sentence) + years


_FINDERS = {
    AnswerKind.PERSON: _person_answers,
    AnswerKind.PLACE: _place_answers,
    AnswerKind.DATE: _dates,
    AnswerKind.DURATION: _durations,
    AnswerKind.AGE: _ages,
    AnswerKind.NUMBER: _numbers,
    AnswerKind.AMOUNT: _amounts,
    AnswerKind.MONEY: _sums,
    AnswerKind.NAME: _proper_nouns,
}


# "What caused the outage?", "Why was the launch delayed?", "What led to the closure?"
_ASKS_WHY = re.compile(
    r"^\s*(why\b|what (caused|causes|led to|leads to|triggered|started)\b"
    r"|what (is|was|were) the (main )?(cause|reason)s?\b)",
    re.IGNORECASE,
)
# How English says that one thing brought about another: its connectives and the verbs
# of causing, a closed list of the language, not of any article. "Forced" is left out:
# "a storm forced it to cancel flights" says what a storm did more often than why.
_GIVES_A_CAUSE = re.compile(
    r"\b(because|due to|owing to|as a result of|result(ed|s)? (of|from)|"
    r"caus(e|ed|es|ing)|blam(e|ed|es|ing)|led to|lead(s|ing)? to|trigger(ed|s)?|"
    r"spark(ed|s)?|prompt(ed|s)?|started by|traced (?:[\w-]+ ){0,3}?to|attributed to|"
    r"reasons?)\b",
    re.IGNORECASE,
)


def asks_why(question: Question) -> bool:
    """The question asks for a cause or a reason."""
    return bool(_ASKS_WHY.match(question.text))


def gives_a_cause(sentence: str) -> bool:
    """The sentence says, in one of the ways English has, that something brought
    something about ("was caused by", "because of", "traced to", "blamed ... on")."""
    return bool(_GIVES_A_CAUSE.search(sentence))
