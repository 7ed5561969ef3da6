"""The one Python API under the command line and the chat page."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.answer.types import Answer, Answerer, Draft, QuotingAnswerer
from assistant.config import Settings
from assistant.errors import AssistantError, BadQuestion, EmptyCorpus
from assistant.feedback import Feedback, FeedbackLog
from assistant.index.store import IndexStore
from assistant.ingest.pipeline import Ingestor, IngestReport
from assistant.ingest.readers import SkippedFile
from assistant.ingest.uploads import save_upload
from assistant.retrieve.followup import Turn

if TYPE_CHECKING:
    from assistant.answer.scorer import AnswerScorer
    from assistant.retrieve.hybrid import HybridRetriever


@dataclass(frozen=True)
class CorpusInfo:
    articles: int
    chunks: int
    titles: dict[str, str]  # source file -> title
    indexed_at: str | None


@dataclass(frozen=True)
class ArticleInfo:
    source: str  # the file, relative to the corpus folder
    title: str
    chunks: int | None  # None in an index built before chunks were counted per article
    published: str | None  # the article's own dateline, if it has one
    added: datetime | None  # when the file was last changed, if it is in the corpus folder


@dataclass
class UploadReport:
    """What became of each uploaded file, by the name it was uploaded as."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # already there, word for word
    renamed: dict[str, str] = field(default_factory=dict)  # uploaded name -> saved name
    refused: list[SkippedFile] = field(default_factory=list)


