"""A missing or damaged index gets one sentence saying what to do, never a wrong answer."""

import json
import shutil
from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant.errors import IndexDamaged, IndexMissing


@pytest.fixture
def built(settings: Settings) -> Settings:
    Assistant(settings).ingest()
    return settings


def test_missing_index_says_run_ingest(tmp_path: Path):
    settings = Settings(corpus_dir=tmp_path, index_dir=tmp_path / "nothing-here")
    with pytest.raises(IndexMissing, match="run `assistant ingest`"):
        Assistant(settings).ask("Who is NATO's Secretary-General?")


def test_unreadable_manifest_is_reported_as_damage(built: Settings):
    built.manifest_path.write_text("{not json")
    with pytest.raises(IndexDamaged, match="assistant ingest --rebuild"):
        Assistant(built).ask("Who is NATO's Secretary-General?")


def test_missing_keyword_index_is_reported_as_damage(built: Settings):
    shutil.rmtree(built.bm25_path)
    with pytest.raises(IndexDamaged, match="keyword index"):
        Assistant(built).ask("Who is NATO's Secretary-General?")


def test_manifest_disagreeing_with_chroma_is_reported_as_damage(built: Settings):
    manifest = json.loads(built.manifest_path.read_text())
    manifest["chunks"] += 5
    built.manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexDamaged, match="chunks"):
        Assistant(built).ask("Who is NATO's Secretary-General?")
