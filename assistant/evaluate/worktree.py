"""Evaluate the code at another git ref, on the same data: a branch against main in one
command (`assistant eval --baseline-from main`)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from assistant.errors import AssistantError
from assistant.evaluate.runner import SuiteResult


def run_at_ref(
    ref: str, suite: str, data: Path, corpus_dir: Path, extra: list[str] | None = None
) -> SuiteResult:
    """Check `ref` out into a temporary worktree and run its own `assistant eval` there,
    on this checkout's data and articles, with a fresh index."""
    repo = _git(Path.cwd(), "rev-parse", "--show-toplevel").strip()
    with tempfile.TemporaryDirectory(prefix="assistant-eval-") as folder:
        tree, results = Path(folder) / "tree", Path(folder) / "results"
        _git(Path(repo), "worktree", "add", "--detach", str(tree), ref)
        try:
            env = os.environ | {
                "ASSISTANT_CORPUS_DIR": str(corpus_dir.resolve()),
                "ASSISTANT_INDEX_DIR": str(Path(folder) / "index"),
            }
            # Run from the worktree so that its package, not this one, is imported.
            command = [sys.executable, "-m", "assistant.cli", "eval", "--suite", suite]
            command += ["--data", str(data.resolve()), "--out", str(results), *(extra or [])]
            done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise AssistantError(
                    f"`assistant eval` at {ref} failed:\n{done.stderr.strip()[-2000:]}"
                )
            return SuiteResult.read(results / f"{suite}.json")
        finally:
            _git(Path(repo), "worktree", "remove", "--force", str(tree))


def _git(where: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=where, capture_output=True, text=True)
    if done.returncode != 0:
        raise AssistantError(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout
