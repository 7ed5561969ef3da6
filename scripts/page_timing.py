"""Time the page as a person meets it: run command to a ready page, Enter to first words.

    .venv/bin/python scripts/page_timing.py [--questions 10] [--screenshot docs/screenshot.png]

Starts `assistant chat` on a free loopback port (the index must exist: `assistant ingest`),
opens it in Debian's Chromium, asks questions and prints the medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root, for tests/
from tests.helpers import CHROMIUM, CHROMIUM_FLAGS, free_port

QUESTIONS = [
    "Which cities were proposed for the summit?",
    "Who is NATO's Secretary-General?",
    "When was NATO founded?",
    "What did Russia demand at the Alaska summit?",
    "Who is Russia's Foreign Minister?",
    "How many people has the war displaced?",
    "Which leaders accompanied Zelenskyy to the White House?",
    "What is the population of Budapest?",
    "Where did Mark Rutte visit?",
    "What have European leaders proposed?",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=len(QUESTIONS))
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args()

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("assistant")), "chat", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ.copy(),
    )
    try:
        while True:
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    sys.exit("the page server exited early")
                time.sleep(0.1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(url)
            page.wait_for_selector("textarea")
            ready = time.perf_counter() - started
            first_words = []
            for number, question in enumerate(QUESTIONS[: args.questions], start=1):
                page.fill("textarea", question)
                pressed = time.perf_counter()
                page.keyboard.press("Enter")
                page.wait_for_function(
                    "n => { const m = document.querySelectorAll('#chat .message.bot');"
                    " return m.length >= n && m[n - 1].innerText.trim().length > 0; }",
                    arg=number,
                )
                first_words.append(time.perf_counter() - pressed)
                page.wait_for_function(
                    "n => document.querySelectorAll('#sources [data-answer]').length > 0"
                    " && !document.querySelector('button.stop-button:not(.hidden)')",
                    arg=number,
                )
                page.wait_for_timeout(300)
            if args.screenshot:
                page.fill("textarea", "")
                page.screenshot(path=str(args.screenshot))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"run command to ready page: {ready:.2f} s")
    print(
        f"Enter to first streamed words over {len(first_words)} questions: "
        f"p50 {1000 * statistics.median(first_words):.0f} ms, "
        f"max {1000 * max(first_words):.0f} ms"
    )


if __name__ == "__main__":
    main()
