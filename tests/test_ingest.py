"""Ingest is incremental: unchanged articles cost nothing and no chunk is ever duplicated."""

import json
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
from llama_index.retrievers.bm25 import BM25Retriever

from assistant import Assistant, Settings
from assistant.errors import EmptyCorpus
from assistant.index.store import KEYWORDS_FORMAT, IndexStore
from assistant.ingest.pipeline import StageClock

SUMMIT = "us-nato-security-guarantees-summit-cities.txt"


def chunk_ids(settings: Settings) -> list[str]:
    return IndexStore(settings).collection.get(include=[])["ids"]


def chunks_by_article(settings: Settings) -> Counter:
    metadatas = IndexStore(settings).collection.get(include=["metadatas"])["metadatas"]
    return Counter(m["source"] for m in metadatas)


def test_first_ingest_indexes_every_article(settings: Settings):
    report = Assistant(settings).ingest()
    assert report.articles == 4
    assert sorted(report.added) == sorted(p.name for p in settings.corpus_dir.iterdir())
    ids = chunk_ids(settings)
    assert len(ids) == report.chunks == len(set(ids))
    assert set(chunks_by_article(settings)) == set(report.added)


def test_chunks_record_their_article_title_and_offsets(settings: Settings):
    Assistant(settings).ingest()
    node = next(n for n in IndexStore(settings).nodes() if n.metadata["source"] == SUMMIT)
    assert node.metadata["title"].startswith("Ukraine Security Guarantees")
    assert node.start_char_idx is not None and node.end_char_idx > node.start_char_idx


def test_the_keyword_index_is_the_same_built_at_once_or_article_by_article(
    settings: Settings, tmp_path: Path
):
    # Into an empty index the keyword index is built from the chunks just written; later
    # it is rebuilt from what Chroma holds. Both must index the same chunks the same way.
    at_once = settings.model_copy(update={"index_dir": tmp_path / "at-once"})
    Assistant(at_once).ingest()
    in_steps = settings.model_copy(update={"index_dir": tmp_path / "in-steps"})
    first, *rest = sorted(settings.corpus_dir.iterdir())
    Assistant(in_steps).ingest([first])
    Assistant(in_steps).ingest(rest)
    built, rebuilt = IndexStore(at_once).load_bm25(), IndexStore(in_steps).load_bm25()
    assert len(built.corpus) == len(chunk_ids(at_once)) > 0
    assert built.corpus == rebuilt.corpus
    assert built.bm25.vocab_dict == rebuilt.bm25.vocab_dict


def add_marathon_article(settings: Settings) -> None:
    (settings.corpus_dir / "marathon.txt").write_text(
        "Marathon result\n\nA runner from Kenya won the city marathon on Sunday.\n"
    )


def test_the_keyword_index_finds_an_irregular_past_by_its_verb(settings: Settings):
    add_marathon_article(settings)
    Assistant(settings).ingest()
    retriever = IndexStore(settings).load_bm25()
    assert "won" not in retriever.bm25.vocab_dict
    [found, *_] = retriever.retrieve("who wins the marathon")
    assert found.node.metadata["source"] == "marathon.txt"


def test_a_keyword_index_of_an_older_format_is_rebuilt_without_embedding_again(
    settings: Settings,
):
    add_marathon_article(settings)
    assistant = Assistant(settings)
    assistant.ingest()
    store = IndexStore(settings)
    manifest = json.loads(settings.manifest_path.read_text())
    manifest["keywords"] = 1  # as an index built before the format was recorded
    settings.manifest_path.write_text(json.dumps(manifest))
    shutil.rmtree(settings.bm25_path)
    store.save_bm25(BM25Retriever.from_defaults(nodes=store.nodes(), language="en"))
    assert "won" in store.load_bm25().bm25.vocab_dict

    report = assistant.ingest()

    assert not report.changed and "embed" not in report.stages
    assert "won" not in store.load_bm25().bm25.vocab_dict
    assert store.read_manifest().keywords == KEYWORDS_FORMAT


def test_reingesting_unchanged_corpus_does_no_work_and_adds_nothing(settings: Settings):
    assistant = Assistant(settings)
    first = assistant.ingest()
    again = assistant.ingest()
    assert (again.added, again.updated, again.removed) == ([], [], [])
    assert len(again.unchanged) == 4
    ids = chunk_ids(settings)
    assert len(ids) == len(set(ids)) == first.chunks == again.chunks


