"""Several processes can share one index through Chroma's own server (`chroma run`)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant, Settings
from tests.helpers import free_port

CHROMA = Path(sys.executable).with_name("chroma")
QUESTION = "Which cities were proposed for the summit?"


class ChromaServer:
    def __init__(self, path: Path, port: int) -> None:
        self.path, self.port = path, port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(CHROMA),
                "run",
                "--path",
                str(self.path),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("chroma run did not come up")

    def stop(self) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ChromaServer]:
    chroma = ChromaServer(tmp_path / "chroma-data", free_port())
    chroma.start()
    yield chroma
    chroma.stop()


def test_ingest_and_ask_through_a_server_that_restarts(
    server: ChromaServer, corpus: Path, tmp_path: Path
):
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", chroma_url=server.url)
    assistant = Assistant(settings)
    report = assistant.ingest()
    assert report.chunks > 0
    before = assistant.ask(QUESTION)
    assert "Budapest" in before.text and "Geneva" in before.text

    server.stop()
    server.start()  # same data folder, same port

    assert assistant.ask(QUESTION).text == before.text
    again = Assistant(settings)
    assert again.ingest().unchanged == report.added
    assert again.ask(QUESTION).text == before.text

    # Another process shares the same server.
    env = os.environ | {
        "ASSISTANT_CHROMA_URL": server.url,
        "ASSISTANT_INDEX_DIR": str(settings.index_dir),
        "ASSISTANT_CORPUS_DIR": str(corpus),
    }
    other = subprocess.run(
        [str(Path(sys.executable).with_name("assistant")), "ask", "--json", QUESTION],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert other.returncode == 0, other.stderr
    assert "Geneva" in other.stdout


def test_a_server_that_is_down_gets_a_clear_message(tmp_path: Path, corpus: Path):
    settings = Settings(
        corpus_dir=corpus,
        index_dir=tmp_path / "index",
        chroma_url=f"http://127.0.0.1:{free_port()}",
    )
    from assistant.errors import AssistantError

    with pytest.raises(AssistantError, match="Chroma server"):
        Assistant(settings).ingest()
