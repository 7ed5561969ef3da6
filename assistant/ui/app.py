"""The chat page: a Gradio front on the Assistant API, with no retrieval logic of its own.

Two tabs: Ask (the conversation, kept in the browser with a list of past ones) and
Articles (what the index holds, built afresh on every page load; upload and delete).
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answer.types import Draft
from assistant.config import Settings
from assistant.core import Assistant
from assistant.errors import AssistantError
from assistant.feedback import Feedback
from assistant.retrieve.followup import Turn
from assistant.ui import render
from assistant.ui.limits import QuestionLimit

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
# Words per streamed update: the answer appears as it is written, not all at once.
_STREAM_WORDS = 4


def build_app(assistant: Assistant) -> gr.Blocks:
    settings = assistant.settings
    limit = QuestionLimit(settings.question_limit)

    def respond(message: str, history: list[dict[str, Any]], request: gr.Request) -> Iterator[str]:
        refusal = limit.refusal(_session(request))
        if refusal:
            yield render.error_message(refusal)
            return
        answer, drafted = None, False
        try:
            for event in assistant.stream(message, history=_turns(history)):
                if isinstance(event, Draft):
                    drafted = True
                    yield render.draft_message(event)
                else:
                    answer = event
        except AssistantError as error:
            yield render.error_message(error.public)
            return
        except Exception:
            log.exception("answering failed")
            yield render.error_message("Something went wrong while answering; please try again.")
            return
        assert answer is not None
        if not drafted:  # the extractive answer comes whole: show it as it would be written
            for words in range(_STREAM_WORDS, len(answer.text.split(" ")), _STREAM_WORDS):
                yield render.streamed_words(answer, words)
        yield render.answer_message(answer)

    def rate(history: list[dict[str, Any]], like: gr.LikeData) -> None:
        """Keep a thumbs up or down with the question it answered (for the evals)."""
        index = like.index if isinstance(like.index, int) else like.index[0]
        if like.liked is None or not 0 <= index < len(history):
            return  # a rating taken back
        questions = [
            render.plain_text(m["content"]) for m in history[:index] if m["role"] == "user"
        ]
        if not questions:
            return
        assistant.record_feedback(
            Feedback(
                question=questions[-1],
                history=questions[:-1],
                answer=render.plain_text(history[index]["content"]),
                sources=render.cited_files(history[index]["content"]),
                rating="up" if like.liked is True or like.liked == "Like" else "down",
            )
        )
        gr.Info("Thanks: your rating was kept with the answer.")

    def export(history: list[dict[str, Any]]) -> Any:
        if not history:
            gr.Info("Nothing to export yet: ask a question first.")
            return gr.File(visible=False)
        path = Path(tempfile.mkdtemp(prefix="conversation-")) / "conversation.md"
        path.write_text(render.conversation_markdown(history), encoding="utf-8")
        return gr.File(value=str(path), visible=True)

    def add_files(files: list[str] | None, progress: gr.Progress = gr.Progress()) -> str:  # noqa: B008
        if not files:
            return render.notice("Choose one or more .txt, .md or .html files first.")
        progress(0.1, desc=f"Indexing {len(files)} file(s)…")
        uploads = [(Path(path).name, Path(path).read_bytes()) for path in files]
        try:
            report = assistant.add_articles(uploads)
        except AssistantError as error:
            return render.notice(error.public)
        return render.upload_report(report, assistant.describe_corpus())

    def delete(source: str | None) -> str:
        if not source:
            return render.notice("Choose an article to delete first.")
        try:
            assistant.delete_article(source)
        except AssistantError as error:
            return render.notice(error.public)
        return render.notice(f"Deleted {source} from the index and the corpus folder.")

    def corpus_view(query: str | None) -> tuple[str, str, Any]:
        """The header, the article list and the delete choices, as the index holds them now."""
        articles = assistant.articles()
        choices = [(f"{a.title} ({a.source})", a.source) for a in articles]
        return (
            render.corpus_header(assistant.describe_corpus()),
            render.articles_table(articles, query or ""),
            gr.Dropdown(choices=choices, value=None),
        )

    with gr.Blocks(title="News assistant") as app:
        header = gr.HTML(elem_id="corpus-header")
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"):
                chat = gr.ChatInterface(
                    respond,
                    chatbot=gr.Chatbot(
                        elem_id="chat",
                        label="Conversation",
                        show_label=False,
                        height=600,
                        sanitize_html=True,
                        render_markdown=False,
                        buttons=[],  # Gradio's copy gives raw HTML: each answer has its own
                        feedback_options=("Like", "Dislike"),
                    ),
                    textbox=gr.Textbox(
                        placeholder="Ask about the articles…",
                        label="Your question",
                        show_label=False,
                        submit_btn="Ask",
                        stop_btn=False,
                    ),
                    examples=settings.examples,
                    api_name="chat",
                    concurrency_limit=4,
                    fill_height=False,
                    show_progress="hidden",
                    save_history=True,
                )
                # Conversations are encrypted in the browser with a key kept beside the index,
                # under a name of their own, so they are found again after a restart.
                chat.saved_conversations.secret = _browser_key(settings)
                chat.saved_conversations.storage_key = "news-assistant-conversations"
                with gr.Row():
                    copy_all = gr.Button("Copy conversation", size="sm", elem_id="copy-all")
                    export_button = gr.Button("Export as Markdown", size="sm", elem_id="export")
                conversation_text = gr.Textbox(visible=False)
                exported = gr.File(
                    label="Exported conversation",
                    interactive=False,
                    visible=False,
                    elem_id="exported",
                )
            with gr.Tab("Articles", id="articles"):
                query = gr.Textbox(
                    label="Filter articles", placeholder="Words of a title or file name"
                )
                table = gr.HTML(elem_id="articles")
                with gr.Accordion("Add articles", open=True):
                    files = gr.File(
                        file_count="multiple",
                        file_types=[".txt", ".md", ".html", ".htm"],
                        label="Articles (.txt, .md, .html)",
                    )
                    add = gr.Button("Add to the corpus", variant="primary")
                    upload_status = gr.HTML(elem_id="upload-status")
                with gr.Accordion("Delete an article", open=False):
                    doomed = gr.Dropdown(label="Article", choices=[], elem_id="delete-choice")
                    ask_delete = gr.Button("Delete…", variant="secondary", elem_id="delete")
                    with gr.Group(visible=False) as confirm_box:
                        confirm_text = gr.HTML()
                        with gr.Row():
                            confirm = gr.Button(
                                "Delete for good", variant="stop", elem_id="delete-confirm"
                            )
                            cancel = gr.Button("Cancel", elem_id="delete-cancel")
                    delete_status = gr.HTML(elem_id="delete-status")

        corpus_outputs = [header, table, doomed]
        app.load(corpus_view, [query], corpus_outputs)
        query.change(corpus_view, [query], corpus_outputs, show_progress="hidden")

        # A reload reopens the latest conversation (ChatInterface keeps them in the browser).
        app.load(
            lambda saved: (0, saved[0]) if saved else (None, []),
            [chat.saved_conversations],
            [chat.conversation_id, chat.chatbot],
        ).then(lambda history: history, [chat.chatbot], [chat.chatbot_state])
        chat.chatbot.like(rate, [chat.chatbot], None)
        copy_all.click(
            render.conversation_markdown, [chat.chatbot], [conversation_text], api_name=False
        ).then(None, [conversation_text], None, js="(text) => window.newsAssistant.copyText(text)")
        export_button.click(export, [chat.chatbot], [exported], api_name=False)

        add.click(
            add_files, [files], [upload_status], api_name="add_articles", concurrency_limit=1
        ).then(lambda: None, None, [files]).then(corpus_view, [query], corpus_outputs)
        ask_delete.click(
            lambda source: (
                gr.Group(visible=bool(source)),
                render.notice(
                    f"Delete {source}? It leaves the index, and its file leaves the corpus folder."
                    if source
                    else "Choose an article to delete first."
                ),
            ),
            [doomed],
            [confirm_box, confirm_text],
            api_name=False,
        )
        cancel.click(lambda: gr.Group(visible=False), None, [confirm_box], api_name=False)
        confirm.click(
            delete, [doomed], [delete_status], api_name="delete_article", concurrency_limit=1
        ).then(lambda: gr.Group(visible=False), None, [confirm_box]).then(
            corpus_view, [query], corpus_outputs
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
        css_paths=[STATIC / "page.css"],
        head=f"<script>{(STATIC / 'page.js').read_text(encoding='utf-8')}</script>",
        max_file_size=settings.max_upload_bytes,
        show_error=False,
        footer_links=["api"],
        prevent_thread_lock=not block,
        quiet=not block,
    )
    return app


def _browser_key(settings: Settings) -> str:
    path = settings.browser_key_path
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(24)
        with contextlib.suppress(FileExistsError):  # another server wrote one first: use it
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(key)
        return path.read_text(encoding="utf-8").strip()


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
        text = render.plain_text(message.get("content"))
        if message.get("role") == "user":
            question = text
        elif question is not None:
            turns.append((question, text))
            question = None
    return turns
