"""A team's own articles and questions, gated the way docs/ci/ does it: the workflow's own
`assistant` commands, run here in a temporary project (no CI service can be reached)."""

import json
import os
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

ARTICLE = """Harbour town opens tidal power station

The town of Kelmsby opened a tidal power station on its northern breakwater on Friday.
The station has four turbines and cost 31 million euros, the harbour board said.
Engineer Ruth Okafor led the project, which took three years to build.
"""
QUESTIONS = [
    {
        "id": "turbines",
        "question": "How many turbines does the tidal station have?",
        "answerable": True,
        "facts": [["four"]],
        "evidence": ["four turbines"],
    },
    {
        "id": "engineer",
        "question": "Who led the tidal power project?",
        "answerable": True,
        "facts": [["Ruth Okafor"]],
        "evidence": ["Ruth Okafor"],
    },
    {
        "id": "mayor",
        "question": "Who is the mayor of Lisbon?",
        "answerable": False,
        "facts": [],
        "evidence": [],
    },
]


def workflow_commands(name: str) -> list[str]:
    """The `assistant` command lines of a workflow file in docs/ci/."""
    spec = yaml.safe_load((REPO / "docs" / "ci" / name).read_text())
    if "jobs" in spec:
        lines = [step.get("run", "") for job in spec["jobs"].values() for step in job["steps"]]
    else:
        lines = [line for job in spec.values() for line in job["script"]]
    return [c for block in lines for c in block.splitlines() if c.strip().startswith("assistant ")]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "kelmsby-tidal.txt").write_text(ARTICLE)
    (tmp_path / "evals").mkdir()
    lines = [json.dumps({"history": [], "sources": [], "tags": [], **q}) for q in QUESTIONS]
    (tmp_path / "evals" / "gold.jsonl").write_text("\n".join(lines) + "\n")
    return tmp_path


def run(project: Path, command: str) -> subprocess.CompletedProcess:
    env = os.environ | {"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env.pop("ASSISTANT_CORPUS_DIR", None)
    env["ASSISTANT_INDEX_DIR"] = str(project / ".index")
    return subprocess.run(
        shlex.split(command), cwd=project, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.mark.parametrize("workflow", ["github-actions.yml", "gitlab-ci.yml"])
def test_the_ci_workflow_gates_a_teams_own_articles(project: Path, workflow: str) -> None:
    (gate,) = workflow_commands(workflow)
    record = "assistant --corpus-dir articles eval --data evals/gold.jsonl --update-baseline"
    recorded = run(project, record)
    assert recorded.returncode == 0, recorded.stderr
    baseline = json.loads((project / "evals" / "baseline.json").read_text())
    assert set(baseline["gold"]["items"]) == {q["id"] for q in QUESTIONS}

    gated = run(project, gate)
    assert gated.returncode == 0, gated.stdout + gated.stderr
    suites = ET.parse(project / "eval-results" / "junit.xml").getroot()
    assert len(suites.find("testsuite").findall("testcase")) == len(QUESTIONS)
    assert "gold: ✅ holds" in (project / "eval-results" / "summary.md").read_text()

    # The article loses the sentence an answer came from: the same command now fails
    # and names that question.
    article = project / "articles" / "kelmsby-tidal.txt"
    article.write_text(ARTICLE.replace("The station has four turbines and cost", "It cost"))
    broken = run(project, gate)
    assert broken.returncode == 1
    assert "newly failing turbines:" in broken.stderr
    summary = (project / "eval-results" / "summary.md").read_text()
    assert "gold: ❌ regressed" in summary and "`turbines`" in summary
