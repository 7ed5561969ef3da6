"""A gated run in the forms CI systems show: JUnit XML (one test case per item), a short
Markdown summary for a job summary or pull-request comment, and two runs side by side."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from assistant.evaluate.gate import GateReport, ItemChange, why_failed
from assistant.evaluate.metrics import ItemResult
from assistant.evaluate.runner import SuiteResult, table_cell


def junit_xml(runs: Sequence[tuple[SuiteResult, GateReport | None]]) -> str:
    """Items that newly fail are failures; items that failed in the baseline too are
    skipped as known misses, so the CI view turns red only for what this change broke.
    Without a baseline every failing item is a failure."""
    root = ET.Element("testsuites", name="assistant eval")
    for result, report in runs:
        newly = {change.result.id for change in report.newly_failing} if report else set()
        known = report is not None and report.has_items
        suite = ET.SubElement(root, "testsuite", name=result.suite)
        failures = skipped = 0
        for item in result.items:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"eval.{result.suite}",
                name=f"{item.id}: {item.question}",
                time=f"{item.seconds:.3f}",
            )
            if item.correct:
                continue
            if known and item.id not in newly:
                skipped += 1
                ET.SubElement(case, "skipped", message=f"known miss: {why_failed(item)}")
                continue
            failures += 1
            failure = ET.SubElement(
                case, "failure", message=why_failed(item), type="regression" if known else "miss"
            )
            failure.text = f"Answer: {item.answer}\nCited: {', '.join(item.cited) or 'nothing'}"
        if report is not None:
            for metric in report.regressed_metrics:
                name = f"metric {metric.name}"
                case = ET.SubElement(suite, "testcase", classname=f"eval.{result.suite}", name=name)
                failures += 1
                ET.SubElement(case, "failure", message=metric.describe(), type="metric")
        suite.set("tests", str(len(suite)))
        suite.set("failures", str(failures))
        suite.set("skipped", str(skipped))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def summary_markdown(runs: Sequence[tuple[SuiteResult, GateReport | None]]) -> str:
    lines = ["# Answer-quality gate", ""]
    for result, report in runs:
        if report is None:
            lines += [f"## {result.suite}: no baseline", "", *_metrics_table(result, None), ""]
            continue
        verdict = "❌ regressed" if report.failed else "✅ holds"
        lines += [f"## {result.suite}: {verdict}", ""]
        lines += [f"- {reason}" for reason in report.reasons()]
        lines += ["", *_metrics_table(result, report), ""]
        lines += _items(f"Newly failing ({len(report.newly_failing)})", report.newly_failing)
        lines += _items(f"Newly passing ({len(report.newly_passing)})", report.newly_passing)
        if report.failed:
            lines += [
                "If the change is meant, record it: `assistant eval --suite "
                f"{result.suite} --update-baseline`, and commit `evals/baseline.json`.",
                "",
            ]
    return "\n".join(lines)


def comparison_markdown(before: SuiteResult, after: SuiteResult, names: tuple[str, str]) -> str:
    """Two runs of one suite: every metric, then each item whose outcome changed, with
    both answers."""
    a, b = names
    lines = [f"# {before.suite}: {a} → {b}", "", f"| metric | {a} | {b} | change |"]
    lines += ["| --- | --- | --- | --- |"]
    for metric in dict.fromkeys([*before.summary, *after.summary]):
        x, y = before.summary.get(metric), after.summary.get(metric)
        change = _arrow(float(y) - float(x)) if x is not None and y is not None else ""
        lines.append(f"| {metric} | {_value(x)} | {_value(y)} | {change} |")
    earlier = {item.id: item for item in before.items}
    changed = [
        (earlier[item.id], item)
        for item in after.items
        if item.id in earlier and earlier[item.id].correct != item.correct
    ]
    lines += ["", f"## Items that changed ({len(changed)})", ""]
    for old, new in sorted(changed, key=lambda pair: pair[1].correct):
        verdict = "now passes" if new.correct else f"now fails: {why_failed(new)}"
        lines += [
            f"### `{new.id}` {new.question}",
            "",
            f"{verdict}",
            "",
            f"- {a}: {_quote(old.answer)}",
            f"- {b}: {_quote(new.answer)}",
            "",
        ]
    return "\n".join(lines)


def _metrics_table(result: SuiteResult, report: GateReport | None) -> list[str]:
    if report is None:
        return ["| metric | now |", "| --- | --- |"] + [
            f"| {name} | {_value(value)} |" for name, value in result.summary.items()
        ]
    lines = ["| metric | baseline | now | change |", "| --- | --- | --- | --- |"]
    for metric in report.metrics:
        flag = " ❌" if metric.regressed else ""
        lines.append(
            f"| {metric.name} | {metric.before:.3f} | {metric.now:.3f} "
            f"| {_arrow(metric.now - metric.before)}{flag} |"
        )
    return lines


def _items(title: str, changes: Sequence[ItemChange]) -> list[str]:
    if not changes:
        return []
    lines = [f"### {title}", ""]
    for change in changes:
        item: ItemResult = change.result
        status = "passes" if item.correct else why_failed(item)
        lines.append(
            f"- `{item.id}` {table_cell(item.question)}: {status}. Answer: {_quote(item.answer)}; "
            f"cited: {', '.join(item.cited) or 'nothing'}"
        )
    return [*lines, ""]


def _arrow(delta: float) -> str:
    if abs(delta) < 5e-4:
        return "="
    return f"{'▲' if delta > 0 else '▼'} {delta:+.3f}"


def _value(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _quote(text: str, limit: int = 240) -> str:
    text = table_cell(text)
    return f"“{text[:limit]}{'…' if len(text) > limit else ''}”"
