"""Does a passage support a sentence? One rule for the answerers and for evaluation."""

from __future__ import annotations

import unicodedata

from assistant.retrieve.vocabulary import content_stems

# A sentence that is not verbatim in the passage is supported when this share of its
# content words are in it.
SUPPORT_OVERLAP = 0.7


def normalized(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split())


def supports(passage: str, sentence: str) -> bool:
    if normalized(sentence) in normalized(passage):
        return True
    wanted = content_stems(sentence)
    return bool(wanted) and len(wanted & content_stems(passage)) / len(wanted) >= SUPPORT_OVERLAP
