"""Does a passage support a sentence? One rule for the answerers and for evaluation."""

from __future__ import annotations

from assistant.language.text import names_and_numbers, normalized
from assistant.language.words import content_stems

# A sentence that is not verbatim in the passage is supported when this share of its
# content words, and all of its names and numbers, are in it.
SUPPORT_OVERLAP = 0.7


def supports(passage: str, sentence: str) -> bool:
    """Verbatim, or most of its words and every one of its names and numbers are there."""
    if normalized(sentence) in normalized(passage):
        return True
    wanted = content_stems(sentence)
    if not wanted or len(wanted & content_stems(passage)) / len(wanted) < SUPPORT_OVERLAP:
        return False
    named = {name.casefold() for name in names_and_numbers(sentence)}
    return named <= {name.casefold() for name in names_and_numbers(passage)}
