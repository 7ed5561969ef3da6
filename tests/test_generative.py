"""Answers written by a real model (Gemma 3 270M behind llama-cpp-python's OpenAI-compatible
server, and the same GGUF in-process), streamed, verified, and falling back when it fails.

A small base model: what it writes is not known in advance, so these tests assert what
holds whatever it writes. What a good model's answer becomes, outcome by outcome, is in
test_model_answers.py."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Answer, Assistant, Settings
from assistant.answer.types import Draft
from tests.helpers import assert_every_claim_is_in_its_passages
from tests.llm_server import MODEL_ALIAS, LlamaServer, gguf_path

REPO = Path(__file__).resolve().parents[1]
CITIES = "Which cities were proposed for the summit?"
POPULATION = "What is the population of Budapest?"


@pytest.fixture(scope="module")
def server() -> Iterator[LlamaServer]:
    running = LlamaServer(gguf_path())
    yield running
    running.stop()


@pytest.fixture(scope="module")
def model_settings(built_settings: Settings, server: LlamaServer) -> Settings:
    # Short replies keep the suite quick; verification works the same on long ones.
    return built_settings.model_copy(
        update={
            "llm": "openai",
            "llm_base_url": server.url,
            "llm_model": MODEL_ALIAS,
            "llm_max_tokens": 96,
        }
    )


def test_the_answer_streams_as_drafts_then_arrives_verified(model_settings: Settings):
    events = list(Assistant(model_settings).stream(CITIES))
    drafts, answer = events[:-1], events[-1]
    assert drafts and all(isinstance(d, Draft) for d in drafts)
    assert isinstance(answer, Answer)
    assert answer.verification is not None or answer.notices  # checked, or a fallback said why
    # The dimmed sentence in progress carries no markers: it has not been checked yet.
    assert not any("[" in d.pending for d in drafts)
    assert_every_claim_is_in_its_passages(answer)


@pytest.mark.parametrize(
    ("question", "invention"), [(CITIES, "Vienna"), (POPULATION, "1.5 million")]
)
def test_what_the_model_invents_is_never_shown_as_a_cited_fact(
    model_settings: Settings, question: str, invention: str
):
    answer = Assistant(model_settings).ask(question)
    assert invention not in answer.text
    assert all(invention not in c.text for c in answer.citations)
    assert_every_claim_is_in_its_passages(answer)


def test_a_follow_up_is_condensed_into_a_standalone_question(model_settings: Settings):
    assistant = Assistant(model_settings)
    first = assistant.ask("Who is NATO's Secretary-General?")
    follow_up = assistant.ask("Did he visit Kyiv?", history=[(first.question, first.text)])
    assert follow_up.interpreted_as and "Rutte" in follow_up.interpreted_as


def test_a_model_name_the_server_lacks_falls_back_with_one_clear_message(
    model_settings: Settings,
):
    answer = Assistant(model_settings.model_copy(update={"llm_model": "gemma-9000"})).ask(CITIES)
    assert answer.answered_by == "extractive" and "Budapest" in answer.text
    assert answer.notices == [
        "The model server has no model named 'gemma-9000'. "
        "This answer is quoted from the articles instead."
    ]


def test_a_missing_gguf_file_falls_back_with_one_clear_message(built_settings: Settings):
    settings = built_settings.model_copy(
        update={"llm": "llamacpp", "llm_model": "/nonexistent/model.gguf"}
    )
    answer = Assistant(settings).ask(CITIES)
    assert answer.answered_by == "extractive" and not answer.abstained
    assert answer.notices == [
        "The llamacpp answerer's GGUF file is missing. "
        "This answer is quoted from the articles instead."
    ]


def test_a_stopped_server_gives_the_extractive_answer_and_says_so(built_settings: Settings):
    server = LlamaServer(gguf_path())
    settings = built_settings.model_copy(
        update={"llm": "openai", "llm_base_url": server.url, "llm_model": MODEL_ALIAS}
    )
    assistant = Assistant(settings)
    try:
        assistant.ask(CITIES)  # answered while the server runs
    finally:
        server.stop()
    answer = assistant.ask(CITIES)
    assert answer.answered_by == "extractive" and "Budapest" in answer.text
    assert answer.notices == [
        f"The language model (openai: {MODEL_ALIAS}) could not be reached. "
        "This answer is quoted from the articles instead."
    ]
    assert str(server.port) not in " ".join(answer.notices)  # no address for page visitors


def test_a_slow_model_times_out_into_the_extractive_answer(model_settings: Settings):
    answer = Assistant(model_settings.model_copy(update={"llm_timeout": 0.05})).ask(CITIES)
    assert answer.answered_by == "extractive" and "Budapest" in answer.text
    assert "did not answer within 0.05 s." in answer.notices[0]


class _Garbage(http.server.BaseHTTPRequestHandler):
    """A fake at the one edge we cannot reach: a hosted API that answers with garbage."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"choices": [{"delta": "not what the protocol says"')

    def log_message(self, *args: object) -> None:
        pass


