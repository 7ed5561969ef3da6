"""Answers, articles and reports as HTML for the page. Everything that came from an article
or a user is escaped here, and only here, before it is shown.

An answer's message carries everything that belongs to it, so it survives a reload from
the browser's storage and a later question cannot take it away: the text with its
markers, each marker's passage (shown on hover or tap), the sources, and a plain-text
copy (hidden `<pre>` elements, the one thing the chat's HTML sanitizer lets through
unchanged) that the copy button, the conversation export and follow-up questions read.
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bs4 import BeautifulSoup

from assistant.answer.types import Answer, Citation, Draft
from assistant.core import ArticleInfo, CorpusInfo, UploadReport

_MARKER = re.compile(r"\[(\d+)\]")
_PREVIEW_WORDS = 60
_CONTEXT_CHARS = 120  # of the passage shown around a marker's sentences
_PLAIN_ANSWER = "plain-answer"
_PLAIN_SOURCES = "plain-sources"


def answer_message(answer: Answer, answer_id: str | None = None) -> str:
    """The chat message: the answer, its sources beneath it, and a copy button."""
    answer_id = answer_id or _new_answer_id()
    notices = "".join(f"<p class='notice'><em>{_text(n)}</em></p>" for n in answer.notices)
    body = _with_markers(answer.text, answer.citations, answer_id)
    if answer.abstained:
        main = f"<div class='abstain'>{body}</div>"
    else:
        main = _short_answer(answer, answer_id) + f"<div class='answer-text'>{body}</div>"
        main += _left_out(answer) + _written_by(answer)
    return (
        f"<div class='answer' id='ans-{answer_id}'>{notices}{main}"
        f"{_sources(answer, answer_id)}"
        "<div class='answer-tools'><button type='button' class='copy-answer' "
        "title='Copy this answer and its sources as plain text'>Copy</button></div>"
        f"<pre class='{_PLAIN_ANSWER}' hidden>{html.escape(_plain_answer(answer))}</pre>"
        f"<pre class='{_PLAIN_SOURCES}' hidden>{html.escape(_plain_sources(answer))}</pre>"
        "</div>"
    )


def draft_message(draft: Draft) -> str:
    """A model's answer while it is written: checked sentences, then the one in progress,
    dimmed and without markers, since nothing has yet been checked against a passage."""
    pending = f" <span class='pending'>{_text(draft.pending)} …</span>" if draft.pending else ""
    return _text(draft.text) + pending


def streamed_words(answer: Answer, words: int) -> str:
    """The first words of an answer that comes whole, shown as if being written."""
    return _text(" ".join(answer.text.split(" ")[:words]))


def error_message(text: str) -> str:
    return f"<div class='answer-error' role='alert'>{_text(text)}</div>"


def _new_answer_id() -> str:
    return uuid.uuid4().hex[:8]


# --- plain text: what copying, exporting and follow-ups read ---------------------------


def plain_text(content: Any) -> str:
    """A chat message as plain text: an answer's text with its [n] markers (no HTML, no
    sources), or a question as typed."""
    return _plain_parts(_soup(content))[0]


def conversation_markdown(history: Sequence[dict[str, Any]], now: datetime | None = None) -> str:
    """A conversation as Markdown: each question, its answer and the answer's numbered
    sources, as plain text."""
    now = now or datetime.now(UTC)
    parts = [f"# Conversation with the news assistant\n\nExported {_date(now)}.\n"]
    for message in history:
        text, sources = _plain_parts(_soup(message.get("content")))
        if message.get("role") == "user":
            parts.append(f"## {text}\n")
            continue
        parts.append(text + "\n")
        if sources:
            parts.append(sources + "\n")
    return "\n".join(parts)


def cited_files(content: Any) -> list[str]:
    """The files an answer's message cites, in [n] order."""
    return [
        card.find(class_="file").get_text()
        for card in _soup(content).select("details.sources:not(.related) .source")
    ]


def _plain_parts(soup: BeautifulSoup) -> tuple[str, str]:
    """(answer text, its numbered sources) from a message's plain-text copies; a question
    has no copies and is its own text."""
    answer = soup.find("pre", class_=_PLAIN_ANSWER)
    if answer is None:
        return soup.get_text(" ").strip(), ""
    sources = soup.find("pre", class_=_PLAIN_SOURCES)
    return answer.get_text(), sources.get_text().strip() if sources else ""


def _plain_answer(answer: Answer) -> str:
    lines = [*answer.notices]
    if short := _leading_short_answer(answer):
        lines.append(f"{short} {_first_marker(answer)}".rstrip())
    lines.append(answer.text)
    return "\n\n".join(lines)


