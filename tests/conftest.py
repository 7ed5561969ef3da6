"""Shared fixtures: a real Chroma index in a temp folder, built with the real embedding model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant import Assistant, Settings

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The shipped corpus, ingested once for the whole session; tests must not change it."""
    settings = Settings(corpus_dir=CORPUS, index_dir=tmp_path_factory.mktemp("index"))
    Assistant(settings).ingest()
    return settings


@pytest.fixture(scope="session")
def assistant(built_settings: Settings) -> Assistant:
    return Assistant(built_settings)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of the corpus that a test may edit."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def settings(corpus: Path, tmp_path: Path) -> Settings:
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
