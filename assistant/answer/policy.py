"""Every number that decides what an answer says, in one documented object.

The fitted ones (the abstention threshold, the short-answer bar) come from the model card
that `assistant train` writes beside the models; the rest are choices, stated here. An
answerer is given a policy; nothing reads these numbers from anywhere else.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class AnswerPolicy:
    # --- fitted by `assistant train` (see the model card) ---------------------------------
    # Below this calibrated probability that the best sentence answers the question, the
    # assistant says the articles don't say. Chosen as the lowest threshold at which the
    # answers given on the calibration questions were right at `target_precision`.
    min_confidence: float = 0.5
    target_precision: float = 0.8
    # The reader's span score (start + end logit) from which a short answer is shown.
    min_span_score: float = 0.0

    # --- choices ---------------------------------------------------------------------------
    shortlist: int = 10  # candidate sentences the reader reads, the lexically best first
    max_sentences: int = 3  # quoted sentences in one answer
    # A further sentence is quoted when it is this likely, relative to the best one...
    keep_ratio: float = 0.8
    keep_ratio_list: float = 0.6  # ...or this, when the question asks for several things
    # Two answer sentences that share this much of their words, but name different things
    # or numbers, state rival versions: both are shown, with a notice.
    rival_overlap: float = 0.5
    related_passages: int = 3  # offered as reading when the assistant declines

    @classmethod
    def from_card(cls, card: Path, **overrides: Any) -> AnswerPolicy:
        """The policy recorded in a model card, with any overrides."""
        recorded = json.loads(card.read_text(encoding="utf-8")).get("policy", {})
        known = {f.name for f in fields(cls)}
        return replace(cls(**{k: v for k, v in recorded.items() if k in known}), **overrides)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
