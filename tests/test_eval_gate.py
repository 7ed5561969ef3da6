"""The evaluation gate passes on the shipped settings and fails on a worse one."""

import json
import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).with_name("assistant")
REPO = Path(__file__).resolve().parents[1]


def run_eval(tmp_path: Path, *options: str) -> subprocess.CompletedProcess:
    env = os.environ | {
        "ASSISTANT_CORPUS_DIR": str(REPO / "corpus"),
        "ASSISTANT_INDEX_DIR": str(tmp_path / "index"),
    }
    return subprocess.run(
        [str(BIN), *options, "eval", "--check", "--out", str(tmp_path / "results")],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=600,
    )


def test_check_passes_with_the_shipped_settings_and_reports_misses(tmp_path: Path):
    result = run_eval(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads((tmp_path / "results" / "gold.json").read_text())["summary"]
    assert summary["questions"] >= 60
    report = (tmp_path / "results" / "gold.md").read_text()
    assert "## Misses" in report and "| metric | value |" in report


def test_check_fails_and_names_the_metric_when_retrieval_is_starved(tmp_path: Path):
    result = run_eval(tmp_path, "--top-k", "1")
    assert result.returncode == 1
    assert "regression: answer_accuracy fell" in result.stderr