def _plain_sources(answer: Answer) -> str:
    if answer.abstained:
        return ""
    lines = ["Sources:"]
    for citation in answer.citations:
        lines.append(f"[{citation.id}] {citation.title} ({citation.source})")
        lines += [f"    “{' '.join(quote.split())}”" for quote in citation.quotes]
    return "\n".join(lines) if answer.citations else ""


# --- the answer's parts -------------------------------------------------------------------


def _with_markers(text: str, citations: Sequence[Citation], answer_id: str) -> str:
    """The text with each [n] a link to its source card and, on hover or tap, its passage."""
    by_number = {c.id: c for c in citations}
    parts, position = [], 0
    for match in _MARKER.finditer(text):
        parts.append(_text(text[position : match.start()]))
        parts.append(_marker(by_number.get(int(match.group(1))), match.group(0), answer_id))
        position = match.end()
    parts.append(_text(text[position:]))
    return "".join(parts)


def _marker(citation: Citation | None, shown: str, answer_id: str) -> str:
    if citation is None:
        return _text(shown)
    number = citation.id
    title = html.escape(f"Source {number}: {citation.title}", quote=True)
    return (
        f"<span class='cite-wrap'><a class='cite' href='#{_anchor(answer_id, number)}' "
        f"title='{title}'>[{number}]</a><span class='pop' role='tooltip'>"
        f"<strong>{html.escape(citation.title)}</strong> "
        f"<span class='pop-text'>{_excerpt(citation)}</span></span></span>"
    )


def _anchor(answer_id: str, number: int) -> str:
    """The id of an answer's source card [number]: unique on the page, per answer."""
    return f"src-{answer_id}-{number}"


def _short_answer(answer: Answer, answer_id: str) -> str:
    """What was asked for, first and large, when the answer text does not open with it."""
    short = _leading_short_answer(answer)
    if not short:
        return ""
    marker = _with_markers(_first_marker(answer), answer.citations, answer_id)
    return f"<p class='short-answer'>{_text(short)} {marker}</p>"


def _leading_short_answer(answer: Answer) -> str | None:
    """The short answer, to be put first: unless there is none or the text opens with it."""
    short = answer.short_answer
    return short if short and not answer.text.startswith(short) else None


def _first_marker(answer: Answer) -> str:
    match = _MARKER.search(answer.text)
    return match.group(0) if match else ""


def _written_by(answer: Answer) -> str:
    if answer.answered_by == "extractive":
        return ""
    return (
        f"<p class='hint'>Written by {html.escape(answer.answered_by)}; every sentence was "
        "checked against the passage it cites.</p>"
    )


def _left_out(answer: Answer) -> str:
    """What verification removed, shown apart and struck through: never as a cited claim."""
    if not answer.unsupported:
        return ""
    items = "".join(f"<li><s>{_text(text)}</s></li>" for text in answer.unsupported)
    return (
        "<details class='unsupported'><summary>Not in the articles: "
        f"{len(answer.unsupported)} sentence(s) the model wrote were left out</summary>"
        f"<ul>{items}</ul></details>"
    )


def _sources(answer: Answer, answer_id: str) -> str:
    if answer.abstained:
        if not answer.related:
            return ""
        cards = "".join(_card(c, answer_id, related=True) for c in answer.related)
        return (
            "<details class='sources related'><summary>Related reading</summary>"
            "<p class='hint'>The articles don't answer this. These passages come closest; "
            f"they are not cited as an answer.</p>{cards}</details>"
        )
    if not answer.citations:
        return ""
    cards = "".join(_card(c, answer_id) for c in answer.citations)
    searched = (
        f"<p class='hint'>Searched for: “{html.escape(answer.interpreted_as)}”</p>"
        if answer.interpreted_as
        else ""
    )
    count = len(answer.citations)
    return (
        f"<details class='sources'><summary>Sources ({count})</summary>{searched}{cards}</details>"
    )


def _card(citation: Citation, answer_id: str, related: bool = False) -> str:
    label = "" if related else f"<span class='num'>[{citation.id}]</span> "
    anchor = "" if related else f" id='{_anchor(answer_id, citation.id)}'"
    return (
        f"<div class='source'{anchor}>"
        f"<div class='source-head'>{label}<strong>{html.escape(citation.title)}</strong>"
        f"<span class='file'>{html.escape(citation.source)}</span></div>"
        f"<blockquote>{_highlighted(citation, preview=related)}</blockquote></div>"
    )


def _highlighted(citation: Citation, preview: bool) -> str:
    """The passage with its cited sentences marked; a related passage shows its opening."""
    text = citation.text
    if preview and not citation.spans:
        words = text.split()
        clipped = " ".join(words[:_PREVIEW_WORDS])
        return html.escape(clipped) + (" …" if len(words) > _PREVIEW_WORDS else "")
    pieces, position = [], 0
    for start, end in sorted(citation.spans):
        pieces.append(html.escape(text[position:start]))
        pieces.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = end
    pieces.append(html.escape(text[position:]))
    return "".join(pieces).replace("\n\n", "<br>").replace("\n", "<br>")


