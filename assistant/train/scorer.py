"""Fit the answer scorer, calibrate it, and choose the abstention threshold.

Each fitted question's shortlist is read by the exported reader, exactly as when
answering. A LightGBM model learns which shortlisted sentence answers the question. Its
out-of-fold predictions (folds by article, so no article is scored by a model fitted on
it) calibrate the best sentence's score into the probability that the answer is right
(isotonic regression), and choose the threshold below which the assistant declines: the
lowest at which the answers given are right at the target precision.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.answer.features import ALL, CHEAP, eligible, reader_features, shortlist_order
from assistant.answer.reader import ReaderInput, Reading
from assistant.evaluate.squad import f1

Log = Callable[[str], None]


@dataclass(frozen=True)
class ScorerRecipe:
    """How the scorer is fitted; recorded in the model card."""

    trees: int = 300
    learning_rate: float = 0.05
    leaves: int = 15
    min_child_samples: int = 20
    subsample: float = 0.8
    colsample: float = 0.8
    folds: int = 4  # for the out-of-fold predictions that calibrate
    # The answers given must be right this often, on calibration questions reweighted so
    # that `unanswerable_share` of them have no answer in the articles. SQuAD asks half
    # its questions unanswerably, on purpose; people asking about their own articles
    # rarely do, and a threshold fitted to SQuAD's mix would decline too much.
    target_precision: float = 0.75
    unanswerable_share: float = 0.2
    short_answer_f1: float = 0.6  # mean F1 of the short answers shown, on the same
    seed: int = 20261124


@dataclass
class Shortlist:
    """One question's shortlisted candidates, as the scorer sees them."""

    group: str
    answers: list[str]
    rows: np.ndarray  # one row of features.ALL per candidate
    labels: np.ndarray
    shorts: list[str | None] = field(default_factory=list)  # the reader's span in each

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


Read = Callable[[Any, list[ReaderInput]], list[Reading]]


def shortlists(examples: Sequence[Any], read: Read, size: int, log: Log = print) -> list[Shortlist]:
    """The shortlist of every example (train/examples.py), read by `read(example, inputs)`."""
    found = []
    for number, example in enumerate(examples, start=1):
        cheap = np.asarray(example.cheap, dtype=np.float32).reshape(-1, len(CHEAP))
        order = [i for i in shortlist_order(cheap) if eligible(cheap[i])][:size]
        picked = [example.candidates[i] for i in order]
        readings = read(
            example,
            [
                ReaderInput(example.question, c.candidate.sentence, c.candidate.reader_context)
                for c in picked
            ],
        )
        rows = (
            np.hstack([cheap[order], reader_features(readings)])
            if order
            else np.zeros((0, len(ALL)))
        )
        shorts = [
            c.candidate.sentence[r.span[0] : r.span[1]] if r.span else None
            for c, r in zip(picked, readings, strict=True)
        ]
        labels = np.array([c.label for c in picked], dtype=bool)
        found.append(Shortlist(example.group, list(example.answers), rows, labels, shorts))
        if number % 500 == 0:
            log(f"scorer: read {number} of {len(examples)} shortlists")
    return found


def recorded(readings: dict[str, list[list[Any]]]) -> Read:
    """Readings made elsewhere (a fold reader on a GPU machine), by example id, in
    shortlist order: [relevance, span score, [start, end] or null]."""

    def read(example: Any, inputs: list[ReaderInput]) -> list[Reading]:
        rows = readings[example.id]
        if len(rows) != len(inputs):
            raise ValueError(f"readings of {example.id} are for another shortlist")
        return [Reading(float(r), float(s), tuple(span) if span else None) for r, s, span in rows]

    return read


@dataclass
class FittedScorer:
    booster: Any  # lightgbm.Booster
    calibration: dict[str, list[float]]  # isotonic map: best score -> P(answer right)
    min_confidence: float
    min_span_score: float
    report: dict[str, Any]


