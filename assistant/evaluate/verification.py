"""The verification suite: claims a model might write, each checked against its passages.

Every line of `evals/verify.jsonl` is one claim, of one kind (a faithful synonym, a
reordered clause, a swapped name, a flipped polarity, ...), with the passages it is
checked against, given by reference: a paragraph of an article in `corpus/` (the line that
holds an anchor), a positive passage of an RGB question, or a paragraph of a SQuAD 2.0
article. The public benchmarks are read from where they lie, never copied. A faithful
claim passes when verification keeps every sentence of it; an unfaithful one passes when
verification removes at least one. `split` says whether the claim was looked at while the
verifier was tuned ("dev") or never ("held-out").
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from assistant.answer.claims import parse_claims
from assistant.answer.entailment import Thresholds
from assistant.answer.llm import build_llm
from assistant.answer.second_opinion import ModelOpinion
from assistant.answer.verify import Check, SecondOpinion, Verifier
from assistant.config import Settings
from assistant.evaluate.metrics import ItemResult
from assistant.evaluate.runner import DEFAULT_DATA, SuiteResult
from assistant.index.embedding import MiniLMEmbedding, embed_model_for
from assistant.language.sentences import sentence_spans
from assistant.retrieve.hybrid import Passage

BENCHMARKS = DEFAULT_DATA["rgb"].parent  # where the public benchmarks lie


@dataclass(frozen=True)
class ClaimItem:
    id: str
    faithful: bool
    claim: str
    passages: list[dict[str, Any]]
    kind: str = "unspecified"
    split: str = "held-out"  # a claim file of someone else's was never tuned on


def load_claims(path: Path) -> list[ClaimItem]:
    if not path.exists():
        raise FileNotFoundError(f"No verification suite at {path}: pass --data PATH.")
    lines = path.read_text(encoding="utf-8").splitlines()
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            items.append(ClaimItem(**json.loads(line)))
        except (ValueError, TypeError) as error:
            raise ValueError(
                f"{path}, line {number}: not a claim ({error}); a claim is a JSON object with "
                '"id", "faithful", "claim" and "passages" (and optionally "kind", "split")'
            ) from None
    return items


class PassageSource:
    """Resolves a claim's passage references to text."""

    def __init__(self, corpus: Path, benchmarks: Path) -> None:
        self.corpus = corpus
        self.benchmarks = benchmarks

    def text(self, reference: dict[str, Any]) -> str:
        if "text" in reference:  # the passage itself
            return str(reference["text"])
        if "corpus" in reference:
            lines = (self.corpus / reference["corpus"]).read_text(encoding="utf-8").splitlines()
            return next(line.strip() for line in lines if reference["anchor"] in line)
        if "rgb" in reference:
            return _rgb(self.benchmarks / "rgb")[reference["rgb"]][reference["positive"]]
        paragraphs = _squad(self.benchmarks / "squad2-dev")[reference["squad"]]
        return paragraphs[reference["paragraph"]]

    def available(self, reference: dict[str, Any]) -> bool:
        """The public benchmarks may be missing (a clone without ../shared): their claims
        are then left out, and the summary says how many."""
        if "text" in reference:
            return True
        if "corpus" in reference:
            return (self.corpus / reference["corpus"]).exists()
        return (self.benchmarks / ("rgb" if "rgb" in reference else "squad2-dev")).is_dir()

    def passage(self, reference: dict[str, Any]) -> Passage:
        text = self.text(reference)
        source = str(
            reference.get("title")
            or reference.get("corpus")
            or reference.get("rgb")
            or reference.get("squad")
        )
        return Passage(
            node_id=json.dumps(reference, sort_keys=True),
            text=text,
            source=source,
            title=source.replace("_", " "),  # a SQuAD article's title as a page shows it
            start_char=None,
            end_char=None,
            score=1.0,
            sentences=tuple(sentence_spans(text)),
        )


@cache
def _rgb(folder: Path) -> dict[int, list[str]]:
    from assistant.evaluate.rgb import load_rgb

    return {item.id: item.positive for item in load_rgb(folder)}


@cache
def _squad(folder: Path) -> dict[str, tuple[str, ...]]:
    from assistant.evaluate.squad import load_squad

    return {article.title: article.paragraphs for article in load_squad(folder)}


def verified(
    item: ClaimItem,
    passages: list[Passage],
    embed_model: MiniLMEmbedding,
    thresholds: Thresholds | None = None,
    second_opinion: SecondOpinion | None = None,
) -> list[Check]:
    """What verification makes of each sentence of the claim."""
    verifier = Verifier(embed_model, passages, thresholds, second_opinion)
    return [verifier.check(claim) for claim in parse_claims(item.claim)]


def run_verification(settings: Settings, data: Path) -> SuiteResult:
    """Every claim through the Verifier the generative answerer uses; with the configured
    model's second opinion when one is asked for (second_opinion.py)."""
    source = PassageSource(settings.corpus_dir, BENCHMARKS)
    embed_model = embed_model_for(settings)
    asking = settings.llm != "extractive" and settings.llm_second_opinion
    llm = build_llm(settings) if asking else None
    results = []
    vouched = 0
    claims = load_claims(data)
    for item in claims:
        if not all(source.available(reference) for reference in item.passages):
            continue
        started = time.perf_counter()
        passages = [source.passage(reference) for reference in item.passages]
        opinion = ModelOpinion(llm, time.monotonic() + settings.llm_timeout) if llm else None
        checks = verified(item, passages, embed_model, second_opinion=opinion)
        removed = [check.claim.text for check in checks if not check.supported]
        vouched += any(check.second_opinion for check in checks)
        kept = not removed
        outcome = "kept" if kept else "removed"
        results.append(
            ItemResult(
                id=item.id,
                question=item.claim,
                answerable=item.faithful,
                abstained=not kept,
                answer=outcome if kept else f"removed: {' '.join(removed)}",
                retrieved=[p.text for p in passages],
                seconds=time.perf_counter() - started,
                tags=[item.kind, item.split],
                correct=kept == item.faithful,
                missing_facts=[] if kept == item.faithful else [f"{item.kind} claim {outcome}"],
            )
        )
    return SuiteResult(
        suite="verify",
        settings={
            "claims": len(results),
            "left_out_without_benchmarks": len(claims) - len(results),
            "second_opinion": f"{settings.llm}:{settings.llm_model}" if llm else "none",
            "kept_on_second_opinion": vouched,
        },
        summary=summarize_verification(results),
        items=results,
    )


def summarize_verification(results: list[ItemResult]) -> dict[str, float]:
    """Faithful kept and unfaithful blocked overall, on each split, and for each kind."""
    summary: dict[str, float] = {"claims": len(results)}
    groups: dict[str, list[ItemResult]] = defaultdict(list)
    for item in results:
        kind, split = item.tags
        side = "faithful_kept" if item.answerable else "unfaithful_blocked"
        groups[side].append(item)
        groups[f"{side}:{split}"].append(item)
        groups[f"{side}:{kind}"].append(item)
    for name in sorted(groups, key=lambda n: (":" in n, n)):
        passed = groups[name]
        summary[name] = round(sum(i.correct for i in passed) / len(passed), 4)
    return summary
