"""Does a passage support a sentence? One definition for the answerers and for evaluation:
verification's (verify.py), which reads a model's sentences the same way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.answer.claims import Claim
from assistant.answer.verify import Verifier
from assistant.language.sentences import sentence_spans
from assistant.retrieve.hybrid import Passage

if TYPE_CHECKING:
    from assistant.index.embedding import MiniLMEmbedding


class Support:
    """Whether one passage states what one sentence says."""

    def __init__(self, embed_model: MiniLMEmbedding) -> None:
        self.embed_model = embed_model

    def holds(self, passage: str, sentence: str) -> bool:
        verifier = Verifier(self.embed_model, [_passage(passage)])
        return verifier.check(Claim(sentence, [1])).supported


def _passage(text: str) -> Passage:
    return Passage(
        node_id="",
        text=text,
        source="",
        title="",
        start_char=None,
        end_char=None,
        score=1.0,
        sentences=tuple(sentence_spans(text)),
    )
