"""What the answer scorer knows of each candidate sentence, as numbers.

The cheap ones are computed for every candidate: how much of the question's rare
vocabulary the sentence (its lead-in, its passage) uses, whether it agrees with the
question's names, years and numbers, and where it stands in the retrieval. The reader's
verdicts are added for the few candidates it reads. The same code makes the features
for training (`assistant train`) and for answering, so the two never drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from assistant.answer.constraints import Agreement, agreement
from assistant.answer.question import Question, Wh
from assistant.answer.reader import Reading, context_of
from assistant.language.words import content_stems

if TYPE_CHECKING:
    from assistant.answer.sentences import Sentence
    from assistant.retrieve.hybrid import Passage

CONTEXT_CREDIT = 0.5  # a question word only in the sentence before counts half
_CAPITALIZED = re.compile(r"(?<=\s)[A-Z][\w'’-]+")
_NUMBER = re.compile(r"\d")
_WH = list(Wh)

CHEAP = [
    "lexical",
    "lexical_context",
    "lexical_passage",
    "missing_rarest",
    "constraints",
    "constraints_in_sentence",
    "constraints_in_passage",
    "year_conflict",
    "passage_rank",
    "passage_score",
    "position",
    "words",
    "has_number",
    "new_capitalized",
    "question_words",
    "wants_list",
    "negated",
    *[f"wh_{wh.value}" for wh in _WH],
]
READER = ["relevance", "span_score", "relevance_rank", "relevance_gap", "best_relevance"]
ALL = CHEAP + READER


@dataclass(frozen=True)
class Candidate:
    """A sentence as the scorer sees it: its text, lead-in and passage."""

    sentence: str
    context: str
    title: str
    passage: str  # with its dateline and lead-in
    passage_rank: int
    passage_score: float
    position: int

    @property
    def reader_context(self) -> str:
        return context_of(self.title, self.context)

    @classmethod
    def of(cls, sentence: Sentence, passage: Passage) -> Candidate:
        spans = passage.sentences or ()
        return cls(
            sentence=sentence.text,
            context=sentence.context,
            title=passage.title,
            passage=" ".join(filter(None, (passage.published, passage.lead_in, passage.text))),
            passage_rank=sentence.passage,
            passage_score=passage.score,
            position=next((i for i, (s, _) in enumerate(spans) if s == sentence.start), 0),
        )


def constraints_of(question: Question, candidate: Candidate) -> Agreement:
    """How the candidate, with its lead-in and passage, stands to the question's names,
    years and numbers."""
    return agreement(
        question,
        candidate.sentence,
        f"{candidate.title} {candidate.passage}",
        lead_in=candidate.context,
    )


def cheap_features(
    question: Question, candidates: Sequence[Candidate], idf: dict[str, float]
) -> np.ndarray:
    """One row per candidate, in CHEAP's order. `idf` weighs each question stem."""
    total = sum(idf.values()) or 1.0
    question_row = [
        len(question.text.split()),
        float(question.wants_list),
        float(question.negated),
        *[float(question.wh is wh) for wh in _WH],
    ]
    asked = set(question.text.casefold().split())
    rows = []
    for candidate in candidates:
        own = content_stems(candidate.sentence)
        lead_in = content_stems(candidate.context)
        surrounding = content_stems(f"{candidate.title} {candidate.passage}") | own
        lexical = sum(w for s, w in idf.items() if s in own)
        context = sum(
            w if s in own else CONTEXT_CREDIT * w if s in lead_in else 0.0 for s, w in idf.items()
        )
        passage = sum(w for s, w in idf.items() if s in surrounding)
        missing = [w for s, w in idf.items() if s not in surrounding]
        agrees = constraints_of(question, candidate)
        constraints = max(agrees.total, 1)
        rows.append(
            [
                lexical / total,
                context / total,
                passage / total,
                max(missing, default=0.0) / max(idf.values(), default=1.0),
                agrees.total,
                agrees.in_sentence / constraints,
                agrees.in_passage / constraints,
                float(agrees.year_conflict),
                candidate.passage_rank,
                candidate.passage_score,
                candidate.position,
                len(candidate.sentence.split()),
                float(bool(_NUMBER.search(candidate.sentence))),
                sum(
                    word.casefold() not in asked
                    for word in _CAPITALIZED.findall(candidate.sentence)
                ),
                *question_row,
            ]
        )
    return np.asarray(rows, dtype=np.float32).reshape(len(rows), len(CHEAP))


def reader_features(readings: Sequence[Reading]) -> np.ndarray:
    """The reader's verdicts on the candidates it read, each against the others'."""
    relevance = np.asarray([r.relevance for r in readings], dtype=np.float32)
    best = float(relevance.max()) if len(relevance) else 0.0
    order = np.argsort(-relevance, kind="stable")
    ranks = np.empty(len(relevance), dtype=np.float32)
    ranks[order] = np.arange(len(relevance))
    spans = np.asarray([r.span_score for r in readings], dtype=np.float32)
    return np.stack(
        [relevance, spans, ranks, best - relevance, np.full_like(relevance, best)], axis=1
    ).reshape(len(readings), len(READER))


def eligible(row: np.ndarray) -> bool:
    """The candidate agrees with every name, year and number the question states, or its
    passage does; and it names no other year where the passage lacks the question's."""
    total = row[CHEAP.index("constraints")]
    agrees = row[CHEAP.index("constraints_in_passage")] >= 1.0
    return bool(total == 0 or (agrees and not row[CHEAP.index("year_conflict")]))


def shortlist_order(features: np.ndarray) -> np.ndarray:
    """Candidates in the order the reader takes them: question words in the sentence and
    its lead-in first, the better-ranked passage breaking ties."""
    context = features[:, CHEAP.index("lexical_context")]
    rank = features[:, CHEAP.index("passage_rank")]
    return np.lexsort((rank, -context))
