"""The chat page, served for real on 127.0.0.1 and used through gradio_client and Chromium."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("page")
    shutil.copytree(CORPUS, root / "corpus")
    (root / "corpus" / "forged-bulletin.txt").write_text(HOSTILE)
    settings = Settings(
        corpus_dir=root / "corpus", index_dir=root / "index", port=free_port(), host="127.0.0.1"
    )
    app = serve(Assistant(settings), block=False)
    yield f"http://127.0.0.1:{settings.port}/"
    app.close()


@pytest.fixture(scope="module")
def client(server: str) -> Client:
    return Client(server, verbose=False)


def test_the_chat_endpoint_answers_with_the_cited_passage(client: Client):
    message, sources = client.predict(
        message="Which cities were proposed for the summit?", api_name="/chat"
    )
    assert "Budapest" in message and "Geneva" in message
    assert 'class="cite"' in message
    assert "<mark>Potential host cities under consideration include Budapest" in sources


def test_an_abstention_looks_different_and_offers_related_reading(client: Client):
    message, sources = client.predict(
        message="What is the population of Budapest?", api_name="/chat"
    )
    assert "class='abstain'" in message and "The articles don" in message
    assert "Related reading" in sources and "<mark>" not in sources


def test_sixteen_concurrent_sessions_each_get_their_own_answer(server: str):
    questions = {
        "When was NATO founded?": "1949",
        "How many member nations does NATO have?": "32",
        "Who is Russia's Foreign Minister?": "Lavrov",
        "Where did the summit between Trump and Putin take place?": "Alaska",
        "Who is the German Chancellor?": "Merz",
        "Which court has issued an arrest warrant for Putin?": "International Criminal Court",
        "In what year did Russia annex Crimea?": "2014",
        "Who hosted a meeting with European defense chiefs on Tuesday evening?": "Caine",
        "Which cities were proposed for the summit?": "Geneva",
        "On which day will Zelenskyy meet Trump at the White House?": "Monday",
        "How many people has the war displaced?": "8 million",
        "What did Trump recommend Kyiv do about the Donetsk region?": "make the deal",
        "Which Trump envoy has been involved in diplomacy with European leaders?": "Kellogg",
        "Who is the President of the European Commission?": "von der Leyen",
        "Under which agreement did Ukraine surrender its nuclear arms?": "Budapest Memorandum",
        "Which regions of eastern Ukraine does Russia control?": "Luhansk",
    }

    def ask(question: str) -> tuple[str, str]:
        return Client(server, verbose=False).predict(message=question, api_name="/chat")

    with ThreadPoolExecutor(max_workers=16) as pool:
        replies = dict(zip(questions, pool.map(ask, questions), strict=True))
    for question, expected in questions.items():
        message, sources = replies[question]
        assert expected in message.replace("\\", ""), (question, message)
        assert 'class="cite"' in message and "<mark>" in sources, question


def test_the_ask_endpoint_returns_the_json_answer(client: Client):
    answer = client.predict("When was NATO founded?", api_name="/ask")
    assert answer["question"] == "When was NATO founded?"
    assert "1949" in answer["answer"] and not answer["abstained"]
    assert answer["citations"][0]["source"] == "us-nato-security-guarantees-summit-cities.txt"


def test_article_text_is_shown_as_text_never_run_as_html(client: Client):
    message, sources = client.predict(
        message="What did the forged bulletin about Tbilisi contain?", api_name="/chat"
    )
    assert "<script>" not in message + sources and "<img" not in message + sources
    assert "&lt;script&gt;" in sources


def test_an_uploaded_article_is_answerable_and_a_binary_file_is_refused(
    client: Client, tmp_path: Path
):
    good = tmp_path / "grain-corridor.md"
    good.write_text("# Grain corridor\n\nThe grain corridor reopened through Odesa on Tuesday.\n")
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x01\x02")
    status, header, _ = client.predict(
        files=[handle_file(str(good)), handle_file(str(binary))], api_name="/add_articles"
    )
    assert "Added 1" in status
    assert "scan.txt looks like a binary file" in status
    assert "Grain corridor" in header
    message, _ = client.predict(
        message="Through which port did the grain corridor reopen?", api_name="/chat"
    )
    assert "Odesa" in message


def ask_in_page(page, question: str) -> None:
    """Type a question, press Enter, and wait until its sources replace the previous ones."""
    answer_id = "document.querySelector('#sources [data-answer]')?.dataset.answer"
    before = page.evaluate(answer_id)
    asked = page.locator("#chat .message.user").count()
    page.fill("textarea", question)
    # The box takes a new question only once the previous answer has finished streaming.
    while page.locator("#chat .message.user").count() == asked:
        page.keyboard.press("Enter")
        page.wait_for_timeout(200)
    page.wait_for_function(f"previous => ({answer_id}) !== previous", arg=before, timeout=60_000)
    # The finished answer, unlike the streamed words before it, carries links or an abstention.
    page.wait_for_function(
        """n => {
            const bots = document.querySelectorAll('#chat .message.bot');
            return bots.length >= n && bots[n - 1].querySelector('a.cite, .abstain') !== null;
        }""",
        arg=asked + 1,
    )


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_a_person_asks_in_the_browser_and_sees_the_cited_passage(server: str, tmp_path: Path):
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_FLAGS,
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(server)
        page.wait_for_selector("textarea")
        assert "Which cities were proposed for the summit?" in page.inner_text("body")
        assert "articles" in page.inner_text("#corpus-header")

        started = time.perf_counter()
        ask_in_page(page, "Which cities were proposed for the summit?")
        print(f"first answer on the page after {time.perf_counter() - started:.2f} s")
        bubble = page.locator("#chat .message.bot").last.inner_text()
        assert "Budapest" in bubble and "[1]" in bubble
        assert "Budapest, Hungary, and Geneva" in page.inner_text("#sources mark")
        page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)

        ask_in_page(page, "Who is NATO's Secretary-General?")
        ask_in_page(page, "Did he visit Kyiv?")
        assert "Searched for: “Did Mark Rutte visit Kyiv?”" in page.inner_text("#sources")
        assert "Kyiv" in page.locator("#chat .message.bot").last.inner_text()

        ask_in_page(page, "What did the forged bulletin about Tbilisi contain?")
        assert "<script>alert(1)</script>" in page.inner_text("#sources")
        assert page.locator("#sources img, #chat img[src='x']").count() == 0
        browser.close()
    assert dialogs == []


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
