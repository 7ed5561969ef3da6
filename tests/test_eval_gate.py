"""The evaluation gate passes on the shipped settings and fails on a worse one, naming
the questions that broke, in JUnit XML and a Markdown summary as well as on the terminal."""

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

BIN = Path(sys.executable).with_name("assistant")
REPO = Path(__file__).resolve().parents[1]


def run_assistant(tmp_path: Path, *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = os.environ | {
        "ASSISTANT_CORPUS_DIR": str(REPO / "corpus"),
        "ASSISTANT_INDEX_DIR": str(tmp_path / "index"),
    }
    return subprocess.run(
        [str(BIN), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=900
    )


def gated_run(tmp_path: Path, name: str, *options: str) -> subprocess.CompletedProcess:
    out = tmp_path / name
    return run_assistant(
        tmp_path,
        *options,
        "eval",
        "--check",
        "--out",
        str(out),
        "--junit",
        str(out / "junit.xml"),
        "--summary",
        str(out / "summary.md"),
    )


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    tmp = tmp_path_factory.mktemp("shipped")
    return tmp, gated_run(tmp, "results")


@pytest.fixture(scope="module")
def starved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    tmp = tmp_path_factory.mktemp("starved")
    return tmp, gated_run(tmp, "results", "--top-k", "1")


def test_check_passes_with_the_shipped_settings_and_reports_misses(shipped) -> None:
    tmp, result = shipped
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads((tmp / "results" / "gold.json").read_text())["summary"]
    assert summary["questions"] >= 60
    report = (tmp / "results" / "gold.md").read_text()
    assert "## Misses" in report and "| metric | value |" in report
    assert "gold: ✅ holds" in (tmp / "results" / "summary.md").read_text()


def test_check_fails_on_starved_retrieval_and_names_the_questions_that_broke(starved) -> None:
    tmp, result = starved
    assert result.returncode == 1
    assert "regression (gold): answer_accuracy fell" in result.stderr
    baseline = json.loads((REPO / "evals" / "baseline.json").read_text())["gold"]["items"]
    now = json.loads((tmp / "results" / "gold.json").read_text())["items"]
    broke = [i["id"] for i in now if baseline[i["id"]]["passed"] and not i["correct"]]
    assert broke
    for item_id in broke:
        assert f"newly failing {item_id}:" in result.stderr
    assert "--update-baseline" in result.stderr


def test_junit_has_a_case_per_item_and_fails_only_what_regressed(starved) -> None:
    tmp, _ = starved
    suites = ET.parse(tmp / "results" / "junit.xml").getroot()
    (gold,) = suites.findall("testsuite")
    items = json.loads((tmp / "results" / "gold.json").read_text())["items"]
    cases = [c for c in gold.findall("testcase") if not c.get("name", "").startswith("metric ")]
    assert len(cases) == len(items)
    baseline = json.loads((REPO / "evals" / "baseline.json").read_text())["gold"]["items"]
    for case, item in zip(cases, items, strict=True):
        assert case.get("name", "").startswith(item["id"] + ":")
        regressed = baseline[item["id"]]["passed"] and not item["correct"]
        assert (case.find("failure") is not None) == regressed
    assert int(gold.get("failures", "0")) >= 1


def test_summary_lists_the_regressed_items_first(starved) -> None:
    tmp, _ = starved
    summary = (tmp / "results" / "summary.md").read_text()
    assert "## gold: ❌ regressed" in summary
    assert summary.index("### Newly failing") < summary.index("--update-baseline")
    assert "▼" in summary


def test_compare_puts_two_real_runs_side_by_side(shipped, starved, tmp_path: Path) -> None:
    first, second = shipped[0] / "results" / "gold.json", starved[0] / "results" / "gold.json"
    result = run_assistant(tmp_path, "eval", "compare", str(first), str(second))
    assert result.returncode == 0, result.stderr
    assert "| answer_accuracy |" in result.stdout
    assert "now fails" in result.stdout and "## Items that changed" in result.stdout


def test_compare_refuses_runs_of_different_suites(shipped, tmp_path: Path) -> None:
    other = json.loads((shipped[0] / "results" / "gold.json").read_text()) | {"suite": "rgb"}
    (tmp_path / "rgb.json").write_text(json.dumps(other))
    result = run_assistant(
        tmp_path,
        "eval",
        "compare",
        str(shipped[0] / "results" / "gold.json"),
        str(tmp_path / "rgb.json"),
    )
    assert result.returncode == 1 and "gold run" in result.stderr


def test_baseline_from_a_git_ref_runs_that_code_on_the_same_data(tmp_path: Path) -> None:
    """The committed code, checked out into a worktree, is the baseline; a starved setting
    here falls below it."""
    result = run_assistant(
        tmp_path, "--top-k", "1", "eval", "--baseline-from", "HEAD", "--out", str(tmp_path / "r")
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "newly failing" in result.stderr
    worktrees = subprocess.run(
        ["git", "worktree", "list"], cwd=REPO, capture_output=True, text=True
    )
    assert "assistant-eval-" not in worktrees.stdout  # cleaned up
