"""The `assistant` command: a thin shell over the Assistant API."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from assistant.answer.types import Answer, Draft
from assistant.config import Settings
from assistant.core import Assistant
from assistant.errors import AssistantError, BadQuestion
from assistant.evaluate import runner

if TYPE_CHECKING:
    from assistant.evaluate.gate import GateReport
    from assistant.evaluate.runner import SuiteResult

app = typer.Typer(
    help="Ask questions about a folder of news articles; every answer cites its passages.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


@app.callback()
def main(
    ctx: typer.Context,
    corpus_dir: Annotated[
        Path | None, typer.Option(help="Folder of articles [env: ASSISTANT_CORPUS_DIR]")
    ] = None,
    index_dir: Annotated[
        Path | None, typer.Option(help="Where the index is kept [env: ASSISTANT_INDEX_DIR]")
    ] = None,
    top_k: Annotated[
        int | None, typer.Option(help="Passages given to the answerer [env: ASSISTANT_TOP_K]")
    ] = None,
    chunk_size: Annotated[
        int | None, typer.Option(help="Chunk size in tokens [env: ASSISTANT_CHUNK_SIZE]")
    ] = None,
    chroma_url: Annotated[
        str | None, typer.Option(help="A `chroma run` server [env: ASSISTANT_CHROMA_URL]")
    ] = None,
    llm: Annotated[
        str | None,
        typer.Option(help="extractive, openai, ollama or llamacpp [env: ASSISTANT_LLM]"),
    ] = None,
    scorer: Annotated[
        str | None,
        typer.Option(help="heuristic or learned: how sentences are picked [env: ASSISTANT_SCORER]"),
    ] = None,
    llm_model: Annotated[
        str | None,
        typer.Option(help="Model name, or GGUF path for llamacpp [env: ASSISTANT_LLM_MODEL]"),
    ] = None,
    llm_base_url: Annotated[
        str | None, typer.Option(help="The model server's URL [env: ASSISTANT_LLM_BASE_URL]")
    ] = None,
    second_opinion: Annotated[
        bool | None,
        typer.Option(
            help="Ask the model about sentences the checks cannot settle "
            "[env: ASSISTANT_LLM_SECOND_OPINION]"
        ),
    ] = None,
) -> None:
    overrides = {
        "corpus_dir": corpus_dir,
        "index_dir": index_dir,
        "top_k": top_k,
        "chunk_size": chunk_size,
        "chroma_url": chroma_url,
        "llm": llm,
        "scorer": scorer,
        "llm_model": llm_model,
        "llm_base_url": llm_base_url,
        "llm_second_opinion": second_opinion,
    }
    ctx.obj = {key: value for key, value in overrides.items() if value is not None}


def _settings(ctx: typer.Context, **more: Any) -> Settings:
    try:
        return Settings(**(ctx.obj or {}), **{k: v for k, v in more.items() if v is not None})
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise _fail(AssistantError(f"Invalid setting: {problems}")) from None


def _fail(error: AssistantError) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(str(error))}")
    return typer.Exit(code=2 if isinstance(error, BadQuestion) else 1)


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Articles or folders to add; default: sync the whole corpus folder"),
    ] = None,
    rebuild: Annotated[bool, typer.Option(help="Throw the index away and build it anew")] = False,
) -> None:
    """Bring the index in line with the articles (only what changed is redone)."""
    assistant = Assistant(_settings(ctx))
    try:
        report = assistant.ingest(paths or None, rebuild=rebuild, show_progress=sys.stderr.isatty())
    except AssistantError as error:
        raise _fail(error) from None
    for skipped in report.skipped:
        err.print(f"[yellow]warning:[/] {escape(str(skipped))}")
    out.print(report.summary())


@app.command()
def ask(
    ctx: typer.Context,
    questions: Annotated[
        list[str] | None,
        typer.Argument(help="Questions to ask; '-' reads one question per line from stdin"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line")] = False,
) -> None:
    """Answer questions from the indexed articles, citing the passages used."""
    if not questions:
        raise _fail(BadQuestion('Please give a question, e.g. assistant ask "Who is ...?"'))
    asked = [line for q in questions for line in (sys.stdin if q == "-" else [q])]
    assistant = Assistant(_settings(ctx))
    failed = None
    for question in asked:
        if questions == ["-"] and not question.strip():
            continue  # blank lines between questions on stdin
        try:
            answer = _answer(assistant, question, live=not as_json and out.is_terminal)
        except BadQuestion as error:
            failed = error
            err.print(f"[bold red]error:[/] {escape(str(error))}")
            continue
        except AssistantError as error:
            raise _fail(error) from None
        if as_json:
            print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        else:
            _print_answer(answer, several=len(asked) > 1)
    if failed is not None:
        raise typer.Exit(code=2)


def _answer(assistant: Assistant, question: str, live: bool) -> Answer:
    """On a terminal a model's answer is shown as it is written (checked sentences, then the
    one being written, dimmed), and replaced by the final answer."""
    if not live:
        return assistant.ask(question)
    from rich.live import Live
    from rich.text import Text

    answer = None
    with Live(console=out, transient=True, refresh_per_second=12) as shown:
        for event in assistant.stream(question):
            if isinstance(event, Draft):
                shown.update(Text(event.text + " ") + Text(event.pending, style="dim italic"))
            else:
                answer = event
    assert answer is not None
    return answer


def _print_answer(answer: Answer, several: bool) -> None:
    if several:
        out.print(f"[bold]Q: {escape(answer.question)}[/]")
    for notice in answer.notices:
        err.print(f"[yellow]note:[/] {escape(notice)}")
    out.print(escape(answer.text))
    for sentence in answer.unsupported:
        err.print(f"[yellow]left out:[/] [strike]{escape(sentence)}[/]")
    shown = answer.related if answer.abstained else answer.citations
    if shown:
        out.print()
        out.print("[bold]Related reading[/]" if answer.abstained else "[bold]Sources[/]")
    for citation in shown:
        out.print(f"[{citation.id}] {escape(citation.title)} ({escape(citation.source)})")
        quotes = citation.quotes or [" ".join(citation.text.split()[:40]) + " …"]
        for quote in quotes:
            out.print(f"    “{escape(quote)}”")
    if several:
        out.print()


@app.command()
def chat(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option(help="Address to serve on [env: ASSISTANT_HOST]")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port to serve on [env: ASSISTANT_PORT]")] = None,
    share: Annotated[bool, typer.Option(help="Ask Gradio for a public share link")] = False,
) -> None:
    """Serve the chat page (building the index first if it is missing or stale)."""
    from assistant.ui.app import serve

    settings = _settings(ctx, host=host, port=port)
    try:
        serve(Assistant(settings), share=share)
    except AssistantError as error:
        raise _fail(error) from None


eval_app = typer.Typer(
    help="Measure answer quality; gate it against the baseline; compare two runs.",
    add_completion=False,
)
app.add_typer(eval_app, name="eval")


@eval_app.callback(invoke_without_command=True)
def evaluate(
    ctx: typer.Context,
    suite: Annotated[
        list[str] | None,
        typer.Option(help="gold or verify (ours), rgb or squad2 (public benchmarks); repeatable"),
    ] = None,
    data: Annotated[
        Path | None, typer.Option(help="The suite's data file or folder (one suite)")
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Where results go")] = Path(
        "evals/results"
    ),
    with_counterfactual: Annotated[
        bool, typer.Option(help="rgb: also index the edited passages that state false answers")
    ] = False,
    questions: Annotated[
        int | None, typer.Option(help="squad2: questions in the sample (default 400)")
    ] = None,
    check: Annotated[
        bool, typer.Option(help="Fail if a metric fell or items broke against the baseline")
    ] = False,
    update_baseline: Annotated[bool, typer.Option(help="Record this run as the baseline")] = False,
    baseline: Annotated[Path, typer.Option(help="Baseline file")] = Path("evals/baseline.json"),
    baseline_from: Annotated[
        str | None,
        typer.Option(help="Gate against the code at this git ref, run now on the same data"),
    ] = None,
    junit: Annotated[Path | None, typer.Option(help="Write JUnit XML, a case per item")] = None,
    summary: Annotated[
        Path | None, typer.Option(help="Write a Markdown summary for CI or a pull request")
    ] = None,
    from_feedback: Annotated[
        bool,
        typer.Option(
            help="Turn the page's thumbs-down answers into gold items to review "
            "(written to OUT/candidates.jsonl); runs no suite"
        ),
    ] = False,
) -> None:
    """Measure answer quality and gate it against the baseline."""
    if ctx.invoked_subcommand is not None:
        return
    if from_feedback:
        _feedback_candidates(_settings(ctx), out_dir / "candidates.jsonl")
        return
    from assistant.evaluate import gate, reports

    suites = suite or ["gold"]
    if data is not None and len(suites) > 1:
        raise _fail(AssistantError("--data names the data of one suite: give one --suite."))
    settings = _settings(ctx)
    gated: list[tuple[runner.SuiteResult, gate.GateReport | None]] = []
    try:
        for name in suites:
            where = data or runner.DEFAULT_DATA.get(name, Path(name))
            result = _run_suite(settings, name, where, with_counterfactual, questions, out_dir)
            report = None
            if baseline_from is not None:
                from assistant.evaluate.worktree import run_at_ref

                extra = ["--questions", str(questions)] if questions else []
                earlier = run_at_ref(baseline_from, name, where, settings.corpus_dir, extra)
                report = gate.compare(result, gate.Baseline.of(earlier))
            elif check:
                report = gate.compare(result, gate.load_baseline(baseline, result.suite))
            elif (junit or summary) and (
                recorded := gate.recorded_baseline(baseline, result.suite)
            ):
                report = gate.compare(result, recorded)
            gated.append((result, report))
            if update_baseline:
                gate.save_baseline(baseline, result)
                out.print(f"baseline for {result.suite} recorded in {baseline}")
    except (AssistantError, ValueError, FileNotFoundError) as error:
        raise _fail(AssistantError(str(error))) from None
    if junit:
        junit.parent.mkdir(parents=True, exist_ok=True)
        junit.write_text(reports.junit_xml(gated), encoding="utf-8")
        out.print(f"JUnit XML: {junit}")
    if summary:
        summary.parent.mkdir(parents=True, exist_ok=True)
        summary.write_text(reports.summary_markdown(gated), encoding="utf-8")
        out.print(f"summary: {summary}")
    if check or baseline_from:
        _verdict([report for _, report in gated if report is not None], baseline_from)


def _feedback_candidates(settings: Settings, target: Path) -> None:
    from assistant.feedback import FeedbackLog, gold_candidates

    ratings = FeedbackLog(settings.feedback_path).latest()
    candidates = gold_candidates(ratings)
    if not candidates:
        out.print(
            f"No thumbs-down answers in {settings.feedback_path} "
            f"({len(ratings)} rating(s) in all): nothing to review."
        )
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in candidates),
        encoding="utf-8",
    )
    out.print(
        f"{len(candidates)} thumbs-down answer(s) of {len(ratings)} rating(s) written to "
        f"{target} as gold items to review: each says what to fill in, then it moves to "
        "evals/gold.jsonl."
    )


def _run_suite(
    settings: Settings,
    suite: str,
    data: Path,
    with_counterfactual: bool,
    questions: int | None,
    out_dir: Path,
) -> SuiteResult:
    from rich.table import Table

    # A model is measured beside the extractive answerer, in the same run on the same index.
    runs = [settings]
    if settings.llm != "extractive":
        runs.append(settings.model_copy(update={"llm": "extractive"}))
    results = [runner.run_suite(each, suite, data, with_counterfactual, questions) for each in runs]
    result = results[0]
    if settings.llm != "extractive":  # a model's run has a baseline of its own
        result.suite = f"{suite}-{settings.llm}"
    json_path, report_path = runner.write_outputs(result, out_dir)
    names = [_answerer_name(each) for each in runs]
    table = Table("metric", *names, title=f"{suite} ({len(result.items)} questions)")
    for metric in dict.fromkeys(key for each in results for key in each.summary):
        table.add_row(metric, *(str(each.summary.get(metric, "")) for each in results))
    out.print(table)
    out.print(f"results: {json_path}  report: {report_path}")
    if len(results) > 1:
        compared = out_dir / f"{suite}-compared.md"
        compared.write_text(runner.comparison_table(results, names))
        out.print(f"side by side: {compared}")
    return result


def _verdict(reports: list[GateReport], ref: str | None) -> None:
    """Say what broke and what got better; exit 1 if the gate fails."""
    from assistant.evaluate.gate import why_failed

    against = f"the code at {ref}" if ref else "the baseline"
    failed = False
    for report in reports:
        for line in report.reasons():
            err.print(f"[bold red]regression ({report.suite}):[/] {escape(line)}")
        for change in report.newly_failing:
            item = change.result
            err.print(
                f"  [red]newly failing[/] {escape(item.id)}: {escape(item.question)}\n"
                f"    {escape(why_failed(item))}\n    answer: {escape(item.answer[:300])}\n"
                f"    cited: {escape(', '.join(item.cited) or 'nothing')}"
            )
        for change in report.newly_passing:
            item = change.result
            out.print(f"  [green]newly passing[/] {escape(item.id)}: {escape(item.question)}")
        if report.failed:
            failed = True
            err.print(
                f"To accept this change on purpose: assistant eval --suite {report.suite} "
                "--update-baseline (it records the numbers and items above)."
            )
    if failed:
        raise typer.Exit(1)
    out.print(f"[green]nothing fell below {against}[/]")


@eval_app.command("compare")
def compare_runs(
    before: Annotated[Path, typer.Argument(help="A results JSON (e.g. evals/results/gold.json)")],
    after: Annotated[Path, typer.Argument(help="Another run of the same suite")],
    out_file: Annotated[Path | None, typer.Option("--out", help="Also write it here")] = None,
) -> None:
    """Two runs side by side: metrics, the items that changed, and both answers."""
    from assistant.evaluate.reports import comparison_markdown
    from assistant.evaluate.runner import SuiteResult

    try:
        first, second = SuiteResult.read(before), SuiteResult.read(after)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise _fail(AssistantError(f"Not a results file: {error}")) from None
    if first.suite != second.suite:
        raise _fail(
            AssistantError(f"{before} is a {first.suite} run, {after} a {second.suite} run.")
        )
    text = comparison_markdown(first, second, (str(before), str(after)))
    out.print(escape(text))
    if out_file:
        out_file.write_text(text, encoding="utf-8")


def _answerer_name(settings: Settings) -> str:
    if settings.llm == "extractive":
        return "extractive"
    return f"{settings.llm}: {Path(settings.llm_model or 'default').name}"


@app.command()
def bench(
    ctx: typer.Context,
    corpus: Annotated[
        list[str] | None,
        typer.Option(help="articles, rgb, synthetic-600, synthetic-6000 (repeatable)"),
    ] = None,
    questions: Annotated[int, typer.Option(help="Warm questions per corpus")] = 50,
    rgb_data: Annotated[Path | None, typer.Option(help="RGB's en_fact.json or its folder")] = None,
    system: Annotated[
        list[str] | None,
        typer.Option(help="ours, plain, plain-our-chunks (repeatable; ours is always measured)"),
    ] = None,
    out_file: Annotated[Path, typer.Option("--out", help="JSON results")] = Path(
        "evals/results/bench.json"
    ),
) -> None:
    """Time ingest, questions, cold start and memory against a plain llama-index pipeline."""
    from assistant.bench import CORPORA, SYSTEMS, markdown_table, run_bench

    unknown = set(system or ()) - set(SYSTEMS)
    if unknown:
        raise typer.BadParameter(
            f"unknown system {', '.join(sorted(unknown))}", param_hint="--system"
        )
    chosen = tuple(s for s in SYSTEMS if s == "ours" or s in (system or SYSTEMS))
    results = run_bench(
        _settings(ctx), list(corpus or CORPORA), questions, rgb_data, log=err.print, systems=chosen
    )
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(json.dumps(results, indent=2))
    out.print(markdown_table(results))
    out.print(f"results: {out_file}")


@app.command()
def train(
    squad: Annotated[Path, typer.Option(help="SQuAD 2.0 dev folder")] = runner.DEFAULT_DATA[
        "squad2"
    ],
    work: Annotated[Path, typer.Option(help="Work folder; a stopped run resumes")] = Path(
        "evals/results/train"
    ),
    out_dir: Annotated[Path, typer.Option("--out", help="Where the models go")] = Path(
        "assistant/answer/model"
    ),
    reader: Annotated[
        Path | None, typer.Option(help="A reader.onnx trained already (e.g. on a GPU machine)")
    ] = None,
    fold_readings: Annotated[
        Path | None,
        typer.Option(help="Folder of readings_fold{k}.json made by fold readers elsewhere"),
    ] = None,
) -> None:
    """Fit the answer models on SQuAD's fitted articles (see assistant/answer/model/CARD.md)."""
    from assistant.train.pipeline import TrainingRun
    from assistant.train.pipeline import train as run_training

    run = TrainingRun(
        squad=squad,
        work=work,
        out=out_dir,
        reader=reader,
        fold_readings=fold_readings,
        log=err.print,
    )
    try:
        card = run_training(run)
    except (AssistantError, FileNotFoundError) as error:
        raise _fail(AssistantError(str(error))) from None
    out.print(f"models and card written: {card}")


if __name__ == "__main__":
    app()
