"""Text as characters: clean lines, compare strings, tell headings from sentences."""

from __future__ import annotations

import calendar
import re
import unicodedata

from assistant.language.words import stopwords

_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e")
)
_SPACES = re.compile(r"[^\S\n]+")
_TERMINAL = tuple(".!?\"”’')…;")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
YEAR_DIGITS = r"(?:1[0-9]|20)\d\d"  # a four-digit year, 1000 to 2099
YEAR = re.compile(rf"\b{YEAR_DIGITS}\b")
# A figure as it is stated: "1,000", "5.11", an ordinal or a decade whole ("19th",
# "1960s"), each end of a range apart ("13–29").
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*[^\W\d_]*")


def normalize_line(line: str) -> str:
    """One line of article text with invisible characters dropped and spaces collapsed."""
    line = unicodedata.normalize("NFC", line).translate(_INVISIBLE)
    return _SPACES.sub(" ", line).strip()


def normalized(text: str) -> str:
    """A form for comparing texts: case, curly quotes and spacing don't count."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)
    return " ".join(text.split())


def word_count(text: str) -> int:
    return len(text.split())


def looks_like_heading(line: str) -> bool:
    """A headline, section title or label ("Pro Tip:"): short, and not ended like a sentence."""
    stripped = line.strip()
    words = word_count(stripped)
    if stripped.endswith(":"):
        return words <= 6
    return 0 < words <= 20 and not stripped.endswith(_TERMINAL)


_WORDS = re.compile(r"\w+")
_NAME_OR_NUMBER = re.compile(r"\b(?:[A-Z][\w'’-]*|\d+(?:[.,]\d+)*)")


def years_in(text: str) -> list[str]:
    """The years written in the text, as characters: no parse needed."""
    return YEAR.findall(text)


# English's names of the days of the week and of the months, from the standard library.
_WEEKDAYS = frozenset(calendar.day_name)
_MONTHS = frozenset(calendar.month_name[1:])
CALENDAR_NAMES = _WEEKDAYS | _MONTHS
_CAPITALISED = re.compile(r"(?<=\S\s)[A-Z][a-z]+\b")


def calendar_names_in(text: str) -> set[str]:
    """The days and months the text names ("Sunday", "June"), capitalised and not first in
    it: a sentence opening "May ..." may be asking leave."""
    return {word for word in _CAPITALISED.findall(text) if word in CALENDAR_NAMES}


def calendar_kin(name: str) -> frozenset[str]:
    """The names of its kind: every day of the week for "Sunday", every month for "June"."""
    return _WEEKDAYS if name in _WEEKDAYS else _MONTHS if name in _MONTHS else frozenset()


def without_possessive(name: str) -> str:
    """ "Kublai Khan" of "Kublai Khan's"."""
    return name.removesuffix("'s").removesuffix("’s")


def figures(text: str) -> list[str]:
    """The figures written in the text, lower-cased ("13–29" is 13 and 29)."""
    return [figure.casefold() for figure in _FIGURE.findall(text)]


def names_and_numbers(text: str, ignore: str = "") -> set[str]:
    """Capitalized words and numbers, leaving out words that occur in `ignore` and
    function words that open a sentence ("In", "The"): a surface reading, cheap enough to
    compare whole passages (see `nlp` for a parsed one)."""
    ignored = set(_WORDS.findall(ignore.lower())) | stopwords()
    return {w for w in _NAME_OR_NUMBER.findall(text) if w.lower() not in ignored}


def spells_out(acronym: str, text: str) -> bool:
    """Whether the text writes out the acronym: "US" in "the United States", "EU" in
    "European Union"."""
    if not (2 <= len(acronym) <= 6 and acronym.isupper() and acronym.isalpha()):
        return False
    initials = re.escape(acronym[0]) + "".join(
        rf"\w*[\s-]+(?:(?:of|the|and|for)\s+)*{re.escape(letter)}" for letter in acronym[1:]
    )
    return re.search(rf"\b{initials}", text) is not None


def differ_in_names(first: str, second: str, ignore: str = "") -> bool:
    """Each text names something (a name or a number) that the other does not."""
    a, b = names_and_numbers(first, ignore), names_and_numbers(second, ignore)
    return bool(a - b) and bool(b - a)
