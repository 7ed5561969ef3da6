"""The reader: a cross-encoder that reads a question with one candidate sentence and says
how likely the sentence answers it, and where in the sentence the answer lies.

It is MiniLM (the packaged all-MiniLM-L6-v2 weights) fine-tuned by `assistant train`,
exported to ONNX and quantized to int8; it runs with ONNX Runtime on the CPU. The
sentence comes first in its segment, so it is never cut; the passage's title and the
sentence before it follow, as far as room allows, for what the sentence refers to.

    [CLS] question [SEP] sentence [SEP] title — previous sentence [SEP]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Tokenizer

MAX_QUESTION_TOKENS = 40
MAX_SENTENCE_TOKENS = 80
MAX_TOKENS = 160  # question, sentence and as much context as fits
MAX_ANSWER_TOKENS = 24  # a short answer longer than this is a sentence, not an answer
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


@dataclass(frozen=True)
class ReaderInput:
    question: str
    sentence: str
    context: str = ""  # the passage title and the sentence before, joined by " — "


def context_of(title: str, previous: str) -> str:
    """What the reader is shown after the sentence: where it comes from, what precedes it."""
    return " — ".join(part for part in (title, previous) if part)


@dataclass(frozen=True)
class Encoded:
    ids: np.ndarray  # (pairs, tokens), padded
    mask: np.ndarray
    types: np.ndarray
    # Token positions of each sentence, and each token's character span in it.
    sentence_tokens: list[tuple[int, int]]
    offsets: list[list[tuple[int, int]]]


def encode(tokenizer: Tokenizer, pairs: Sequence[ReaderInput], context_tokens: int) -> Encoded:
    """The pairs as model input. `context_tokens` bounds the context (0: none)."""
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    rows, spans, offsets = [], [], []
    questions: dict[str, list[int]] = {}
    for pair in pairs:
        if pair.question not in questions:
            questions[pair.question] = _ids(tokenizer, pair.question)[0][:MAX_QUESTION_TOKENS]
        question = questions[pair.question]
        sentence, sentence_offsets = _ids(tokenizer, pair.sentence)
        sentence, sentence_offsets = (
            sentence[:MAX_SENTENCE_TOKENS],
            sentence_offsets[:MAX_SENTENCE_TOKENS],
        )
        room = MAX_TOKENS - len(question) - len(sentence) - 4
        context = _ids(tokenizer, pair.context)[0] if pair.context and context_tokens else []
        context = context[-min(room, context_tokens) :] if room > 0 and context else []
        first = [cls, *question, sep]
        second = [*sentence, sep, *context, sep] if context else [*sentence, sep]
        rows.append((first, second))
        spans.append((len(first), len(first) + len(sentence)))
        offsets.append(sentence_offsets)
    width = max(len(a) + len(b) for a, b in rows)
    ids = np.zeros((len(rows), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    types = np.zeros_like(ids)
    for row, (first, second) in enumerate(rows):
        length = len(first) + len(second)
        ids[row, :length] = first + second
        mask[row, :length] = 1
        types[row, len(first) : length] = 1
    return Encoded(ids, mask, types, spans, offsets)


def _ids(tokenizer: Tokenizer, text: str) -> tuple[list[int], list[tuple[int, int]]]:
    encoding = tokenizer.encode(text, add_special_tokens=False)
    return encoding.ids, encoding.offsets


@dataclass(frozen=True)
class Reading:
    """The reader's verdict on one sentence."""

    relevance: float  # logit: the sentence answers the question
    span_score: float  # logit sum of the best span's start and end
    span: tuple[int, int] | None  # character span of the short answer within the sentence


def best_span(
    start: np.ndarray, end: np.ndarray, tokens: tuple[int, int], offsets: list[tuple[int, int]]
) -> tuple[float, tuple[int, int] | None]:
    """The highest-scoring answer span inside the sentence's tokens."""
    first, last = tokens
    if last <= first:
        return float("-inf"), None
    starts, ends = start[first:last], end[first:last]
    scores = starts[:, None] + ends[None, :]
    length = scores.shape[0]
    allowed = np.triu(np.ones((length, length), dtype=bool)) & ~np.triu(
        np.ones((length, length), dtype=bool), k=MAX_ANSWER_TOKENS
    )
    scores = np.where(allowed, scores, -np.inf)
    i, j = np.unravel_index(int(np.argmax(scores)), scores.shape)
    return float(scores[i, j]), (offsets[i][0], offsets[j][1])


class Reader:
    """The exported reader, run by ONNX Runtime."""

    def __init__(self, model_path: Path, tokenizer: Tokenizer, context_tokens: int) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        self._session: Any = onnxruntime.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = tokenizer
        self.context_tokens = context_tokens

    def run(self, pairs: Sequence[ReaderInput]) -> list[Reading]:
        if not pairs:
            return []
        encoded = encode(self.tokenizer, pairs, self.context_tokens)
        feed = dict(zip(_INPUTS, (encoded.ids, encoded.mask, encoded.types), strict=True))
        relevance, start, end = self._session.run(None, feed)
        readings = []
        for row in range(len(pairs)):
            score, span = best_span(
                start[row], end[row], encoded.sentence_tokens[row], encoded.offsets[row]
            )
            readings.append(Reading(float(relevance[row]), score, span))
        return readings
