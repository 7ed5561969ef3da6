"""Run the gold set through an Assistant, write a JSON result and a Markdown report,
and compare against the committed baseline."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant.answer.support import Support
from assistant.config import Settings
from assistant.core import Assistant
from assistant.evaluate.gold import GoldItem, load_gold
from assistant.evaluate.metrics import ItemResult, score_item, summarize
from assistant.index.embedding import embed_model_for
from assistant.retrieve.followup import Turn

# Where each suite's data is, from the repository root; `--data` names another place.
DEFAULT_DATA = {
    "gold": Path("evals/gold.jsonl"),
    "rgb": Path("../shared/benchmarks/rgb"),
    "squad2": Path("../shared/benchmarks/squad2-dev"),
    "verify": Path("evals/verify.jsonl"),
}


@dataclass
class SuiteResult:
    suite: str
    settings: dict[str, object]
    summary: dict[str, float]
    items: list[ItemResult]

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> SuiteResult:
        """A run written by write_outputs, read back (for `assistant eval compare`)."""
        items = [ItemResult(**item) for item in raw["items"]]
        return cls(raw["suite"], raw["settings"], raw["summary"], items)

    @classmethod
    def read(cls, path: Path) -> SuiteResult:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

    def to_json(self) -> dict[str, object]:
        return {
            "suite": self.suite,
            "settings": self.settings,
            "summary": self.summary,
            "items": [asdict(item) for item in self.items],
        }


def run_suite(
    settings: Settings,
    suite: str,
    data: Path,
    with_counterfactual: bool = False,
    questions: int | None = None,
) -> SuiteResult:
    """`data`: the suite's file or folder (see DEFAULT_DATA); `questions`: SQuAD's sample."""
    if suite == "gold":
        return run_gold(eval_assistant(settings), data)
    if suite == "rgb":
        from assistant.evaluate.rgb import run_rgb

        return run_rgb(settings, data, with_counterfactual)
    if suite == "squad2":
        from assistant.evaluate.squad import DEFAULT_SAMPLE, run_squad

        return run_squad(settings, data, size=questions or DEFAULT_SAMPLE)
    if suite == "verify":
        from assistant.evaluate.verification import run_verification

        return run_verification(settings, data)
    raise ValueError(f"unknown suite {suite!r}: choose one of {', '.join(DEFAULT_DATA)}")


def eval_assistant(settings: Settings) -> Assistant:
    """An Assistant over the corpus with an index of its own for these chunk settings, so an
    evaluation of other settings never rebuilds the index the chat page is using."""
    own_index = settings.index_dir / "eval" / f"chunk{settings.chunk_size}-{settings.chunk_overlap}"
    assistant = Assistant(settings.model_copy(update={"index_dir": own_index}))
    assistant.ingest()
    return assistant


def run_gold(assistant: Assistant, gold_path: Path) -> SuiteResult:
    settings = assistant.settings
    support = Support(embed_model_for(settings))
    results = [_run_item(assistant, item, support) for item in load_gold(gold_path)]
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


def _run_item(assistant: Assistant, item: GoldItem, support: Support) -> ItemResult:
    history: list[Turn] = []
    for earlier in item.history:
        history.append((earlier, assistant.ask(earlier, history=history).text))
    answer = assistant.ask(item.question, history=history)
    return score_item(item, answer, [passage.text for passage in answer.passages], support)


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
            f"| {item.id} | {table_cell(item.question)} | {expected} "
            f"| {table_cell(item.answer[:300])} | {table_cell(', '.join(item.missing_facts))} "
            f"| {table_cell(top)} |"
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


def table_cell(text: str) -> str:
    """Text for one cell of a Markdown table: one line, pipes escaped."""
    return " ".join(text.replace("|", "\\|").split())
