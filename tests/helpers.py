"""Set-up and checks shared by the tests (and scripts/page_timing.py)."""

from __future__ import annotations

import re
import shutil
import socket
from typing import TYPE_CHECKING

from assistant.language.text import names_and_numbers

if TYPE_CHECKING:
    from assistant import Answer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Debian's Chromium as root, headless, with no attempt to reach the (closed) network.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


_MARKED = re.compile(r"\s*(.+?)\s*((?:\[\d+\])+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def assert_every_claim_is_in_its_passages(answer: Answer) -> None:
    """Each sentence of the answer carries markers, and every name and number it states
    is in a passage it cites: what verification promises, checked independently of it.
    An abstention cites nothing."""
    if answer.abstained:
        assert not answer.citations and "[" not in answer.text
        return
    cited = {c.id: c.text for c in answer.citations}
    sentences = _MARKED.findall(answer.text)
    marked = "".join(s + m for s, m in sentences)
    assert sentences and "".join(marked.split()) == "".join(answer.text.split())
    for sentence, markers in sentences:
        numbers = [int(n) for n in re.findall(r"\d+", markers)]
        assert all(n in cited for n in numbers), (sentence, numbers)
        together = " ".join(cited[n] for n in numbers).casefold()
        _opening_word, _, rest = sentence.partition(" ")  # capitalized only as the opener
        for name in names_and_numbers(rest):
            bare = name.rstrip(".,").removesuffix("'s").removesuffix("’s").casefold()
            assert bare in together, (name, sentence)