def test_a_malformed_response_gives_the_extractive_answer(built_settings: Settings):
    garbage = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Garbage)
    threading.Thread(target=garbage.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{garbage.server_address[1]}/v1"
        settings = built_settings.model_copy(
            update={"llm": "openai", "llm_base_url": url, "llm_model": "any"}
        )
        answer = Assistant(settings).ask(CITIES)
    finally:
        garbage.shutdown()
    assert answer.answered_by == "extractive" and "Budapest" in answer.text
    assert "This answer is quoted from the articles instead." in answer.notices[0]


def test_the_in_process_gguf_answerer_streams_and_verifies(built_settings: Settings):
    settings = built_settings.model_copy(update={"llm": "llamacpp", "llm_model": str(gguf_path())})
    events = list(Assistant(settings).stream(CITIES))
    answer = events[-1]
    assert isinstance(answer, Answer) and any(isinstance(e, Draft) for e in events)
    assert "Vienna" not in answer.text
    assert_every_claim_is_in_its_passages(answer)


def test_the_command_line_never_prints_an_invention_as_a_cited_fact(
    model_settings: Settings, server: LlamaServer
):
    for question, invention in [(CITIES, "Vienna"), (POPULATION, "1.5 million")]:
        printed = subprocess.run(
            [
                sys.executable, "-m", "assistant.cli",
                "--index-dir", str(model_settings.index_dir),
                "--corpus-dir", str(model_settings.corpus_dir),
                "--llm", "openai", "--llm-base-url", server.url, "--llm-model", MODEL_ALIAS,
                "ask", question,
            ],
            capture_output=True, text=True, check=True, timeout=300,
        )  # fmt: skip
        answer = printed.stdout.split("\nSources")[0]
        assert invention not in answer, printed.stdout


def test_a_model_is_not_steered_by_an_article_that_gives_orders(
    server: LlamaServer, tmp_path: Path
):
    from tests.test_hostile_articles import INJECTION

    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    (corpus / "travel-notes.txt").write_text(INJECTION)
    settings = Settings(
        corpus_dir=corpus,
        index_dir=tmp_path / "index",
        llm="openai",
        llm_base_url=server.url,
        llm_model=MODEL_ALIAS,
        llm_max_tokens=96,
    )
    assistant = Assistant(settings)
    assistant.ingest()
    for question in ("Who is NATO's Secretary-General?", CITIES):
        answer = assistant.ask(question)
        assert "Paris" not in answer.text, answer.text
        assert "travel-notes.txt" not in {c.source for c in answer.citations}


def test_an_ollama_server_that_is_not_running_gives_the_extractive_answer(
    built_settings: Settings,
):
    from tests.helpers import free_port

    settings = built_settings.model_copy(
        update={
            "llm": "ollama",
            "llm_base_url": f"http://127.0.0.1:{free_port()}",
            "llm_model": "llama3.2",
        }
    )
    answer = Assistant(settings).ask(CITIES)
    assert answer.answered_by == "extractive" and "Budapest" in answer.text
    assert answer.notices == [
        "The language model (ollama: llama3.2) could not be reached. "
        "This answer is quoted from the articles instead."
    ]
