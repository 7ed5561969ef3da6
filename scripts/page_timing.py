"""Time the page as a person meets it, and take its screenshots.

    .venv/bin/python scripts/page_timing.py [--questions 10] [--screenshots docs]

Copies the corpus folder to a temporary place and indexes it there (not timed), starts
`assistant chat` on a free loopback port and opens it in Debian's Chromium. Prints the
medians of: run command to a ready page, Enter to the first words of an answer, and an
upload to the moment its article is answerable. With --screenshots, writes light.png,
dark.png and phone.png there.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

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
# An article nobody has indexed, and a question only it answers.
UPLOAD = (
    "timing-upload.txt",
    "Orchard cooperative reopens\n\nThe Tarnava orchard cooperative reopened its cider press "
    "on Thursday after a two-year closure, its chair said.\n",
)
UPLOAD_QUESTION = ("When did the Tarnava orchard cooperative reopen its cider press?", "Thursday")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=len(QUESTIONS))
    parser.add_argument("--screenshots", type=Path, help="folder for light, dark and phone")
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    args = parser.parse_args()

    assistant = str(Path(sys.executable).with_name("assistant"))
    with tempfile.TemporaryDirectory() as scratch:
        corpus, index = Path(scratch) / "corpus", Path(scratch) / "index"
        shutil.copytree(args.corpus, corpus)
        env = os.environ | {"ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_INDEX_DIR": str(index)}
        subprocess.run([assistant, "ingest"], env=env, check=True, capture_output=True)
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        started = time.perf_counter()
        server = subprocess.Popen(
            [assistant, "chat", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        try:
            _wait_for(url, server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(url)
                page.wait_for_selector("#corpus-header h1")
                ready = time.perf_counter() - started
                first_words = [_ask(page, q) for q in QUESTIONS[: args.questions]]
                upload = _upload(page, Path(scratch) / UPLOAD[0])
                if args.screenshots:
                    _screenshots(browser, url, args.screenshots)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"run command to ready page: {ready:.2f} s")
    print(
        f"Enter to first words over {len(first_words)} questions: "
        f"p50 {1000 * statistics.median(first_words):.0f} ms, "
        f"max {1000 * max(first_words):.0f} ms"
    )
    print(f"upload to answerable (one article): {upload:.2f} s")


def _wait_for(url: str, server: subprocess.Popen) -> None:
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            if server.poll() is not None:
                sys.exit("the page server exited early")
            time.sleep(0.1)


def _ask(page: Page, question: str) -> float:
    """Seconds from Enter to the first words; waits for the finished answer too."""
    answers = page.locator("#chat .answer").count()
    bots = page.locator("#chat .message.bot").count()
    page.fill("textarea", question)
    pressed = time.perf_counter()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "n => { const m = document.querySelectorAll('#chat .message.bot');"
        " return m.length > n && m[n].innerText.trim().length > 0; }",
        arg=bots,
    )
    first_words = time.perf_counter() - pressed
    page.wait_for_function(
        "n => document.querySelectorAll('#chat .answer').length > n", arg=answers, timeout=60_000
    )
    page.wait_for_timeout(300)  # the box takes the next question once the stream has closed
    return first_words


def _upload(page: Page, path: Path) -> float:
    """Seconds from pressing "Add to the corpus" to an answer that cites the new article."""
    path.write_text(UPLOAD[1], encoding="utf-8")
    page.get_by_role("tab", name="Articles").click()
    page.locator("input[type=file]").set_input_files(str(path))
    page.wait_for_function("document.body.innerText.includes('timing-upload.txt')")
    started = time.perf_counter()
    page.get_by_role("button", name="Add to the corpus").click()
    page.wait_for_function(
        "document.querySelector('#upload-status').innerText.includes('Added')", timeout=60_000
    )
    page.get_by_role("tab", name="Ask").click()
    question, expected = UPLOAD_QUESTION
    _ask(page, question)
    answerable = time.perf_counter() - started
    if expected not in page.locator("#chat .answer").last.inner_text():
        sys.exit("the uploaded article was not answerable")
    return answerable


def _screenshots(browser, url: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, options in {
        "light": {"viewport": {"width": 1280, "height": 860}, "color_scheme": "light"},
        "dark": {"viewport": {"width": 1280, "height": 860}, "color_scheme": "dark"},
        "phone": {
            "viewport": {"width": 390, "height": 844},
            "color_scheme": "light",
            "is_mobile": True,
            "has_touch": True,
        },
    }.items():
        context = browser.new_context(**options)
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("#corpus-header h1")
        page.get_by_role("button", name="New chat").click()
        _ask(page, QUESTIONS[0])
        _ask(page, QUESTIONS[1])
        answer = page.locator("#chat .answer").first
        if name == "dark":
            page.locator("#chat .answer").last.locator("summary").first.click()
        marker = answer.locator("a.cite").first
        marker.tap() if name == "phone" else marker.hover()
        page.wait_for_timeout(300)
        page.screenshot(path=str(folder / f"{name}.png"))
        context.close()


if __name__ == "__main__":
    main()
