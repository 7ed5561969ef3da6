"""The chat page, served for real on 127.0.0.1 and used through gradio_client and Chromium
(desktop, a phone viewport and a dark colour scheme)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

from assistant import Assistant, Settings
from assistant.ui.app import serve
from tests.helpers import CHROMIUM, CHROMIUM_FLAGS, free_port

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
HOSTILE = (
    "Security researchers flagged a fake bulletin about Tbilisi.\n\n"
    "The forged bulletin contained the text <script>alert(1)</script> and the tag "
    '<img src=x onerror="alert(2)"> inside a paragraph about Tbilisi harbour ferries.\n'
)
CITIES = "Which cities were proposed for the summit?"
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


@dataclass
class Site:
    url: str
    settings: Settings


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("page")
    shutil.copytree(CORPUS, root / "corpus")
    (root / "corpus" / "forged-bulletin.txt").write_text(HOSTILE)
    settings = Settings(
        corpus_dir=root / "corpus", index_dir=root / "index", port=free_port(), host="127.0.0.1"
    )
    app = serve(Assistant(settings), block=False)
    yield Site(f"http://127.0.0.1:{settings.port}/", settings)
    app.close()


@pytest.fixture(scope="module")
def client(site: Site) -> Client:
    return Client(site.url, verbose=False)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def open_page(browser, url: str, phone: bool = False, dark: bool = False, context=None):
    """A fresh visitor (or, given a context, another tab of the same one)."""
    if context is None:
        size = {"width": 390, "height": 844} if phone else {"width": 1300, "height": 1000}
        context = browser.new_context(
            viewport=size,
            color_scheme="dark" if dark else "light",
            is_mobile=phone,
            has_touch=phone,
        )
        context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("textarea")
    page.wait_for_function("document.querySelector('#corpus-header h1') !== null")
    return page


def ask_in_page(page, question: str) -> None:
    """Type a question, press Enter, and wait for its finished answer."""
    answers = page.locator("#chat .answer").count()
    asked = page.locator("#chat .message.user").count()
    page.fill("textarea", question)
    # The box takes a new question only once the previous answer has finished streaming.
    while page.locator("#chat .message.user").count() == asked:
        page.keyboard.press("Enter")
        page.wait_for_timeout(200)
    page.wait_for_function(
        "n => document.querySelectorAll('#chat .answer').length > n", arg=answers, timeout=60_000
    )


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two computed `rgb(...)` colours."""

    def luminance(colour: str) -> float:
        channels = [int(v) / 255 for v in re.findall(r"[\d.]+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# The colours an element's text is drawn in, and on: the first opaque background up the tree.
COLOURS = """element => {
    const colour = getComputedStyle(element).color;
    let node = element;
    while (node) {
        const background = getComputedStyle(node).backgroundColor;
        if (background && !background.endsWith(', 0)') && background !== 'transparent') {
            return [colour, background];
        }
        node = node.parentElement;
    }
    return [colour, 'rgb(255, 255, 255)'];
}"""


# --- through the API ----------------------------------------------------------------------


def test_the_chat_endpoint_answers_with_its_sources_inside_the_answer(client: Client):
    message = client.predict(message=CITIES, api_name="/chat")
    assert "Budapest" in message and "Geneva" in message
    assert "class='cite'" in message
    assert "<mark>Potential host cities under consideration include Budapest" in message
    assert "<details class='sources'>" in message


def test_an_abstention_looks_different_and_offers_related_reading(client: Client):
    message = client.predict(message="What is the population of Budapest?", api_name="/chat")
    assert "class='abstain'" in message and "The articles don" in message
    assert "Related reading" in message and "<mark>" not in message


def test_sixteen_concurrent_sessions_each_get_their_own_answer(site: Site):
    questions = {
        "When was NATO founded?": "1949",
        "How many member nations does NATO have?": "32",
        "Who is Russia's Foreign Minister?": "Lavrov",
        "Where did the summit between Trump and Putin take place?": "Alaska",
        "Who is the German Chancellor?": "Merz",
        "Which court has issued an arrest warrant for Putin?": "International Criminal Court",
        "In what year did Russia annex Crimea?": "2014",
        "Who hosted a meeting with European defense chiefs on Tuesday evening?": "Caine",
        CITIES: "Geneva",
        "On which day will Zelenskyy meet Trump at the White House?": "Monday",
        "How many people has the war displaced?": "8 million",
        "What did Trump recommend Kyiv do about the Donetsk region?": "make the deal",
        "Which Trump envoy has been involved in diplomacy with European leaders?": "Kellogg",
        "Who is the President of the European Commission?": "von der Leyen",
        "Under which agreement did Ukraine surrender its nuclear arms?": "Budapest Memorandum",
        "Which regions of eastern Ukraine does Russia control?": "Luhansk",
    }

    def ask(question: str) -> str:
        return Client(site.url, verbose=False).predict(message=question, api_name="/chat")

    with ThreadPoolExecutor(max_workers=16) as pool:
        replies = dict(zip(questions, pool.map(ask, questions), strict=True))
    for question, expected in questions.items():
        answer = replies[question].split("<details")[0]  # the answer, before its sources
        assert expected in answer, (question, answer)
        assert "class='cite'" in answer and "<mark>" in replies[question], question


def test_the_ask_endpoint_returns_the_json_answer(client: Client):
    answer = client.predict("When was NATO founded?", api_name="/ask")
    assert answer["question"] == "When was NATO founded?"
    assert "1949" in answer["answer"] and not answer["abstained"]
    assert answer["citations"][0]["source"] == "us-nato-security-guarantees-summit-cities.txt"


def test_article_text_is_shown_as_text_never_run_as_html(client: Client):
    message = client.predict(
        message="What did the forged bulletin about Tbilisi contain?", api_name="/chat"
    )
    assert "<script>" not in message and "<img" not in message
    assert "&lt;script&gt;" in message


def test_an_upload_reports_what_became_of_each_file(client: Client, tmp_path: Path):
    good = tmp_path / "grain-corridor.md"
    good.write_text("# Grain corridor\n\nThe grain corridor reopened through Odesa on Tuesday.\n")
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x01\x02")
    odd = tmp_path / "ferry [draft].txt"
    odd.write_text("Ferries to Batumi resumed on Friday after the storm.\n")
    status = client.predict(
        files=[handle_file(str(good)), handle_file(str(binary)), handle_file(str(odd))],
        api_name="/add_articles",
    )
    assert re.search(r"Added:</strong> [^<]*grain-corridor\.md", status)
    assert "Refused:</strong> scan.txt looks like a binary file" in status
    assert "Renamed:</strong> ferry [draft].txt was saved as ferry -draft-.txt" in status
    chunks = int(re.search(r"\((\d+) passages\)", status).group(1))
    assert chunks > 30  # the index's true size, not the refused file's
    again = client.predict(files=[handle_file(str(good))], api_name="/add_articles")
    assert "Already there, unchanged:</strong> grain-corridor.md" in again
    message = client.predict(
        message="Through which port did the grain corridor reopen?", api_name="/chat"
    )
    assert "Odesa" in message


# --- in Chromium --------------------------------------------------------------------------


@needs_chromium
def test_a_person_asks_in_the_browser_and_sees_the_cited_passage(site: Site, browser):
    dialogs: list[str] = []
    page = open_page(browser, site.url)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    assert CITIES in page.inner_text("body")
    assert "Chatbot" not in page.inner_text("body")  # no stray component labels
    assert page.get_by_role("button", name="Ask", exact=True).is_visible()  # a send button

    started = time.perf_counter()
    ask_in_page(page, CITIES)
    print(f"first answer on the page after {time.perf_counter() - started:.2f} s")
    answer = page.locator("#chat .answer").last
    assert "Budapest" in answer.inner_text() and "[1]" in answer.inner_text()

    ask_in_page(page, "Who is NATO's Secretary-General?")
    ask_in_page(page, "Did he visit Kyiv?")
    latest = page.locator("#chat .answer").last
    latest.locator("summary").click()
    assert "Searched for: “Did Mark Rutte visit Kyiv?”" in latest.inner_text()

    ask_in_page(page, "What did the forged bulletin about Tbilisi contain?")
    page.locator("#chat .answer").last.locator("summary").click()
    assert "<script>alert(1)</script>" in page.locator("#chat .answer").last.inner_text()
    assert page.locator("#chat img").count() == 0
    assert dialogs == []
    page.context.close()


@needs_chromium
def test_an_earlier_answers_marker_reveals_its_own_passage(site: Site, browser):
    page = open_page(browser, site.url)
    ask_in_page(page, CITIES)
    ask_in_page(page, "When was NATO founded?")
    ask_in_page(page, "Who is Russia's Foreign Minister?")

    first = page.locator("#chat .answer").first
    marker = first.locator("a.cite").first
    marker.click()
    card = first.locator(f"[id='{marker.get_attribute('href')[1:]}']")  # in its own answer
    assert card.is_visible()
    assert "Budapest, Hungary, and Geneva" in card.locator("mark").inner_text()
    # The marker's own passage, shown beside it, is the one it cites.
    popover = first.locator(".cite-wrap .pop").first
    assert popover.is_visible()
    assert "Budapest, Hungary, and Geneva" in popover.locator("mark").inner_text()
    # Later answers keep theirs.
    assert (
        "1949" in page.locator("#chat .answer").nth(1).locator(".source mark").first.text_content()
    )
    page.context.close()


@needs_chromium
def test_copied_text_is_plain_with_numbered_sources(site: Site, browser):
    page = open_page(browser, site.url)
    ask_in_page(page, "How many member nations does NATO have?")
    page.locator("#chat .answer .copy-answer").last.click()
    page.wait_for_function("document.querySelector('.copy-answer').textContent === 'Copied'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "32" in copied and "[1]" in copied and "Sources:\n[1] " in copied
    assert "<" not in copied and "\\" not in copied and "&" not in copied

    page.get_by_role("button", name="Copy conversation").click()
    conversation = copied
    for _ in range(100):  # the conversation is put together on the server first
        conversation = page.evaluate("navigator.clipboard.readText()")
        if conversation != copied:
            break
        page.wait_for_timeout(100)
    assert "## How many member nations does NATO have?" in conversation
    assert "Sources:\n[1] " in conversation and "<" not in conversation
    # Screen readers hear the answer's text, not its markup.
    label = page.locator("#chat [data-testid='bot']").last.get_attribute("aria-label")
    assert label.startswith("Answer: ") and "<" not in label
    page.context.close()


@needs_chromium
def test_the_conversation_survives_a_reload_and_exports_as_markdown(site: Site, browser):
    page = open_page(browser, site.url)
    ask_in_page(page, "Who is the German Chancellor?")
    # Once the answer is finished the browser keeps the conversation: it joins the list.
    page.wait_for_function(
        "document.body.innerText.split('Who is the German Chancellor?').length > 2"
    )
    page.reload()
    page.wait_for_selector("#chat .answer", timeout=30_000)
    assert "Merz" in page.locator("#chat .answer").last.inner_text()
    assert page.get_by_role("button", name="New chat").is_visible()

    page.get_by_role("button", name="Export as Markdown").click()
    link = page.locator("#exported a[href]").first
    link.wait_for(timeout=30_000)
    markdown = page.request.get(link.get_attribute("href")).text()
    assert markdown.startswith("# Conversation with the news assistant")
    assert "## Who is the German Chancellor?" in markdown and "Merz" in markdown
    assert "Sources:\n[1] " in markdown and "<" not in markdown

    ask_in_page(page, "Who is Russia's Foreign Minister?")  # the reopened talk goes on
    assert page.locator("#chat .answer").count() == 2
    page.context.close()


@needs_chromium
def test_a_thumbs_down_is_kept_and_becomes_a_gold_candidate(site: Site, browser, tmp_path):
    page = open_page(browser, site.url)
    ask_in_page(page, "Which court has issued an arrest warrant for Putin?")
    page.locator("#chat").get_by_label("Dislike").last.click()
    feedback = site.settings.feedback_path
    deadline = time.monotonic() + 20
    while not feedback.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    kept = [json.loads(line) for line in feedback.read_text().splitlines()]
    assert kept[-1]["rating"] == "down"
    assert kept[-1]["question"] == "Which court has issued an arrest warrant for Putin?"
    assert "[1]" in kept[-1]["answer"] and "<" not in kept[-1]["answer"]
    assert kept[-1]["sources"]

    result = subprocess.run(
        [
            sys.executable, "-m", "assistant.cli",
            "--corpus-dir", str(site.settings.corpus_dir),
            "--index-dir", str(site.settings.index_dir),
            "eval", "--from-feedback", "--out", str(tmp_path),
        ],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "1 thumbs-down answer(s)" in result.stdout
    candidate = json.loads((tmp_path / "candidates.jsonl").read_text().splitlines()[0])
    assert candidate["question"] == kept[-1]["question"]
    assert candidate["review"]["answer_given"] == kept[-1]["answer"]
    assert candidate["facts"] == [] and "from-feedback" in candidate["tags"]
    page.context.close()


@needs_chromium
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_text_and_highlights_are_readable_in_both_themes(site: Site, browser, dark: bool):
    page = open_page(browser, site.url, dark=dark)
    assert page.evaluate("document.body.classList.contains('dark')") == dark
    ask_in_page(page, CITIES)
    answer = page.locator("#chat .answer").last
    answer.locator("summary").first.click()
    answer.locator("a.cite").first.hover()
    checked = {
        "highlight in a source": answer.locator(".source mark").first,
        "highlight beside a marker": answer.locator(".pop mark").first,
        "passage beside a marker": answer.locator(".pop .pop-text").first,
        "marker": answer.locator("a.cite").first,
        "hint": page.locator("#corpus-header .hint").first,
        "answer": answer.locator(".answer-text").first,
    }
    for name, element in checked.items():
        foreground, background = element.evaluate(COLOURS)
        ratio = contrast(foreground, background)
        assert ratio >= 4.5, (name, foreground, background, round(ratio, 2))
    page.context.close()


@needs_chromium
def test_on_a_phone_the_passage_and_the_article_list_are_one_tap_away(site: Site, browser):
    page = open_page(browser, site.url, phone=True)
    ask_in_page(page, CITIES)
    marker = page.locator("#chat .answer a.cite").first
    marker.tap()
    popover = page.locator("#chat .answer .pop").first
    assert popover.is_visible()
    box = popover.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.get_by_role("tab", name="Articles").tap()
    assert page.locator("#articles table").is_visible()
    page.context.close()


@needs_chromium
def test_a_fresh_page_shows_an_article_another_process_ingested(site: Site, browser):
    page = open_page(browser, site.url)
    before = page.inner_text("#corpus-header")
    (site.settings.corpus_dir / "lighthouse.txt").write_text(
        "Lighthouse keepers return to Faro\n\nThe Faro lighthouse will be staffed again from "
        "March, the harbour authority said.\n"
    )
    subprocess.run(
        [
            sys.executable, "-m", "assistant.cli",
            "--corpus-dir", str(site.settings.corpus_dir),
            "--index-dir", str(site.settings.index_dir),
            "ingest",
        ],
        check=True, capture_output=True,
    )  # fmt: skip
    fresh = open_page(browser, site.url)
    header = fresh.inner_text("#corpus-header")
    count = int(re.search(r"(\d+) articles", header).group(1))
    assert count == int(re.search(r"(\d+) articles", before).group(1)) + 1
    fresh.get_by_role("tab", name="Articles").click()
    assert "Lighthouse keepers return to Faro" in fresh.inner_text("#articles")
    fresh.get_by_label("Filter articles").fill("faro")
    fresh.wait_for_function(
        "document.querySelector('#articles-count').innerText.startsWith('1 of')"
    )
    assert fresh.locator("#articles tbody tr").count() == 1
    page.context.close()
    fresh.context.close()


@needs_chromium
def test_deleting_an_article_takes_it_out_of_the_index_and_the_folder(site: Site, browser):
    doomed = site.settings.corpus_dir / "forged-bulletin.txt"
    assert doomed.exists()
    page = open_page(browser, site.url)
    page.get_by_role("tab", name="Articles").click()
    page.get_by_text("Delete an article").click()
    page.locator("#delete-choice input").fill("forged")
    page.get_by_role("option", name=re.compile("forged-bulletin.txt")).click()
    page.locator("#delete").click()
    page.locator("#delete-confirm").click()
    page.wait_for_function(
        "document.querySelector('#delete-status').innerText.includes('Deleted forged-bulletin')"
    )
    assert not doomed.exists()
    page.wait_for_function(
        "!document.querySelector('#articles').innerText.includes('forged-bulletin.txt')"
    )
    answer = Client(site.url, verbose=False).predict(
        "What did the forged bulletin about Tbilisi contain?", api_name="/ask"
    )
    assert all(c["source"] != "forged-bulletin.txt" for c in answer["citations"])
    page.context.close()


def test_a_password_keeps_strangers_out(tmp_path: Path):
    settings = Settings(
        corpus_dir=CORPUS, index_dir=tmp_path / "index", port=free_port(), auth="editor:s3cret"
    )
    app = serve(Assistant(settings), block=False)
    url = f"http://127.0.0.1:{settings.port}/"
    try:
        with pytest.raises(ValueError):
            Client(url, verbose=False)
        client = Client(url, auth=("editor", "s3cret"), verbose=False)
        answer = client.predict("When was NATO founded?", api_name="/ask")
        assert "1949" in answer["answer"]
    finally:
        app.close()


@needs_chromium
def test_conversations_survive_a_restart_of_the_server(browser, tmp_path: Path):
    settings = Settings(corpus_dir=CORPUS, index_dir=tmp_path / "index", port=free_port())
    url = f"http://127.0.0.1:{settings.port}/"
    app = serve(Assistant(settings), block=False)
    try:
        page = open_page(browser, url)
        ask_in_page(page, "When was NATO founded?")
        page.wait_for_function("document.body.innerText.split('When was NATO founded?').length > 2")
    finally:
        app.close()
    app = serve(Assistant(settings), block=False)
    try:
        page.reload()
        page.wait_for_selector("#chat .answer", timeout=30_000)
        assert "1949" in page.locator("#chat .answer").last.inner_text()
    finally:
        page.context.close()
        app.close()


@needs_chromium
def test_the_keyboard_alone_reaches_a_marker_and_its_passage(site: Site, browser):
    page = open_page(browser, site.url)
    ask_in_page(page, CITIES)
    for _ in range(80):  # Tab through the page until a marker has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.cite')"):
            break
    else:
        pytest.fail("no marker can be reached with Tab")
    assert page.locator("#chat .answer .pop").first.is_visible()
    page.keyboard.press("Enter")  # opens the answer's sources at the cited passage
    assert page.locator("#chat .answer .source").first.is_visible()
    page.context.close()
