"""What the page shows of an answer and of the corpus, and the plain text it copies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from assistant.answer.types import Answer, Citation
from assistant.core import ArticleInfo, CorpusInfo, UploadReport
from assistant.feedback import Feedback, FeedbackLog, gold_candidates
from assistant.ingest.readers import SkippedFile
from assistant.ui import render

PASSAGE = "Talks stalled in May. Ministers will meet in <Oslo> & Bergen on Monday. Nothing more."
SPAN = (PASSAGE.index("Ministers"), PASSAGE.index(" Nothing"))


def answer(**changes) -> Answer:
    fields = {
        "question": "Where will ministers meet?",
        "text": "Ministers will meet in <Oslo> & Bergen on Monday. [1]",
        "citations": [Citation(1, "talks.txt", "Talks *resume*", PASSAGE, spans=(SPAN,))],
        "abstained": False,
    } | changes
    return Answer(**fields)


def test_an_answer_carries_its_own_sources_and_marker_passages():
    shown = render.answer_message(answer(), "a1")
    assert "href='#src-a1-1'" in shown and "id='src-a1-1'" in shown
    assert "<mark>Ministers will meet in &lt;Oslo&gt; &amp; Bergen on Monday.</mark>" in shown
    assert "<Oslo>" not in shown  # article text is escaped everywhere it appears
    assert shown.count("class='pop'") == 1


def test_each_answer_gets_its_own_anchors():
    first, second = render.answer_message(answer()), render.answer_message(answer())
    anchor = first.split("href='#")[1].split("'")[0]
    assert anchor not in second


def test_the_short_answer_comes_first_with_its_marker():
    shown = render.answer_message(answer(short_answer="Oslo and Bergen"), "a1")
    assert shown.index("short-answer") < shown.index("answer-text")
    assert "Oslo and Bergen <span class='cite-wrap'>" in shown
    assert render.plain_text(shown).startswith("Oslo and Bergen [1]\n\nMinisters")


def test_plain_text_has_markers_and_no_markup_or_escapes():
    shown = render.answer_message(answer(), "a1")
    assert render.plain_text(shown) == "Ministers will meet in <Oslo> & Bergen on Monday. [1]"
    history = [
        {"role": "user", "content": "Where will ministers meet?"},
        {"role": "assistant", "content": shown},
    ]
    markdown = render.conversation_markdown(history, datetime(2026, 11, 24, tzinfo=UTC))
    assert "## Where will ministers meet?" in markdown and "Exported 24 Nov 2026." in markdown
    assert "Sources:\n[1] Talks *resume* (talks.txt)\n    “Ministers will meet" in markdown
    assert "&amp;" not in markdown and "<span" not in markdown
    assert render.cited_files(shown) == ["talks.txt"]


def test_an_abstention_offers_related_reading_and_cites_nothing():
    shown = render.answer_message(
        answer(
            text="The articles don't say.",
            citations=[],
            abstained=True,
            related=[Citation(1, "talks.txt", "Talks", PASSAGE)],
        )
    )
    assert "class='abstain'" in shown and "Related reading" in shown
    assert "<mark>" not in shown and render.cited_files(shown) == []


def test_the_header_and_article_list_use_friendly_dates_and_filter():
    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    info = CorpusInfo(2, 9, {}, (now - timedelta(minutes=5)).isoformat())
    assert "updated 5 minutes ago" in render.corpus_header(info, now)
    articles = [
        ArticleInfo("a.txt", "Harbour <reopens>", 3, "Jul 2, 2019", None),
        ArticleInfo("b.txt", "Budget passes", None, None, now),
    ]
    table = render.articles_table(articles, "harbour")
    assert "1 of 2 articles" in table and "Harbour &lt;reopens&gt;" in table
    assert "Budget" not in table and "Jul 2, 2019" in table
    assert "24 Nov 2026" in render.articles_table(articles)


def test_an_upload_report_names_each_outcome_and_the_true_counts():
    report = UploadReport(
        added=["a.txt"],
        unchanged=["b.txt"],
        renamed={"c?.txt": "c-.txt"},
        refused=[SkippedFile(Path("d.txt"), "is not UTF-8 text")],
    )
    shown = render.upload_report(report, CorpusInfo(7, 40, {}, None))
    assert "Added:</strong> a.txt" in shown and "Already there, unchanged:</strong> b.txt" in shown
    assert "c?.txt was saved as c-.txt" in shown and "d.txt is not UTF-8 text" in shown
    assert "7 articles (40 passages)" in shown


def test_a_later_rating_of_the_same_answer_replaces_the_earlier_one(tmp_path):
    log = FeedbackLog(tmp_path / "feedback.jsonl")
    log.record(Feedback("Q1?", "A1 [1]", "down", ["a.txt"]))
    log.record(Feedback("Q2?", "A2 [1]", "down"))
    log.record(Feedback("Q1?", "A1 [1]", "up", ["a.txt"]))
    with (tmp_path / "feedback.jsonl").open("a") as handle:
        handle.write('{"question": "cut sho')  # a crash mid-line
    latest = log.latest()
    assert [(f.question, f.rating) for f in latest] == [("Q2?", "down"), ("Q1?", "up")]
    candidates = gold_candidates(latest)
    assert [c["question"] for c in candidates] == ["Q2?"]
    assert candidates[0]["review"]["answer_given"] == "A2 [1]" and candidates[0]["facts"] == []
