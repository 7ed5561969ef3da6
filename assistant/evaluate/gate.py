"""The regression gate: a run against its baseline, metric by metric and question by
question.

A baseline records, per suite, the gated metrics and every item's outcome (passed or not,
the facts it missed, the sources it cited). The gate fails when a metric falls further
than its tolerance, or when more items that passed in the baseline fail now than the
item tolerance allows; either way it names the items, so a red CI run says what broke.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.evaluate.metrics import ItemResult
from assistant.evaluate.runner import SuiteResult

# How far each gated metric may fall below the baseline: about one question's worth on
# the gold set, so noise-free metrics don't flap but a real slide shows.
TOLERANCES: dict[str, float] = {
    "answer_accuracy": 0.02,
    "fact_recall": 0.02,
    "retrieval_hit": 0.02,
    "retrieval_mrr": 0.03,
    "citation_precision": 0.01,
    "citation_recall": 0.01,
    "abstention_recall": 0.02,
    "abstention_precision": 0.02,
    "accuracy": 0.02,  # RGB
    "answerable_correct": 0.03,  # SQuAD
    "unanswerable_declined": 0.03,
    "short_answer_f1": 0.03,
    "faithful_kept": 0.02,  # the verification suite
    "unfaithful_blocked": 0.02,
}
# The share of a suite's items that may newly fail while the metrics hold: answers that
# trade one question for another show here even when an average does not move.
NEW_FAILURES_SHARE = 0.02


@dataclass(frozen=True)
class Outcome:
    """What the baseline keeps of one item."""

    passed: bool
    question: str
    missing: list[str] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, item: ItemResult) -> Outcome:
        return cls(item.correct, item.question, list(item.missing_facts), list(item.cited))


@dataclass
class Baseline:
    metrics: dict[str, float]
    items: dict[str, Outcome]

    @classmethod
    def of(cls, result: SuiteResult) -> Baseline:
        metrics = {k: v for k, v in result.summary.items() if k in TOLERANCES}
        return cls(metrics, {item.id: Outcome.of(item) for item in result.items})

    def to_json(self) -> dict[str, Any]:
        return {
            "metrics": self.metrics,
            "items": {id: asdict(outcome) for id, outcome in self.items.items()},
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Baseline:
        if "metrics" not in raw:  # a baseline of averages only, as recorded before items were
            return cls(dict(raw), {})
        items = {id: Outcome(**outcome) for id, outcome in raw.get("items", {}).items()}
        return cls(dict(raw["metrics"]), items)


def load_baseline(path: Path, suite: str) -> Baseline:
    if not path.exists():
        raise FileNotFoundError(f"No baseline at {path}: record one with --update-baseline.")
    recorded = json.loads(path.read_text(encoding="utf-8"))
    if suite not in recorded:
        raise FileNotFoundError(
            f"{path} has no baseline for the {suite} suite: record one with "
            f"`assistant eval --suite {suite} --update-baseline`."
        )
    return Baseline.from_json(recorded[suite])


def recorded_baseline(path: Path, suite: str) -> Baseline | None:
    """The suite's baseline, or None when none is recorded."""
    try:
        return load_baseline(path, suite)
    except FileNotFoundError:
        return None


def save_baseline(path: Path, result: SuiteResult) -> None:
    recorded = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    recorded[result.suite] = Baseline.of(result).to_json()
    path.write_text(json.dumps(recorded, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class MetricChange:
    name: str
    before: float
    now: float
    tolerance: float | None  # None: reported, not gated

    @property
    def regressed(self) -> bool:
        return self.tolerance is not None and self.before - self.now > self.tolerance

    def describe(self) -> str:
        return (
            f"{self.name} fell from {self.before:.3f} to {self.now:.3f} "
            f"(-{self.before - self.now:.3f}, tolerance {self.tolerance:.3f})"
        )


@dataclass(frozen=True)
class ItemChange:
    """An item whose outcome changed: `result` is how it went now."""

    result: ItemResult
    before: Outcome


@dataclass
class GateReport:
    suite: str
    metrics: list[MetricChange]
    newly_failing: list[ItemChange]
    newly_passing: list[ItemChange]
    new_items: list[ItemResult]  # not in the baseline: shown, never gated
    allowed_new_failures: int
    has_items: bool  # the baseline records items (a baseline of averages only does not)

    @property
    def regressed_metrics(self) -> list[MetricChange]:
        return [m for m in self.metrics if m.regressed]

    @property
    def failed(self) -> bool:
        return bool(self.regressed_metrics) or len(self.newly_failing) > self.allowed_new_failures

    def reasons(self) -> list[str]:
        lines = [metric.describe() for metric in self.regressed_metrics]
        if len(self.newly_failing) > self.allowed_new_failures:
            ids = ", ".join(change.result.id for change in self.newly_failing)
            lines.append(
                f"{len(self.newly_failing)} items that passed in the baseline fail now "
                f"(tolerance {self.allowed_new_failures}): {ids}"
            )
        return lines


def compare(result: SuiteResult, baseline: Baseline) -> GateReport:
    metrics = [
        MetricChange(name, before, float(result.summary.get(name, 0.0)), TOLERANCES.get(name))
        for name, before in baseline.metrics.items()
    ]
    failing, passing, new = [], [], []
    for item in result.items:
        before = baseline.items.get(item.id)
        if before is None:
            new.append(item)
        elif before.passed and not item.correct:
            failing.append(ItemChange(item, before))
        elif item.correct and not before.passed:
            passing.append(ItemChange(item, before))
    allowed = math.floor(NEW_FAILURES_SHARE * len(result.items)) if baseline.items else 0
    return GateReport(result.suite, metrics, failing, passing, new, allowed, bool(baseline.items))


def why_failed(item: ItemResult) -> str:
    """One line on why an item does not pass, for people and for JUnit."""
    if not item.answerable:
        return "answered a question the articles cannot answer (expected: abstain)"
    if item.abstained:
        expected = f" (expected: {'; '.join(item.missing_facts)})" if item.missing_facts else ""
        return f"declined a question the articles answer{expected}"
    if item.missing_facts:
        return "missing: " + "; ".join(item.missing_facts)
    if item.sentences != item.supported_sentences:
        return "a sentence is not supported by the passage it cites"
    return "no cited passage supports the answer"
