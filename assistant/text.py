"""Small text facts shared by the ingest and answer stages."""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e")
)
_SPACES = re.compile(r"[^\S\n]+")
_TERMINAL = tuple(".!?\"”’')…;")


def normalize_line(line: str) -> str:
    """One line of article text with invisible characters dropped and spaces collapsed."""
    line = unicodedata.normalize("NFC", line).translate(_INVISIBLE)
    return _SPACES.sub(" ", line).strip()


def word_count(text: str) -> int:
    return len(text.split())


def looks_like_heading(line: str) -> bool:
    """A headline, section title or label ("Pro Tip:"): short, and not ended like a sentence."""
    stripped = line.strip()
    words = word_count(stripped)
    if stripped.endswith(":"):
        return words <= 6
    return 0 < words <= 20 and not stripped.endswith(_TERMINAL)
