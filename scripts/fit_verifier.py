"""Choose the verifier's two thresholds on the verification suite's dev claims only.

    .venv/bin/python scripts/fit_verifier.py

For each pair on the grid it runs every dev claim through the Verifier and keeps the pair
with the best worse side (the lower of faithful kept and unfaithful blocked), the smaller
allowance on ties. Then it reports that pair on the held-out claims, which it never used.
Put the result in `assistant/answer/entailment.py`'s Thresholds.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

from assistant.answer.entailment import Thresholds
from assistant.config import Settings
from assistant.evaluate.verification import (
    BENCHMARKS,
    ClaimItem,
    PassageSource,
    load_claims,
    removed_sentences,
)
from assistant.index.embedding import embed_model_for

SIMILARITIES = (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)
ALLOWANCES = (0, 1, 2)


def rates(items: list[ClaimItem], thresholds: Thresholds, source: PassageSource) -> tuple:
    """(faithful kept, unfaithful blocked) over the items."""
    embed_model = embed_model_for(Settings())
    passed: dict[bool, list[bool]] = {True: [], False: []}
    for item in items:
        passages = [source.passage(reference) for reference in item.passages]
        kept = not removed_sentences(item, passages, embed_model, thresholds)
        passed[item.faithful].append(kept == item.faithful)
    return tuple(round(sum(p) / len(p), 4) for p in (passed[True], passed[False]))


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
    print(f"chosen on {len(dev)} dev claims: {best}")
    kept, blocked = rates(held_out, best, source)
    print(f"held out ({len(held_out)} claims, never used above): kept {kept} blocked {blocked}")


if __name__ == "__main__":
    main()
