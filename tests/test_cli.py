"""The `assistant` command, run as a user runs it: a real process, real index, no traceback."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import Settings

BIN = Path(sys.executable).with_name("assistant")


def run(settings: Settings, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = os.environ | {
        "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir),
        "ASSISTANT_INDEX_DIR": str(settings.index_dir),
    }
    return subprocess.run(
        [str(BIN), *args], input=stdin, capture_output=True, text=True, env=env, timeout=300
    )


def test_ask_prints_the_answer_and_its_sources(built_settings: Settings):
    result = run(built_settings, "ask", "Which cities were proposed for the summit?")
    assert result.returncode == 0, result.stderr
    answer, _, sources = result.stdout.partition("Sources")
    assert "Budapest" in answer and "Geneva" in answer and "[1]" in answer
    assert "[1] Ukraine Security Guarantees" in sources
    assert "us-nato-security-guarantees-summit-cities.txt" in sources


def test_ask_json_reads_questions_from_stdin_one_object_per_line(built_settings: Settings):
    questions = "Who is NATO's Secretary-General?\n\nWhat is the population of Budapest?\n"
    result = run(built_settings, "ask", "--json", "-", stdin=questions)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == [
        "Who is NATO's Secretary-General?",
        "What is the population of Budapest?",
    ]
    first, second = lines
    assert "Rutte" in first["answer"] and not first["abstained"]
    assert {"id", "source", "title", "text"} <= set(first["citations"][0])
    assert second["abstained"] and second["citations"] == []


def test_an_empty_question_exits_2_with_a_message(built_settings: Settings):
    result = run(built_settings, "ask", "   ")
    assert result.returncode == 2
    assert "empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_asking_before_ingesting_says_what_to_do(tmp_path: Path):
    settings = Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index")
    result = run(settings, "ask", "Who is NATO's Secretary-General?")
    assert result.returncode == 1
    assert "run `assistant ingest`" in result.stderr
    assert "Traceback" not in result.stderr


def test_ingest_prints_a_summary_and_names_skipped_files(settings: Settings):
    (settings.corpus_dir / "photo.txt").write_bytes(b"\x00\xff\x00binary")
    result = run(settings, "ingest")
    assert result.returncode == 0, result.stderr
    assert "4 articles" in result.stdout and "4 added" in result.stdout
    assert "photo.txt" in result.stderr and "binary" in result.stderr
    again = run(settings, "ingest")
    assert "4 unchanged" in again.stdout


def test_an_empty_corpus_gets_one_clear_sentence(tmp_path: Path):
    (tmp_path / "corpus").mkdir()
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    result = run(settings, "ingest")
    assert result.returncode == 1
    assert "No articles found" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_truncated_database_is_reported_and_rebuild_repairs_it(settings: Settings):
    assert run(settings, "ingest").returncode == 0
    database = settings.chroma_path / "chroma.sqlite3"
    database.write_bytes(database.read_bytes()[:4096])
    result = run(settings, "ask", "Who is NATO's Secretary-General?")
    assert result.returncode == 1, result.stdout
    assert "damaged" in result.stderr and "assistant ingest --rebuild" in result.stderr
    assert "Traceback" not in result.stderr
    assert run(settings, "ingest", "--rebuild").returncode == 0
    repaired = run(settings, "ask", "Who is NATO's Secretary-General?")
    assert "Rutte" in repaired.stdout


@pytest.mark.parametrize("flag", ["--help"])
def test_help_lists_the_subcommands(flag: str, built_settings: Settings):
    result = run(built_settings, flag)
    for command in ("ingest", "ask", "chat", "eval"):
        assert command in result.stdout


def test_bench_names_an_unknown_system_before_measuring_anything(settings: Settings):
    result = run(settings, "bench", "--corpus", "articles", "--system", "llamaindex")
    assert result.returncode == 2
    assert "unknown system llamaindex" in result.stderr
    assert not (settings.index_dir / "bench").exists()


def test_a_bench_of_ours_alone_prints_a_table_without_peer_columns():
    from assistant.bench import markdown_table

    table = markdown_table({"synthetic-6000": {"ours": {"chunks": 36056, "ingest_s": 327.2}}})
    assert "| figure | ours |\n| --- | --- |\n| chunks | 36056 |" in table


def test_a_bench_says_what_share_of_ingest_is_not_embedding():
    from assistant.bench import markdown_table

    stages = {"embed": 80.0, "write": 12.0, "clean": 4.0}
    table = markdown_table({"c": {"ours": {"ingest_s": 100.0, "ingest_stages_s": stages}}})
    assert "| write | 12.00 | 12% |" in table
    assert "| all but embed | 20.00 | 20.0% |" in table  # other work counts too