def _excerpt(citation: Citation) -> str:
    """The cited sentences, marked, within a few words of the passage either side."""
    if not citation.spans:
        return _highlighted(citation, preview=True)
    text = citation.text
    first = min(start for start, _ in citation.spans)
    last = max(end for _, end in citation.spans)
    cut = text.find(" ", first - _CONTEXT_CHARS) + 1 if first > _CONTEXT_CHARS else 0
    stop = text.rfind(" ", last, last + _CONTEXT_CHARS) if len(text) - last > _CONTEXT_CHARS else -1
    stop = stop if stop > 0 else len(text)
    window = Citation(
        id=citation.id,
        source=citation.source,
        title=citation.title,
        text=text[cut:stop],
        spans=tuple((start - cut, end - cut) for start, end in citation.spans),
    )
    return ("… " if cut else "") + _highlighted(window, False) + (" …" if stop < len(text) else "")


# --- the corpus: header, article list, upload results --------------------------------------


def corpus_header(info: CorpusInfo, now: datetime | None = None) -> str:
    if not info.articles:
        return (
            "<h1>News assistant</h1><p class='hint'>No articles indexed yet: add some "
            "under Articles.</p>"
        )
    when = _ago(datetime.fromisoformat(info.indexed_at), now) if info.indexed_at else "never"
    return (
        "<h1>News assistant</h1>"
        f"<p class='hint'>Answers come only from <strong>{info.articles} articles</strong> "
        f"({info.chunks} passages, updated {when}); every claim is cited to its passage.</p>"
    )


def articles_table(articles: Sequence[ArticleInfo], query: str = "") -> str:
    words = query.lower().split()
    shown = [a for a in articles if all(w in f"{a.title} {a.source}".lower() for w in words)]
    count = f"{len(shown)} of {len(articles)}" if words else f"{len(articles)}"
    if not shown:
        empty = "No article matches the filter." if articles else "No articles indexed yet."
        return f"<p class='hint' id='articles-count'>{empty}</p>"
    rows = "".join(
        "<tr>"
        f"<td>{html.escape(a.title)}</td>"
        f"<td class='file'>{html.escape(a.source)}</td>"
        f"<td>{html.escape(a.published or (_date(a.added) if a.added else '–'))}</td>"
        f"<td class='num'>{a.chunks if a.chunks is not None else '–'}</td>"
        "</tr>"
        for a in shown
    )
    return (
        f"<p class='hint' id='articles-count'>{count} articles</p>"
        "<div class='table-wrap'><table class='articles'><thead><tr><th scope='col'>Title</th>"
        "<th scope='col'>File</th><th scope='col'>Date</th><th scope='col'>Passages</th>"
        f"</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def upload_report(report: UploadReport, info: CorpusInfo) -> str:
    lines = []
    for label, names in (
        ("Added", report.added),
        ("Updated", report.updated),
        ("Already there, unchanged", report.unchanged),
    ):
        if names:
            lines.append(f"<li><strong>{label}:</strong> {_names(names)}</li>")
    lines += [
        f"<li><strong>Renamed:</strong> {html.escape(given)} was saved as {html.escape(saved)}</li>"
        for given, saved in report.renamed.items()
    ]
    lines += [
        f"<li class='refused'><strong>Refused:</strong> {html.escape(skipped.path.name)} "
        f"{html.escape(skipped.reason)}</li>"
        for skipped in report.refused
    ]
    total = f"The index holds {info.articles} articles ({info.chunks} passages)."
    return f"<ul class='report'>{''.join(lines)}</ul><p class='hint'>{total}</p>"


def notice(text: str) -> str:
    return f"<p class='hint'>{html.escape(text)}</p>"


def _names(names: Sequence[str]) -> str:
    return ", ".join(html.escape(name) for name in names)


def _ago(moment: datetime, now: datetime | None = None) -> str:
    """'just now', '5 minutes ago', '3 hours ago', or the date."""
    now = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        minutes = int(seconds // 60)
        return f"{minutes} minute{'s' * (minutes != 1)} ago"
    if seconds < 86400:
        hours = int(seconds // 3600)
        return f"{hours} hour{'s' * (hours != 1)} ago"
    return f"on {_date(moment)}"


def _date(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"


def _text(text: str) -> str:
    return html.escape(text, quote=False)


def _soup(content: Any) -> BeautifulSoup:
    if isinstance(content, list):  # Gradio's normalised form: a list of typed parts
        content = " ".join(
            part.get("text", "") if isinstance(part, dict) else str(part) for part in content
        )
    return BeautifulSoup(content if isinstance(content, str) else "", "html.parser")
