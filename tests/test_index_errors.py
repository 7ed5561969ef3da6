"""A missing or damaged index gets one sentence saying what to do, never a wrong answer."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant.errors import IndexDamaged, IndexMissing
from assistant.index.store import IndexStore


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


def test_a_truncated_chroma_database_is_reported_as_damage(built: Settings):
    database = built.chroma_path / "chroma.sqlite3"
    database.write_bytes(database.read_bytes()[:4096])
    with pytest.raises(IndexDamaged, match="assistant ingest --rebuild"):
        Assistant(built).ask("Who is NATO's Secretary-General?")
    Assistant(built).ingest(rebuild=True)  # the one-command repair
    assert "Rutte" in Assistant(built).ask("Who is NATO's Secretary-General?").text


def test_an_index_built_with_another_embedding_model_is_not_answered_from(built: Settings):
    manifest = json.loads(built.manifest_path.read_text())
    manifest["embed_model"] = "BAAI/bge-small-en-v1.5"
    built.manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexDamaged, match="bge-small"):
        Assistant(built).ask("Who is NATO's Secretary-General?")


def test_vectors_of_the_quantized_model_never_join_an_index_of_the_exact_one(built: Settings):
    quantized = built.model_copy(update={"embedding_precision": "int8"})
    with pytest.raises(IndexDamaged, match=r"holds vectors of .*MiniLM-L6-v2, .*\(int8\)"):
        Assistant(quantized).ask("Who is NATO's Secretary-General?")
    Assistant(quantized).ingest()  # rebuilt whole, not topped up
    assert Assistant(quantized).store.check_ready().embed_model.endswith("(int8)")
    with pytest.raises(IndexDamaged, match="ASSISTANT_EMBEDDING_PRECISION"):
        Assistant(built).ask("Who is NATO's Secretary-General?")


def test_an_index_cut_with_another_chunk_size_says_how_to_rebuild(built: Settings):
    other = built.model_copy(update={"chunk_size": 256})
    with pytest.raises(IndexDamaged, match=r"chunks of 160 tokens.*ask for 256"):
        Assistant(other).ask("Who is NATO's Secretary-General?")
    Assistant(other).ingest()
    assert Assistant(other).store.check_ready().chunk_size == 256


def test_another_programs_chroma_collection_is_never_overwritten_silently(settings: Settings):
    another_program = (
        "import chromadb, sys\n"
        "client = chromadb.PersistentClient(path=sys.argv[1])\n"
        "client.create_collection(sys.argv[2]).add(\n"
        "    ids=['theirs'], embeddings=[[0.1] * 8], documents=['somebody else data'])\n"
    )
    subprocess.run(
        [sys.executable, "-c", another_program, str(settings.chroma_path), settings.collection],
        check=True,
    )
    with pytest.raises(IndexMissing, match="run `assistant ingest`"):
        Assistant(settings).ask("Who is NATO's Secretary-General?")
    with pytest.raises(IndexDamaged, match="was not built by this assistant"):
        Assistant(settings).ingest()
    assert IndexStore(settings).collection.count() == 1  # theirs, untouched
    Assistant(settings).ingest(rebuild=True)
    assert "Rutte" in Assistant(settings).ask("Who is NATO's Secretary-General?").text


def test_page_messages_name_no_server_paths(tmp_path: Path):
    settings = Settings(corpus_dir=tmp_path, index_dir=tmp_path / "secret-place")
    with pytest.raises(IndexMissing) as raised:
        Assistant(settings).ask("Who is NATO's Secretary-General?")
    assert "secret-place" in str(raised.value) and "secret-place" not in raised.value.public