def fit(items: Sequence[Shortlist], recipe: ScorerRecipe, log: Log = print) -> FittedScorer:
    import lightgbm
    from sklearn.isotonic import IsotonicRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold

    params = {
        "objective": "binary",
        "n_estimators": recipe.trees,
        "learning_rate": recipe.learning_rate,
        "num_leaves": recipe.leaves,
        "min_child_samples": recipe.min_child_samples,
        "subsample": recipe.subsample,
        "subsample_freq": 1,
        "colsample_bytree": recipe.colsample,
        "random_state": recipe.seed,
        "deterministic": True,
        "n_jobs": 1,
        "verbose": -1,
    }
    scored = [item for item in items if len(item.rows)]
    groups = np.array([item.group for item in scored])
    out_of_fold: list[np.ndarray] = [np.zeros(0)] * len(scored)
    for fitted_on, held in GroupKFold(recipe.folds).split(np.zeros(len(scored)), groups=groups):
        model = lightgbm.LGBMClassifier(**params).fit(*_stacked([scored[i] for i in fitted_on]))
        for i in held:
            out_of_fold[i] = model.predict_proba(scored[i].rows)[:, 1]
    final = lightgbm.LGBMClassifier(**params).fit(*_stacked(scored))

    best = np.array([p.max() for p in out_of_fold])
    top = [int(np.argmax(p)) for p in out_of_fold]
    right = np.array([item.labels[t] for item, t in zip(scored, top, strict=True)], dtype=float)
    # Questions with no eligible candidate are declined whatever the threshold: they
    # count against answerable recall, not here.
    isotonic = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(best, right)
    confidence = isotonic.predict(best)
    answerable = np.array([item.answerable for item in scored])
    weight = np.where(
        answerable,
        1.0,
        _odds(recipe.unanswerable_share) * answerable.sum() / max((~answerable).sum(), 1),
    )
    threshold = _threshold(confidence, right, weight, recipe.target_precision)
    span_score = _span_threshold(scored, top, out_of_fold, recipe.short_answer_f1)

    with_answer = np.array([item.labels.any() for item in scored])
    answered = confidence >= threshold
    report = {
        "questions": len(items),
        "shortlisted": len(scored),
        "candidate_rows": int(sum(len(item.rows) for item in scored)),
        "out_of_fold": {
            "top1_right_when_there_is_one": round(float(right[with_answer].mean()), 4),
            "auc_answerable_vs_not": round(float(roc_auc_score(answerable, best)), 4),
            "answered_precision": round(float(right[answered].mean()), 4)
            if answered.any()
            else None,
            "answerable_answered_right": round(float((right * answered)[answerable].mean()), 4),
            "unanswerable_declined": round(float((~answered)[~answerable].mean()), 4),
        },
        "importance": _importance(final),
    }
    log(f"scorer: {report['out_of_fold']}")
    return FittedScorer(
        booster=final.booster_,
        calibration={
            "x": [round(float(x), 6) for x in isotonic.X_thresholds_],
            "y": [round(float(y), 6) for y in isotonic.y_thresholds_],
        },
        min_confidence=round(threshold, 4),
        min_span_score=round(span_score, 3),
        report=report,
    )


def _stacked(items: Sequence[Shortlist]) -> tuple[np.ndarray, np.ndarray]:
    return np.vstack([i.rows for i in items]), np.concatenate([i.labels for i in items])


def _odds(share: float) -> float:
    return share / (1.0 - share)


def _threshold(
    confidence: np.ndarray, right: np.ndarray, weight: np.ndarray, precision: float
) -> float:
    """The lowest confidence at which the (weighted) answers given are right at `precision`."""
    for candidate in np.unique(confidence):
        answered = confidence >= candidate
        if np.average(right[answered], weights=weight[answered]) >= precision:
            return float(candidate)
    return float(confidence.max())


def _span_threshold(
    items: Sequence[Shortlist], top: Sequence[int], out_of_fold: Sequence[np.ndarray], wanted: float
) -> float:
    """The lowest span score at which the short answers of right answers score `wanted`
    mean F1 against the gold answers."""
    span_column = ALL.index("span_score")
    pairs = [
        (float(item.rows[t, span_column]), f1(item.shorts[t] or "", tuple(item.answers)))
        for item, t in zip(items, top, strict=True)
        if item.answerable and item.labels[t]
    ]
    if not pairs:
        return 0.0
    pairs.sort()
    scores = np.array([s for s, _ in pairs])
    f1s = np.array([f for _, f in pairs])
    for i in range(len(pairs)):
        if f1s[i:].mean() >= wanted:
            return float(scores[i])
    return float(scores[-1])


def _importance(model: Any) -> dict[str, float]:
    gains = model.booster_.feature_importance(importance_type="gain")
    total = float(gains.sum()) or 1.0
    ranked = sorted(zip(ALL, gains, strict=True), key=lambda pair: -pair[1])
    return {name: round(float(gain) / total, 4) for name, gain in ranked}
