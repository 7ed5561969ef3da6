"""Set-up shared by the page tests and scripts/page_timing.py."""

from __future__ import annotations

import shutil
import socket

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
