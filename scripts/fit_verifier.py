"""Choose the verifier's thresholds on the verification suite's dev claims only.

    .venv/bin/python scripts/fit_verifier.py

For each pair on the grid it runs every dev claim through the Verifier and keeps the pair
with the best worse side (the lower of faithful kept and unfaithful blocked), the smaller
allowance on ties. Then, with that pair, it chooses how many unexplained words a claim may
carry and still be put to a model for a second opinion: the most faithful claims kept when
the model judges right (it answers with the claim's label), then the most unfaithful ones
blocked when it vouches for anything. It reports the choice on the held-out claims, which
it never used. Put the result in `assistant/answer/entailment.py`'s Thresholds.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from assistant.answer.entailment import Thresholds
from assistant.answer.verify import SecondOpinion
from assistant.config import Settings
from assistant.evaluate.verification import (
    BENCHMARKS,
    ClaimItem,
    PassageSource,
    load_claims,
    verified,
)
from assistant.index.embedding import embed_model_for

SIMILARITIES = (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)
ALLOWANCES = (0, 1, 2)
SECOND_OPINION_WORDS = (0, 1, 2, 3, 99)


def rates(
    items: list[ClaimItem],
    thresholds: Thresholds,
    source: PassageSource,
    judge: Callable[[ClaimItem], SecondOpinion] | None = None,
) -> tuple:
    """(faithful kept, unfaithful blocked) over the items; `judge` gives each claim the
    model that is asked for second opinions about it."""
    embed_model = embed_model_for(Settings())
    passed: dict[bool, list[bool]] = {True: [], False: []}
    for item in items:
        passages = [source.passage(reference) for reference in item.passages]
        opinion = judge(item) if judge else None
        checks = verified(item, passages, embed_model, thresholds, opinion)
        kept = all(check.supported for check in checks)
        passed[item.faithful].append(kept == item.faithful)
    return tuple(round(sum(p) / len(p), 4) for p in (passed[True], passed[False]))


def judging_right(item: ClaimItem) -> SecondOpinion:
    return lambda passage, claim: item.faithful


def vouching_for_anything(item: ClaimItem) -> SecondOpinion:
    return lambda passage, claim: True


def second_opinion_rates(
    items: list[ClaimItem], thresholds: Thresholds, source: PassageSource
) -> tuple[float, float]:
    """Faithful kept when the model judges right; unfaithful blocked when it says yes."""
    kept, _ = rates(items, thresholds, source, judging_right)
    _, blocked = rates(items, thresholds, source, vouching_for_anything)
    return kept, blocked


def main() -> None:
    settings = Settings()
    source = PassageSource(settings.corpus_dir, BENCHMARKS)
    claims = load_claims(Path("evals/verify.jsonl"))
    dev = [c for c in claims if c.split == "dev"]
    held_out = [c for c in claims if c.split == "held-out"]
    best, best_key = None, None
    for similarity, allowance in itertools.product(SIMILARITIES, ALLOWANCES):
        thresholds = replace(Thresholds(), word_similarity=similarity, unexplained_words=allowance)
        kept, blocked = rates(dev, thresholds, source)
        print(f"similarity {similarity} allowance {allowance}: kept {kept} blocked {blocked}")
        key = (min(kept, blocked), kept + blocked, -allowance)
        if best_key is None or key > best_key:
            best, best_key = thresholds, key
    assert best is not None
    best_key = None
    for words in SECOND_OPINION_WORDS:
        thresholds = replace(best, second_opinion_words=words)
        kept, blocked = second_opinion_rates(dev, thresholds, source)
        print(
            f"second opinion up to {words} words: kept {kept} (model right), "
            f"blocked {blocked} (model says yes)"
        )
        if best_key is None or (kept, blocked) > best_key:
            chosen, best_key = thresholds, (kept, blocked)
    print(f"chosen on {len(dev)} dev claims: {chosen}")
    kept, blocked = rates(held_out, chosen, source)
    print(f"held out ({len(held_out)} claims, never used above): kept {kept} blocked {blocked}")
    kept, blocked = second_opinion_rates(held_out, chosen, source)
    print(f"  with a second opinion: kept {kept} (model right), blocked {blocked} (model says yes)")


if __name__ == "__main__":
    main()