def test_editing_one_article_replaces_only_its_chunks(settings: Settings):
    assistant = Assistant(settings)
    assistant.ingest()
    before = chunks_by_article(settings)
    path = settings.corpus_dir / SUMMIT
    path.write_text(path.read_text() + "\n\nOfficials later named Vienna as a third option.\n")
    report = assistant.ingest()
    assert report.updated == [SUMMIT]
    assert len(report.unchanged) == 3
    after = chunks_by_article(settings)
    assert {k: v for k, v in after.items() if k != SUMMIT} == {
        k: v for k, v in before.items() if k != SUMMIT
    }
    ids = chunk_ids(settings)
    assert len(ids) == len(set(ids))
    answer = assistant.ask("Which city did officials later name as a third option?")
    assert "Vienna" in answer.text


def test_deleting_an_article_removes_its_chunks(settings: Settings):
    assistant = Assistant(settings)
    assistant.ingest()
    (settings.corpus_dir / SUMMIT).unlink()
    report = assistant.ingest()
    assert report.removed == [SUMMIT]
    assert SUMMIT not in chunks_by_article(settings)
    assert report.articles == 3


def test_ingesting_named_paths_adds_without_removing_others(settings: Settings, tmp_path: Path):
    assistant = Assistant(settings)
    assistant.ingest()
    extra = tmp_path / "extra.md"
    extra.write_text("# Grain deal\n\nThe grain corridor reopened through Odesa on Tuesday.\n")
    report = assistant.ingest([extra])
    assert report.added == [extra.resolve().as_posix()]
    assert report.removed == []
    assert report.articles == 5


def test_bad_files_are_skipped_by_name_and_the_rest_is_ingested(settings: Settings):
    (settings.corpus_dir / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    (settings.corpus_dir / "latin1.txt").write_bytes("Caf\xe9".encode("latin-1"))
    (settings.corpus_dir / "empty.md").write_text("   \n")
    report = Assistant(settings).ingest()
    assert report.articles == 4
    assert sorted(s.path.name for s in report.skipped) == ["binary.txt", "empty.md", "latin1.txt"]


def test_an_empty_corpus_says_what_to_do(tmp_path: Path):
    (tmp_path / "corpus").mkdir()
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    with pytest.raises(EmptyCorpus, match=r"add \.txt, \.md or \.html"):
        Assistant(settings).ingest()


def test_changed_chunk_settings_rebuild_instead_of_mixing(settings: Settings):
    Assistant(settings).ingest()
    smaller = settings.model_copy(update={"chunk_size": 64, "chunk_overlap": 8})
    report = Assistant(smaller).ingest()
    assert len(report.added) == 4
    manifest = IndexStore(smaller).check_ready()
    assert manifest.chunk_size == 64
    assert len(chunk_ids(smaller)) == manifest.chunks


def test_touching_an_article_without_changing_it_reembeds_nothing(settings: Settings):
    assistant = Assistant(settings)
    assistant.ingest()
    path = settings.corpus_dir / SUMMIT
    path.write_text(path.read_text())  # new modification time, same words
    report = assistant.ingest()
    assert report.updated == [] and report.added == []
    assert SUMMIT in report.unchanged


def test_an_ingest_reports_where_its_time_went_stage_by_stage(settings: Settings):
    assistant = Assistant(settings)
    first = assistant.ingest()
    stages = first.stages
    assert {"read", "clean", "load models", "split", "sentences", "embed", "write", "bm25"} <= set(
        stages
    )
    assert all(seconds >= 0 for seconds in stages.values())
    # Each stage is charged only for itself: together they never exceed the whole.
    assert sum(stages.values()) <= first.seconds
    again = assistant.ingest()  # nothing changed: nothing is embedded or written
    assert "embed" not in again.stages and "write" not in again.stages


def test_a_stage_timed_inside_another_is_not_counted_twice():
    seconds: dict[str, float] = {}
    clock = StageClock(seconds)
    started = time.perf_counter()
    with clock.timing("outer"):
        with clock.timing("inner"):
            time.sleep(0.2)
        with clock.timing("inner"):
            time.sleep(0.2)
    whole = time.perf_counter() - started
    assert seconds["inner"] >= 0.4
    assert seconds["outer"] < 0.1  # the outer stage itself did next to nothing
    assert seconds["outer"] + seconds["inner"] <= whole