class Assistant:
    """Ask questions about the indexed articles; keep the index in line with the corpus.

    >>> assistant = Assistant()
    >>> answer = assistant.ask("Which cities were proposed for the summit?")
    >>> answer.text, [c.source for c in answer.citations]
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.store = IndexStore(self.settings)
        self._lock = threading.Lock()
        self._loaded_version: float | None = None
        self._retriever: HybridRetriever | None = None
        self._answerer: Answerer | None = None
        self._scorer: AnswerScorer | None = None  # kept across index reloads
        self.feedback = FeedbackLog(self.settings.feedback_path)

    def ingest(
        self,
        paths: Sequence[Path] | None = None,
        *,
        rebuild: bool = False,
        show_progress: bool = False,
    ) -> IngestReport:
        with self._lock:
            report = Ingestor(self.settings, self.store).run(
                paths, rebuild=rebuild, show_progress=show_progress
            )
            self._loaded_version = None  # the next question reloads what changed
            return report

    def add_articles(self, uploads: Sequence[tuple[str, bytes]]) -> UploadReport:
        """Save uploaded articles into the corpus folder and make them answerable at once."""
        upload = UploadReport()
        # Uploads are saved at the top of the corpus folder: a file's name is its article id.
        saved: dict[str, str] = {}  # saved name -> uploaded name
        for name, data in uploads:
            result = save_upload(
                name, data, self.settings.corpus_dir, self.settings.max_upload_bytes
            )
            if isinstance(result, SkippedFile):
                upload.refused.append(result)
                continue
            if result.name != name:
                upload.renamed[name] = result.name
            saved[result.name] = name
        if not saved:
            return upload
        report = self.ingest([self.settings.corpus_dir / saved_name for saved_name in saved])
        for doc_ids, names in (
            (report.added, upload.added),
            (report.updated, upload.updated),
            (report.unchanged, upload.unchanged),
        ):
            names.extend(saved[doc_id] for doc_id in doc_ids if doc_id in saved)
        upload.refused.extend(report.skipped)
        return upload

    def describe_corpus(self) -> CorpusInfo:
        """What the index holds: article titles and when it was last built."""
        manifest = self.store.read_manifest()
        if manifest is None:
            return CorpusInfo(articles=0, chunks=0, titles={}, indexed_at=None)
        return CorpusInfo(manifest.articles, manifest.chunks, manifest.titles, manifest.built_at)

    def articles(self) -> list[ArticleInfo]:
        """Every indexed article, by title."""
        manifest = self.store.read_manifest()
        if manifest is None:
            return []
        found = []
        for source, title in manifest.titles.items():
            try:
                changed = (self.settings.corpus_dir / source).stat().st_mtime
                added: datetime | None = datetime.fromtimestamp(changed, UTC)
            except OSError:
                added = None
            found.append(
                ArticleInfo(
                    source=source,
                    title=title or source,
                    chunks=manifest.chunk_counts.get(source),
                    published=manifest.published.get(source),
                    added=added,
                )
            )
        return sorted(found, key=lambda article: (article.title.lower(), article.source))

    def delete_article(self, source: str) -> IngestReport:
        """Remove an article from the corpus folder and from the index."""
        if source not in self.describe_corpus().titles:
            raise AssistantError(f"There is no article {source!r} in the index.")
        corpus = self.settings.corpus_dir.resolve()
        path = (corpus / source).resolve()
        if not path.is_relative_to(corpus):  # an index entry never names a file outside
            raise AssistantError(f"{source!r} is not a file of the corpus folder.")
        path.unlink(missing_ok=True)
        try:
            # The folder is the truth: syncing with it takes the article out of the index.
            return self.ingest()
        except EmptyCorpus:  # that was the last one
            with self._lock:
                self.store.reset()
                self._loaded_version = None
            return IngestReport(removed=[source])

    def record_feedback(self, feedback: Feedback) -> None:
        """Keep a reader's rating of an answer (see `assistant eval --from-feedback`)."""
        self.feedback.record(feedback)

    def ask(self, question: str, history: Sequence[Turn] | None = None) -> Answer:
        *_, answer = self.stream(question, history)
        assert isinstance(answer, Answer)  # the stream always ends with one
        return answer

    def stream(
        self, question: str, history: Sequence[Turn] | None = None
    ) -> Iterator[Draft | Answer]:
        """Drafts as a model writes (none for the extractive answerer), then the Answer."""
        started = time.perf_counter()
        question, notices = self._checked(question)
        retriever, answerer = self._components()
        loaded = time.perf_counter()
        standalone = answerer.condense(question, history)
        retrieval = retriever.run(standalone)
        retrieved = time.perf_counter()
        for event in answerer.stream(standalone, retrieval):
            if isinstance(event, Draft):
                yield event
                continue
            answered = time.perf_counter()
            event.question = question
            event.interpreted_as = standalone if standalone != question else None
            event.notices = notices + event.notices
            event.timings = {
                "load": loaded - started,
                "retrieve": retrieved - loaded,
                "answer": answered - retrieved,
                "total": answered - started,
            }
            yield event

    def warm_up(self) -> None:
        """Load the index and models now rather than on the first question."""
        with contextlib.suppress(AssistantError):  # the first question will report it
            _, answerer = self._components()
            answerer.warm_up()

    def _checked(self, question: str) -> tuple[str, list[str]]:
        question = " ".join(question.split())
        if not question:
            raise BadQuestion("Please type a question: this one is empty.")
        limit = self.settings.max_question_chars
        if len(question) <= limit:
            return question, []
        return question[:limit], [
            f"Your question was {len(question):,} characters long; "
            f"only its first {limit:,} were used."
        ]

    def _components(self) -> tuple[HybridRetriever, Answerer]:
        """Load the retriever once, and again whenever an ingest has changed the index."""
        from assistant.retrieve.hybrid import HybridRetriever

        with self._lock:
            version = self._index_version()
            if self._retriever is None or version != self._loaded_version:
                self.store.check_ready()
                self._retriever = HybridRetriever(self.settings, self.store)
                self._answerer = self._build_answerer(self._retriever)
                self._loaded_version = version
            assert self._answerer is not None
            return self._retriever, self._answerer

    def _build_answerer(self, retriever: HybridRetriever) -> Answerer:
        from assistant.answer.generative import GenerativeAnswerer
        from assistant.answer.policy import AnswerPolicy

        settings = self.settings
        overrides: dict[str, float | int] = {"max_sentences": settings.max_answer_sentences}
        if settings.min_confidence is not None:
            overrides["min_confidence"] = settings.min_confidence
        policy = AnswerPolicy(**overrides)
        quoting: QuotingAnswerer
        if settings.scorer == "learned":
            from assistant.answer.extractive import ExtractiveAnswerer
            from assistant.answer.scorer import CARD, AnswerScorer

            if not (settings.answer_model_dir / CARD).exists():
                raise AssistantError(
                    f"The learned scorer has no models in {settings.answer_model_dir}: "
                    "run `assistant train` (see README, 'Answer cores'), or use "
                    "--scorer heuristic."
                )
            if self._scorer is None:
                self._scorer = AnswerScorer(settings.answer_model_dir)
            policy = replace(self._scorer.policy, **overrides)
            quoting = ExtractiveAnswerer(self._scorer, retriever.vocabulary, policy)
        else:
            from assistant.answer.heuristic.extractive import HeuristicAnswerer
            from assistant.answer.heuristic.policy import HeuristicPolicy

            quoting = HeuristicAnswerer(
                retriever.embed_model,
                retriever.vocabulary,
                HeuristicPolicy(max_sentences=settings.max_answer_sentences),
            )
        if settings.llm == "extractive":
            return quoting
        return GenerativeAnswerer(settings, quoting, retriever.embed_model)

    def _index_version(self) -> float | None:
        try:
            return self.settings.manifest_path.stat().st_mtime_ns
        except FileNotFoundError:
            return None
