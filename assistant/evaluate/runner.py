"""Run the gold set through an Assistant, write a JSON result and a Markdown report,
and compare against the committed baseline."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.config import Settings
from assistant.core import Assistant
from assistant.evaluate.gold import GoldItem, load_gold
from assistant.evaluate.metrics import ItemResult, score_item, summarize
from assistant.retrieve.followup import Turn

DEFAULT_GOLD = Path("evals/gold.jsonl")

# How far each gated metric may fall below the baseline before --check fails: about one
# question's worth on the gold set, so noise-free metrics don't flap but a real slide shows.
TOLERANCES: dict[str, float] = {
    "answer_accuracy": 0.02,
    "fact_recall": 0.02,
    "retrieval_hit": 0.02,
    "retrieval_mrr": 0.03,
    "citation_precision": 0.01,
    "citation_recall": 0.01,
    "abstention_recall": 0.02,
    "abstention_precision": 0.02,
}


@dataclass
class SuiteResult:
    suite: str
    settings: dict[str, object]
    summary: dict[str, float]
    items: list[ItemResult]

    def to_json(self) -> dict[str, object]:
        return {
            "suite": self.suite,
            "settings": self.settings,
            "summary": self.summary,
            "items": [asdict(item) for item in self.items],
        }


def run_suite(
    settings: Settings, suite: str, data: Path | None = None, with_counterfactual: bool = False
) -> SuiteResult:
    if suite == "gold":
        return run_gold(eval_assistant(settings), data or DEFAULT_GOLD)
    if suite == "rgb":
        from assistant.evaluate.rgb import run_rgb

        return run_rgb(settings, data, with_counterfactual)
    if suite == "squad2":
        from assistant.evaluate.squad import run_squad
        from assistant.train.card import fitted_articles

        card = settings.answer_model_dir / "card.json"
        leave_out = fitted_articles(card) if card.exists() else frozenset()
        return run_squad(
            settings, data or Path("../shared/benchmarks/squad2-dev"), leave_out=leave_out
        )
    raise ValueError(f"unknown suite {suite!r}: choose gold, rgb or squad2")


def eval_assistant(settings: Settings) -> Assistant:
    """An Assistant over the corpus with an index of its own for these chunk settings, so an
    evaluation of other settings never rebuilds the index the chat page is using."""
    own_index = settings.index_dir / "eval" / f"chunk{settings.chunk_size}-{settings.chunk_overlap}"
    assistant = Assistant(settings.model_copy(update={"index_dir": own_index}))
    assistant.ingest()
    return assistant


def run_gold(assistant: Assistant, gold_path: Path) -> SuiteResult:
    results = [_run_item(assistant, item) for item in load_gold(gold_path)]
    settings = assistant.settings
    return SuiteResult(
        suite="gold",
        settings={
            "chunk_size": settings.chunk_size,
            "chunk_overlap": settings.chunk_overlap,
            "top_k": settings.top_k,
            "llm": settings.llm,
        },
        summary=summarize(results),
        items=results,
    )


def _run_item(assistant: Assistant, item: GoldItem) -> ItemResult:
    history: list[Turn] = []
    for earlier in item.history:
        history.append((earlier, assistant.ask(earlier, history=history).text))
    answer = assistant.ask(item.question, history=history)
    return score_item(item, answer, [passage.text for passage in answer.passages])


def regressions(summary: dict[str, float], baseline: dict[str, float]) -> list[str]:
    """One line per gated metric that fell further below the baseline than allowed."""
    found = []
    for metric, tolerance in TOLERANCES.items():
        if metric not in baseline:
            continue
        drop = baseline[metric] - summary.get(metric, 0.0)
        if drop > tolerance:
            found.append(
                f"{metric} fell from {baseline[metric]:.3f} to {summary.get(metric, 0.0):.3f} "
                f"(-{drop:.3f}, tolerance {tolerance:.3f})"
            )
    return found


def write_outputs(result: SuiteResult, out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / f"{result.suite}.json"
    json_path.write_text(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    report_path = out_dir / f"{result.suite}.md"
    report_path.write_text(markdown_report(result))
    return json_path, report_path


def markdown_report(result: SuiteResult) -> str:
    lines = [f"# Evaluation: {result.suite}", "", f"Settings: `{result.settings}`", ""]
    lines += ["| metric | value |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in result.summary.items()]
    misses = [item for item in result.items if not item.correct]
    lines += ["", f"## Misses ({len(misses)} of {len(result.items)})", ""]
    if misses:
        lines += [
            "| id | question | expected | answer | missing | top passage |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
    for item in misses:
        expected = "an answer" if item.answerable else "abstain"
        top = item.retrieved[0][:120] if item.retrieved else ""
        lines.append(
            f"| {item.id} | {_cell(item.question)} | {expected} | {_cell(item.answer[:300])} "
            f"| {_cell(', '.join(item.missing_facts))} | {_cell(top)} |"
        )
    return "\n".join(lines) + "\n"


def comparison_table(results: list[SuiteResult], names: list[str]) -> str:
    """Several answerers' summaries as one Markdown table, a column each."""
    metrics = dict.fromkeys(key for result in results for key in result.summary)
    lines = [f"| metric | {' | '.join(names)} |", "| --- |" + " --- |" * len(names)]
    lines += [
        f"| {metric} | " + " | ".join(str(r.summary.get(metric, "")) for r in results) + " |"
        for metric in metrics
    ]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def load_baseline(path: Path, suite: str) -> dict[str, float]:
    if not path.exists():
        raise FileNotFoundError(f"No baseline at {path}: record one with --update-baseline.")
    return json.loads(path.read_text()).get(suite, {})


def save_baseline(path: Path, result: SuiteResult) -> None:
    baselines = json.loads(path.read_text()) if path.exists() else {}
    baselines[result.suite] = {
        metric: value for metric, value in result.summary.items() if metric in TOLERANCES
    }
    path.write_text(json.dumps(baselines, indent=2) + "\n")
