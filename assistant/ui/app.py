"""The chat page: a Gradio front on the Assistant API, with no retrieval logic of its own."""

from __future__ import annotations

import html
import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answer.types import Draft
from assistant.core import Assistant
from assistant.errors import AssistantError
from assistant.retrieve.followup import Turn
from assistant.ui import render
from assistant.ui.limits import QuestionLimit

log = logging.getLogger(__name__)

CSS = """
.sources h3 { margin: 0 0 .5rem; }
.source { border: 1px solid var(--border-color-primary); border-radius: 8px;
          padding: .6rem .8rem; margin-bottom: .6rem; scroll-margin-top: 1rem; }
.source:target { outline: 3px solid var(--color-accent); }
.source-head { display: flex; gap: .5rem; align-items: baseline; flex-wrap: wrap; }
.source-head .num { font-weight: 700; color: var(--color-accent); }
.source-head .file { font-family: var(--font-mono); font-size: .8em; opacity: .7; }
.source blockquote { margin: .4rem 0 0; font-size: .92em; line-height: 1.45; }
.source mark { background: #fde68a; color: inherit; padding: 0 .1em; }
.related .source { opacity: .85; border-style: dashed; }
.hint { opacity: .75; font-size: .9em; }
a.cite { text-decoration: none; font-weight: 600; font-size: .85em; vertical-align: super; }
.abstain { font-style: italic; }
.pending { opacity: .55; font-style: italic; }
.unsupported { margin-top: .5rem; font-size: .85em; opacity: .8; }
"""
# Words per streamed update: the answer appears as it is written, not all at once.
_STREAM_WORDS = 4


def build_app(assistant: Assistant) -> gr.Blocks:
    settings = assistant.settings
    limit = QuestionLimit(settings.question_limit)

    def respond(
        message: str, history: list[dict[str, Any]], request: gr.Request
    ) -> Iterator[tuple[str, Any]]:
        refusal = limit.refusal(_session(request))
        if refusal:
            yield refusal, gr.skip()
            return
        # The panel keeps the previous answer's sources until this one is complete.
        answer, drafted = None, False
        try:
            for event in assistant.stream(message, history=_turns(history)):
                if isinstance(event, Draft):
                    drafted = True
                    yield render.draft_message(event), gr.skip()
                else:
                    answer = event
        except AssistantError as error:
            yield render.escape_text(error.public), render.empty_panel()
            return
        except Exception:
            log.exception("answering failed")
            yield "Something went wrong while answering; please try again.", render.empty_panel()
            return
        assert answer is not None
        answer_id = render.new_answer_id()
        if not drafted:  # the extractive answer comes whole: show it as it would be written
            words = answer.text.split(" ")
            for end in range(_STREAM_WORDS, len(words), _STREAM_WORDS):
                yield render.escape_text(" ".join(words[:end])), gr.skip()
        yield render.answer_message(answer, answer_id), render.sources_panel(answer, answer_id)

    def add_files(files: list[str] | None) -> tuple[str, str, None]:
        if not files:
            return "Choose one or more .txt, .md or .html files first.", _header(assistant), None
        uploads = [(Path(path).name, Path(path).read_bytes()) for path in files]
        try:
            report = assistant.add_articles(uploads)
        except AssistantError as error:
            return html.escape(error.public), _header(assistant), None
        lines = [
            f"Added {len(report.added)}, updated {len(report.updated)} "
            f"({report.chunks} chunks in the index)."
        ]
        lines += [
            f"⚠️ {html.escape(skipped.path.name)} {html.escape(skipped.reason)}"
            for skipped in report.skipped
        ]
        return "<br>".join(lines), _header(assistant), None

    sources = gr.HTML(render.empty_panel(), elem_id="sources", render=False)
    with gr.Blocks(title="News assistant") as app:
        header = gr.HTML(_header(assistant), elem_id="corpus-header")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                gr.ChatInterface(
                    respond,
                    chatbot=gr.Chatbot(
                        elem_id="chat", height=560, sanitize_html=True, render_markdown=True
                    ),
                    textbox=gr.Textbox(placeholder="Ask about the articles…"),
                    additional_outputs=[sources],
                    examples=settings.examples,
                    api_name="chat",
                    concurrency_limit=4,
                    fill_height=False,
                    show_progress="hidden",
                )
            with gr.Column(scale=2):
                sources.render()
                with gr.Accordion("Add articles", open=False):
                    files = gr.File(
                        file_count="multiple",
                        file_types=[".txt", ".md", ".html", ".htm"],
                        label="Articles (.txt, .md, .html)",
                    )
                    add = gr.Button("Add to the corpus", variant="secondary")
                    status = gr.HTML(elem_id="upload-status")
        add.click(
            add_files,
            [files],
            [status, header, files],
            api_name="add_articles",
            concurrency_limit=1,
        )

        def ask(question: str, request: gr.Request) -> dict[str, Any]:
            """The answer as the CLI's JSON: for scripts that want plain text and citations."""
            refusal = limit.refusal(_session(request))
            if refusal:
                return {"question": question, "error": refusal}
            try:
                return assistant.ask(question).to_json()
            except AssistantError as error:
                return {"question": question, "error": error.public}

        gr.api(ask, api_name="ask", concurrency_limit=4)
    return app


def serve(assistant: Assistant, share: bool = False, block: bool = True) -> gr.Blocks:
    """Bring the index up to date, then serve the page (until interrupted, if `block`)."""
    report = assistant.ingest(show_progress=block and sys.stderr.isatty())
    print(report.summary(), flush=True)
    # Load the models while Gradio starts, so the first question does not wait for them.
    threading.Thread(target=assistant.warm_up, name="warm-up", daemon=True).start()
    settings = assistant.settings
    auth = tuple(settings.auth.split(":", 1)) if settings.auth else None
    app = build_app(assistant).queue(default_concurrency_limit=4)
    app.launch(
        server_name=settings.host,
        server_port=settings.port,
        share=share,
        auth=auth,
        css=CSS,
        max_file_size=settings.max_upload_bytes,
        show_error=False,
        footer_links=["api"],
        prevent_thread_lock=not block,
        quiet=not block,
    )
    return app


def _header(assistant: Assistant) -> str:
    info = assistant.describe_corpus()
    if not info.articles:
        return "<h2>News assistant</h2><p>No articles indexed yet.</p>"
    titles = "".join(f"<li>{html.escape(title)}</li>" for title in info.titles.values())
    return (
        "<h2>News assistant</h2>"
        f"<p>Answers come only from the <strong>{info.articles} articles</strong> below "
        f"(indexed {html.escape(info.indexed_at or '')}), each claim cited to its passage.</p>"
        f"<details><summary>Articles</summary><ul>{titles}</ul></details>"
    )


def _session(request: gr.Request | None) -> str:
    """One visitor's key: Gradio's session, or the client's address for bare API calls."""
    if request is None:
        return "local"
    return request.session_hash or (request.client.host if request.client else "unknown")


def _turns(history: list[dict[str, Any]]) -> list[Turn]:
    """(question, answer text) pairs from Gradio's message history."""
    turns: list[Turn] = []
    question = None
    for message in history:
        text = _plain(message.get("content"))
        if message.get("role") == "user":
            question = text
        elif question is not None:
            turns.append((question, text))
            question = None
    return turns


def _plain(content: Any) -> str:
    if isinstance(content, list):
        content = " ".join(
            part.get("text", "") if isinstance(part, dict) else str(part) for part in content
        )
    if not isinstance(content, str):
        return ""
    from bs4 import BeautifulSoup

    return BeautifulSoup(content, "html.parser").get_text(" ").replace("\\", "")
