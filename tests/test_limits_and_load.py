"""The page under load and over days, its limits, and what it must never expose."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

from assistant import Assistant, Settings
from assistant.ingest.uploads import save_upload
from assistant.ui.app import serve
from tests.helpers import free_port
from tests.load import run_load, run_soak

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
QUESTION = "Who is NATO's Secretary-General?"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    root = tmp_path_factory.mktemp("limits")
    shutil.copytree(CORPUS, root / "corpus")
    settings = Settings(
        corpus_dir=root / "corpus",
        index_dir=root / "index",
        port=free_port(),
        questions_per_minute=1000,  # high enough for the load test, still enforced
        max_upload_bytes=20_000,
    )
    app = serve(Assistant(settings), block=False)
    yield f"http://127.0.0.1:{settings.port}/", settings
    app.close()


def test_sixty_four_sessions_at_once_all_get_answers(page):
    url, _ = page
    report = run_load(url, sessions=64, seconds=10)
    print(f"\n64 sessions, 10 s: {report.requests} answers, p95 {report.p95_ms} ms")
    assert report.requests >= 64 and report.errors == []


def test_a_soak_of_questions_keeps_memory_flat(built_settings: Settings):
    report = run_soak(built_settings, count=300)
    print(f"\nsoak: {report.rss_mb_after_warm_up} MB after warm-up, {report.rss_mb_at_end} MB end")
    assert report.errors == 0
    assert report.growth_mb < 25, report


def test_a_session_over_its_question_limit_is_told_when_to_ask_again(built_settings: Settings):
    settings = built_settings.model_copy(update={"port": free_port(), "questions_per_minute": 2})
    app = serve(Assistant(settings), block=False)
    try:
        url = f"http://127.0.0.1:{settings.port}/"
        visitor = Client(url, verbose=False)
        replies = [visitor.predict(QUESTION, api_name="/chat") for _ in range(3)]
        other = Client(url, verbose=False).predict(QUESTION, api_name="/chat")
    finally:
        app.close()
    assert "Rutte" in replies[0] and "Rutte" in replies[1]
    assert "This page answers up to 2 questions a minute per visitor" in replies[2]
    assert "Rutte" not in replies[2]
    assert "Rutte" in other  # the limit is per visitor


def test_an_exposed_page_limits_questions_unless_told_otherwise():
    assert Settings(host="127.0.0.1").question_limit == 0
    assert Settings(host="0.0.0.0").question_limit == 30
    assert Settings(host="0.0.0.0", questions_per_minute=0).question_limit == 0


def test_an_upload_over_the_limit_is_refused_and_nothing_is_saved(page, tmp_path: Path):
    url, settings = page
    big = tmp_path / "big.txt"
    big.write_text("A long report. " * 3000)
    with pytest.raises(Exception, match=r"(?i)size|large"):
        Client(url, verbose=False).predict(files=[handle_file(str(big))], api_name="/add_articles")
    assert not (settings.corpus_dir / "big.txt").exists()


@pytest.mark.parametrize(
    "name", ["../../x.txt", "/etc/x.txt", "..", ".hidden.txt", "sub/x.txt", "x.txt\x00.md"]
)
def test_upload_names_that_reach_outside_the_corpus_are_refused(tmp_path: Path, name: str):
    corpus = tmp_path / "a" / "b" / "corpus"
    result = save_upload(name, b"Some article text.\n", corpus, 10_000)
    assert isinstance(result, Path) is False and "not allowed" in result.reason
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_the_page_serves_no_file_outside_what_it_was_given(page):
    url, settings = page
    secrets = [
        "/etc/passwd",
        str(settings.index_dir / "manifest.json"),
        str(settings.corpus_dir / "us-nato-security-guarantees-summit-cities.txt"),
        str(Path(__file__).resolve()),
    ]
    for secret in secrets:
        for route in ("gradio_api/file=", "file="):
            try:
                with urllib.request.urlopen(url + route + secret, timeout=10) as reply:
                    body = reply.read().decode("utf-8", "replace")
            except urllib.error.HTTPError as refused:
                assert refused.code in (403, 404), (route, secret)
                continue
            assert "root:" not in body and "chunks" not in body and "import" not in body


def test_errors_shown_on_the_page_carry_no_paths_or_tracebacks(built_settings, tmp_path: Path):
    index = tmp_path / "index"
    shutil.copytree(built_settings.index_dir, index)
    settings = built_settings.model_copy(update={"index_dir": index, "port": free_port()})
    assistant = Assistant(settings)
    app = serve(assistant, block=False)
    try:
        shutil.rmtree(settings.bm25_path)
        settings.manifest_path.touch()  # a new index version: the page reloads and finds damage
        client = Client(f"http://127.0.0.1:{settings.port}/", verbose=False)
        message = client.predict(QUESTION, api_name="/chat")
        reply = client.predict(QUESTION, api_name="/ask")
    finally:
        app.close()
    for shown in (message, reply["error"]):
        assert "damaged" in shown and "ingest --rebuild" in shown
        assert str(tmp_path) not in shown and "Traceback" not in shown
