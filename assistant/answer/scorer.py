"""The answer scorer: which candidate sentence answers the question, and how likely.

Every candidate gets the cheap features (features.py). Those that disagree with the
question's names, years or numbers are out (constraints.py); of the rest, the lexically
best few are read by the reader (reader.py). A gradient-boosted model (LightGBM) turns
each shortlisted sentence's features into a probability that it answers the question, and
an isotonic map, fitted on questions the model was not fitted on, turns the best of those
into a calibrated confidence: how often an answer given at that score was right.

The models and the map come from `assistant train` (see model/CARD.md).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answer.features import (
    ALL,
    Candidate,
    cheap_features,
    eligible,
    reader_features,
    shortlist_order,
)
from assistant.answer.policy import AnswerPolicy
from assistant.answer.question import Question
from assistant.answer.reader import Reader, ReaderInput, Reading

MODEL_DIR = Path(__file__).with_name("model")
CARD = "card.json"


@dataclass(frozen=True)
class Scored:
    candidate: int  # index into the candidates scored
    probability: float  # that this sentence answers the question (the scorer's own)
    reading: Reading


@dataclass(frozen=True)
class Judgement:
    scored: list[Scored]  # the shortlisted candidates, likeliest first
    confidence: float  # calibrated probability that the likeliest one answers the question

    @property
    def best(self) -> Scored | None:
        return self.scored[0] if self.scored else None


class AnswerScorer:
    def __init__(self, model_dir: Path = MODEL_DIR, policy: AnswerPolicy | None = None) -> None:
        card = json.loads((model_dir / CARD).read_text(encoding="utf-8"))
        if card["features"] != ALL:
            raise ValueError(
                f"The answer models in {model_dir} were fitted on other features: "
                "run `assistant train` again."
            )
        self.model_dir = model_dir
        self.card = card
        self.policy = policy or AnswerPolicy.from_card(model_dir / CARD)
        calibration = card["calibration"]
        self._calibration = np.asarray(calibration["x"]), np.asarray(calibration["y"])
        self._lock = threading.Lock()

    @cached_property
    def reader(self) -> Reader:
        from tokenizers import Tokenizer

        from assistant.index.embedding import model_files

        tokenizer = Tokenizer.from_file(str(model_files() / "tokenizer.json"))
        return Reader(
            self.model_dir / "reader.onnx", tokenizer, self.card["reader"]["context_tokens"]
        )

    @cached_property
    def booster(self) -> Any:
        import lightgbm

        return lightgbm.Booster(model_file=str(self.model_dir / "scorer.txt"))

    def run(
        self, question: Question, candidates: Sequence[Candidate], idf: Mapping[str, float]
    ) -> Judgement:
        if not candidates:
            return Judgement([], 0.0)
        cheap = cheap_features(question, candidates, dict(idf))
        order = [i for i in shortlist_order(cheap) if eligible(cheap[i])][: self.policy.shortlist]
        if not order:
            return Judgement([], 0.0)
        readings = self.reader.run(
            [
                ReaderInput(question.text, candidates[i].sentence, candidates[i].reader_context)
                for i in order
            ]
        )
        probabilities = self.probabilities(cheap[order], readings)
        scored = sorted(
            (
                Scored(i, float(p), r)
                for i, p, r in zip(order, probabilities, readings, strict=True)
            ),
            key=lambda s: -s.probability,
        )
        return Judgement(scored, self.calibrated(scored[0].probability))

    def probabilities(self, cheap: np.ndarray, readings: Sequence[Reading]) -> np.ndarray:
        rows = np.hstack([cheap, reader_features(readings)])
        with self._lock:  # LightGBM's predictor is not meant to be shared between threads
            return np.asarray(self.booster.predict(rows, num_threads=1))

    def calibrated(self, probability: float) -> float:
        x, y = self._calibration
        return float(np.interp(probability, x, y))
