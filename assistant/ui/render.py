"""Answers as HTML for the page. Everything that came from an article or a user is escaped
here, and only here, before it is shown."""

from __future__ import annotations

import html
import re
import uuid

from assistant.answer.types import Answer, Citation, Draft

_MARKER = re.compile(r"\[(\d+)\]")
# Characters that Markdown would read as formatting if they stood in an article's text.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-!|~>])")
_PREVIEW_WORDS = 60


def escape_text(text: str) -> str:
    """Plain text made safe for the chat's Markdown-and-HTML renderer."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))


def answer_message(answer: Answer, answer_id: str) -> str:
    """The chat bubble: the answer with each [n] linked to (and titled with) its passage."""
    quotes = {c.id: " … ".join(c.quotes) for c in answer.citations}
    parts = []
    position = 0
    for match in _MARKER.finditer(answer.text):
        parts.append(escape_text(answer.text[position : match.start()]))
        number = int(match.group(1))
        tooltip = html.escape(quotes.get(number, ""), quote=True)
        parts.append(
            f'<a class="cite" href="#src-{answer_id}-{number}" title="{tooltip}">[{number}]</a>'
        )
        position = match.end()
    parts.append(escape_text(answer.text[position:]))
    body = "".join(parts)
    notes = "".join(f"<p class='notice'><em>{escape_text(n)}</em></p>" for n in answer.notices)
    if answer.abstained:
        return f"{notes}<div class='abstain'>{body}</div>"
    return notes + body + _left_out(answer) + _written_by(answer)


def draft_message(draft: Draft) -> str:
    """A model's answer while it is written: checked sentences, then the one in progress,
    dimmed and without markers, since nothing has yet been checked against a passage."""
    pending = (
        f" <span class='pending'>{escape_text(draft.pending)} …</span>" if draft.pending else ""
    )
    return escape_text(draft.text) + pending


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
    items = "".join(f"<li><s>{escape_text(text)}</s></li>" for text in answer.unsupported)
    return (
        "<details class='unsupported'><summary>Not in the articles: "
        f"{len(answer.unsupported)} sentence(s) the model wrote were left out</summary>"
        f"<ul>{items}</ul></details>"
    )


def sources_panel(answer: Answer, answer_id: str) -> str:
    if answer.abstained:
        cards = "".join(_card(c, answer_id, related=True) for c in answer.related)
        return (
            f"<div class='sources related' data-answer='{answer_id}'><h3>Related reading</h3>"
            "<p class='hint'>The articles don't answer this. These passages come closest; "
            "they are not cited as an answer.</p>"
            f"{cards}</div>"
        )
    cards = "".join(_card(c, answer_id) for c in answer.citations)
    interpreted = (
        f"<p class='hint'>Searched for: “{html.escape(answer.interpreted_as)}”</p>"
        if answer.interpreted_as
        else ""
    )
    return (
        f"<div class='sources' data-answer='{answer_id}'><h3>Sources</h3>{interpreted}{cards}</div>"
    )


def empty_panel() -> str:
    return (
        "<div class='sources'><h3>Sources</h3><p class='hint'>Ask a question: the passages "
        "each answer cites appear here, with the quoted sentences highlighted.</p></div>"
    )


def new_answer_id() -> str:
    return uuid.uuid4().hex[:8]


def _card(citation: Citation, answer_id: str, related: bool = False) -> str:
    label = "" if related else f"<span class='num'>[{citation.id}]</span> "
    return (
        f"<div class='source' id='src-{answer_id}-{citation.id}'>"
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
