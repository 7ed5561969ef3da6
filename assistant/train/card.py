"""What `assistant train` leaves beside the models: card.json, which answering reads
(features, calibration, policy), and CARD.md, which people read (data, recipe, scores)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from assistant.answer.features import ALL
from assistant.answer.policy import AnswerPolicy
from assistant.train.reader import ReaderRecipe
from assistant.train.scorer import FittedScorer, ScorerRecipe
from assistant.train.split import Split


def write_card(
    out: Path,
    fitted: FittedScorer,
    split: Split,
    reader: ReaderRecipe,
    scorer: ScorerRecipe,
    scorer_folds: list[int],
    data: str,
    trained_on: str,
) -> Path:
    policy = AnswerPolicy(
        min_confidence=fitted.min_confidence,
        target_precision=scorer.target_precision,
        min_span_score=fitted.min_span_score,
    )
    card: dict[str, Any] = {
        "features": ALL,
        "calibration": fitted.calibration,
        "policy": {
            "min_confidence": policy.min_confidence,
            "target_precision": policy.target_precision,
            "min_span_score": policy.min_span_score,
        },
        "reader": {
            "context_tokens": reader.context_tokens,
            "recipe": asdict(reader),
            "trained_on": trained_on,
        },
        "scorer": {
            "recipe": asdict(scorer),
            "reader_folds_used": scorer_folds,
            "report": fitted.report,
        },
        "data": {
            "source": data,
            "fitted_articles": list(split.fitted),
            "held_out_articles": list(split.held_out),
        },
    }
    fitted.booster.save_model(str(out / "scorer.txt"))
    path = out / "card.json"
    path.write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    (out / "CARD.md").write_text(_markdown(card), encoding="utf-8")
    return path


def _markdown(card: dict[str, Any]) -> str:
    data, scorer, reader = card["data"], card["scorer"], card["reader"]
    report = scorer["report"]["out_of_fold"]
    fitted, held_out = data["fitted_articles"], data["held_out_articles"]
    lines = [
        "# Answer models: data card",
        "",
        "Written by `assistant train`; do not edit by hand.",
        "",
        "## Data",
        "",
        f"- Source: {data['source']} (SQuAD 2.0 dev, CC BY-SA 4.0), read in place, never copied.",
        f"- Fitted on {len(fitted)} articles: {', '.join(fitted)}.",
        f"- Held out, for `assistant eval --suite squad2`: {', '.join(held_out)}.",
        "- Every question of a fitted article is asked of a real index of the fitted articles;",
        "  the candidate sentences the answerer would consider are labelled by whether they hold",
        "  a gold answer. Unanswerable questions label every candidate wrong.",
        "",
        "## Reader",
        "",
        f"- Trained on: {reader['trained_on']}.",
        f"- Recipe: `{json.dumps(reader['recipe'])}`",
        "",
        "## Scorer and abstention",
        "",
        f"- Recipe: `{json.dumps(scorer['recipe'])}`",
        "- Fitted on the readings of fold readers: the fitted articles of folds",
        f"  {scorer['reader_folds_used']}, each read by a reader trained without it.",
        f"- Abstention threshold (calibrated confidence): {card['policy']['min_confidence']};",
        f"  short answers shown from span score {card['policy']['min_span_score']}.",
        "",
        "Out-of-fold, on the fitted articles (by article):",
        "",
        "| measure | value |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in report.items()),
        "",
        "Feature importance (share of gain):",
        "",
        ", ".join(
            f"{name} {share}" for name, share in list(scorer["report"]["importance"].items())[:12]
        ),
        "",
    ]
    return "\n".join(lines)
