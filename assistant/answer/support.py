"""Does a passage support a sentence? One definition for the answerers and for evaluation:
verification's (verify.py), which reads a model's sentences the same way."""

from __future__ import annotations

from collections.abc import Sequence
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

    def holds(self, passage: str | Sequence[str], sentence: str) -> bool:
        """`passage` as text, or as its sentences where they are known already: splitting
        text loads a sentence tokenizer, which answering a question never needs to."""
        verifier = Verifier(self.embed_model, [_passage(passage)])
        return verifier.check(Claim(sentence, [1])).supported


def _passage(passage: str | Sequence[str]) -> Passage:
    if isinstance(passage, str):
        text, spans = passage, sentence_spans(passage)
    else:
        passage = [sentence for sentence in passage if sentence]
        text, spans = " ".join(passage), []
        for sentence in passage:
            start = spans[-1][1] + 1 if spans else 0
            spans.append((start, start + len(sentence)))
    return Passage(
        node_id="",
        text=text,
        source="",
        title="",
        start_char=None,
        end_char=None,
        score=1.0,
        sentences=tuple(spans),
    )
