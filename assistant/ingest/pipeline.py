"""Bring the index in line with the articles: read, clean, chunk, embed, store.

llama-index's IngestionPipeline does the bookkeeping: a persisted docstore keeps one
content hash per article id, so an unchanged article costs nothing, a changed one has its
chunks replaced and (when syncing the whole corpus) a deleted one has them removed.

A crash at any point loses nothing: one ingest runs at a time (a lock the operating
system drops when its holder dies), and a journal file marks an ingest under way. The
next ingest that finds the journal reconciles Chroma with the docstore before anything
else: chunks of articles the docstore does not know, or of another version of the
article than it records, are deleted, and their articles ingested again.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llama_index.core.schema import BaseNode, TransformComponent
from tqdm import tqdm

from assistant.config import Settings
from assistant.errors import EmptyCorpus, IndexDamaged
from assistant.index.embedding import embed_model_for
from assistant.index.store import KEYWORDS_FORMAT, IndexStore, Manifest
from assistant.ingest.cleaning import ArticleCleaner
from assistant.ingest.readers import (
    RawArticle,
    SkippedFile,
    document_id,
    find_article_files,
    read_article,
)
from assistant.ingest.sentences import SentenceSpans
from assistant.language import sentences
from assistant.language.words import KeywordStemmer

if TYPE_CHECKING:
    from llama_index.core import Document
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.core.storage.docstore import SimpleDocumentStore

# Shown to the embedder and BM25 with each chunk; the file name is not (its words would
# match every chunk of the article).
_EMBEDDED_METADATA = ("title",)
_DOCUMENTS_PER_BATCH = 100


@dataclass
class IngestReport:
    articles: int = 0
    chunks: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    seconds: float = 0.0
    # Where the seconds went, stage by stage (`assistant bench` reports the shares).
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        return (
            f"{self.articles} articles, {self.chunks} chunks: {len(self.added)} added, "
            f"{len(self.updated)} updated, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped "
            f"in {self.seconds:.1f} s"
        )


class StageClock:
    """Adds up seconds per stage. A stage timed inside another is charged to itself
    alone, so no second is counted twice and the stages never add up to more than the
    whole."""

    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds
        self._open: list[list[Any]] = []  # [stage, since when it is charged], innermost last

    @contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        self._charge_innermost()
        self._open.append([stage, time.perf_counter()])
        try:
            yield
        finally:
            self._charge_innermost()
            self._open.pop()
            if self._open:
                self._open[-1][1] = time.perf_counter()  # the outer stage resumes

    def _charge_innermost(self) -> None:
        if self._open:
            stage, since = self._open[-1]
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - since


class TimedStep(TransformComponent):
    """One step of the ingestion pipeline, timed as a stage of its own."""

    stage: str
    step: TransformComponent
    clock: StageClock

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> Sequence[BaseNode]:
        with self.clock.timing(self.stage):
            return self.step(nodes, **kwargs)


class Ingestor:
    def __init__(self, settings: Settings, store: IndexStore | None = None) -> None:
        self.settings = settings
        self.store = store or IndexStore(settings)
        self.cleaner = ArticleCleaner()

    def run(
        self,
        paths: Sequence[Path] | None = None,
        *,
        rebuild: bool = False,
        show_progress: bool = False,
    ) -> IngestReport:
        """Sync the index with the corpus folder, or add/refresh just `paths`.

        Without `paths` the corpus folder is the truth: articles gone from it leave the
        index. With `paths`, those articles are added or refreshed and nothing is removed.
        """
        with self.store.ingest_lock():
            return self._run(paths, rebuild, show_progress)

    def _run(
        self, paths: Sequence[Path] | None, rebuild: bool, show_progress: bool
    ) -> IngestReport:
        from llama_index.core.ingestion import DocstoreStrategy, IngestionPipeline

        started = time.perf_counter()
        report = IngestReport()
        clock = StageClock(report.stages)
        syncing_corpus = not paths

        manifest = None if rebuild else self.store.read_manifest()
        interrupted = self.store.interrupted()
        if rebuild or (manifest is not None and not manifest.matches(self.settings)):
            # Chunks made with other settings cannot be mixed with new ones.
            self.store.reset()
        elif manifest is None and not interrupted and self.store.collection.count():
            raise IndexDamaged(
                f"The Chroma collection {self.settings.collection!r} in "
                f"{self.settings.chroma_url or self.settings.index_dir} was not built by this "
                "assistant. Rebuild it with `assistant ingest --rebuild` (which replaces it), "
                "or choose another ASSISTANT_COLLECTION or ASSISTANT_INDEX_DIR."
            )
        # An ingest into an empty collection holds every chunk it has when it ends, so
        # its keyword index is built from those, not read back from Chroma.
        starts_empty = self.store.collection.count() == 0
        written: list[BaseNode] = []
        docstore = self.store.load_docstore()
        if interrupted:
            self._reconcile(docstore)
        previous = {doc_id: h for h, doc_id in docstore.get_all_document_hashes().items()}
        records = self.store.read_file_records() if previous else {}

        with clock.timing("read"):
            documents, untouched, fingerprints = self._read(
                paths or [self.settings.corpus_dir], report, previous, records, clock
            )
        if syncing_corpus and not documents and not untouched:
            raise EmptyCorpus(
                f"No articles found in {self.settings.corpus_dir}: add .txt, .md or .html "
                "files there and run `assistant ingest` again."
            )
        report.unchanged.extend(untouched)
        for document in documents:
            known = previous.get(document.doc_id)
            bucket = (
                report.added
                if known is None
                else report.unchanged
                if known == document.hash
                else report.updated
            )
            bucket.append(document.doc_id)
        if syncing_corpus:
            current = {document.doc_id for document in documents} | set(untouched)
            report.removed = sorted(set(previous) - current)

        changed = set(report.added) | set(report.updated)
        if changed or report.removed:
            self.store.begin_changes()
        for doc_id in report.removed:
            self.store.vector_store.delete(doc_id)
            docstore.delete_document(doc_id, raise_error=False)
        if report.removed:
            self.store.save_docstore(docstore)
        pending = [document for document in documents if document.doc_id in changed]
        if pending:  # nothing changed: not even the embedding model is loaded
            with clock.timing("load models"):  # once per process
                embed_model = embed_model_for(self.settings)
                sentences.load()
            steps = {"split": self._splitter(), "sentences": SentenceSpans(), "embed": embed_model}
            pipeline = IngestionPipeline(
                transformations=[
                    TimedStep(stage=stage, step=step, clock=clock) for stage, step in steps.items()
                ],
                vector_store=self.store.vector_store,
                docstore=docstore,
                docstore_strategy=DocstoreStrategy.UPSERTS,
                disable_cache=True,
            )
            # In batches: Chroma takes a bounded number of vectors per call, and each
            # finished batch is recorded, so an interrupted ingest resumes where it stopped.
            batches = range(0, len(pending), _DOCUMENTS_PER_BATCH)
            for start in tqdm(batches, desc="Ingesting", unit="batch", disable=not show_progress):
                # Besides its steps, the pipeline writes to Chroma and updates the docstore.
                with clock.timing("write"):
                    # The docstore keeps each article's hash, not its text: the text is in
                    # Chroma, and a docstore that copied it was rewritten whole per batch.
                    chunks = pipeline.run(
                        documents=pending[start : start + _DOCUMENTS_PER_BATCH],
                        store_doc_text=False,
                    )
                if starts_empty:
                    for chunk in chunks:
                        chunk.embedding = None  # in Chroma now; 36,000 of them: half a gigabyte
                    written.extend(chunks)
                with clock.timing("save docstore"):
                    self.store.save_docstore(docstore)

        for document in documents:
            records[document.doc_id] = [*fingerprints[document.doc_id], document.hash]
        for doc_id in report.removed:
            records.pop(doc_id, None)
        self.store.write_file_records(records)

        report.articles = len(docstore.get_all_document_hashes())
        stale = (
            report.changed
            or interrupted
            or manifest is None
            or not self.settings.bm25_path.exists()
            # built by an earlier version, which read words into other stems
            or manifest.keywords != KEYWORDS_FORMAT
            # an earlier ingest stopped after storing chunks but before recording them
            or manifest.chunks != self.store.collection.count()
        )
        if stale:
            with clock.timing("bm25"):
                nodes = self._rebuild_keyword_index(written if starts_empty else None)
            report.chunks = len(nodes)
            self.store.write_manifest(Manifest.for_settings(self.settings, nodes))
        else:
            report.chunks = manifest.chunks
        self.store.end_changes()
        report.seconds = time.perf_counter() - started
        return report

    def _reconcile(self, docstore: SimpleDocumentStore) -> None:
        """After a crash: keep only chunks cut from the article versions the docstore
        records; an article with any other chunk is forgotten, to be ingested again."""
        recorded = {doc_id: h for h, doc_id in docstore.get_all_document_hashes().items()}
        chunks: dict[str, list[str]] = {}
        dirty: set[str] = set()
        for chunk_id, doc_id, version in self.store.chunk_sources():
            chunks.setdefault(doc_id, []).append(chunk_id)
            if recorded.get(doc_id) is None or version != recorded[doc_id]:
                dirty.add(doc_id)
        for doc_id in recorded:
            numbers = sorted(int(c.rsplit("#", 1)[-1]) for c in chunks.get(doc_id, []))
            if not numbers or numbers != list(range(len(numbers))):
                dirty.add(doc_id)  # a chunk is missing: none at all, or a gap in the numbers
        self.store.delete_chunks([c for doc_id in dirty for c in chunks.get(doc_id, [])])
        for doc_id in dirty:
            docstore.delete_document(doc_id, raise_error=False)
        self.store.save_docstore(docstore)

    def _read(
        self,
        paths: Sequence[Path],
        report: IngestReport,
        previous: dict[str, str],
        records: dict[str, list],
        clock: StageClock,
    ) -> tuple[list[Document], list[str], dict[str, list[int]]]:
        """Documents for the files that may have changed; the ids of those that can't have
        (same size and modification time as when last ingested); each file's fingerprint."""
        documents: list[Document] = []
        untouched: list[str] = []
        fingerprints: dict[str, list[int]] = {}
        for path in find_article_files(paths):
            doc_id = document_id(path, self.settings.corpus_dir)
            try:
                stat = path.stat()
                fingerprint = [stat.st_size, stat.st_mtime_ns]
            except OSError:
                fingerprint = None
            record = records.get(doc_id)
            if record and record[:2] == fingerprint and previous.get(doc_id) == record[2]:
                untouched.append(doc_id)
                continue
            article = read_article(path, self.settings.corpus_dir, self.settings.max_article_bytes)
            if isinstance(article, SkippedFile):
                report.skipped.append(article)
                continue
            with clock.timing("clean"):
                document = self._to_document(article)
            if document.text.strip():
                fingerprints[doc_id] = fingerprint or [0, 0]
                documents.append(document)
            else:
                report.skipped.append(SkippedFile(path, "has no article text"))
        return documents, untouched, fingerprints

    def _to_document(self, article: RawArticle) -> Document:
        from llama_index.core import Document

        clean = self.cleaner.run(article)
        metadata = {"source": article.doc_id, "title": self._fitting(clean.title)}
        if clean.byline:
            metadata["byline"] = clean.byline
        if clean.published:
            metadata["published"] = clean.published
        return Document(
            id_=article.doc_id,
            text=clean.text,
            metadata=metadata,
            excluded_embed_metadata_keys=[k for k in metadata if k not in _EMBEDDED_METADATA],
            excluded_llm_metadata_keys=[k for k in metadata if k not in _EMBEDDED_METADATA],
        )

    def _fitting(self, title: str) -> str:
        """The title within a quarter of a chunk: it travels with every chunk, and text in
        odd scripts can take several tokens a character."""
        from llama_index.core.utils import get_tokenizer

        tokens = get_tokenizer()
        while len(tokens(title)) > self.settings.chunk_size // 4 and len(title) > 8:
            title = title[: len(title) * 2 // 3].rstrip(" …") + "…"
        return title

    def _splitter(self) -> SentenceSplitter:
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.core.utils import get_tokenizer

        return SentenceSplitter(
            chunk_size=self.settings.chunk_size,
            chunk_overlap=self.settings.chunk_overlap,
            tokenizer=get_tokenizer(),  # tiktoken cl100k_base, from llama-index's own cache
            paragraph_separator="\n\n",
            # Stable chunk ids: a re-run after a crash overwrites rather than duplicates.
            id_func=lambda i, document: f"{document.doc_id}#{i}",
        )

    def _rebuild_keyword_index(self, every_chunk: list[BaseNode] | None) -> list[BaseNode]:
        """BM25 over every chunk in the collection: `every_chunk` when the caller holds
        them all, else read back from Chroma (at 6,000 articles, 4 of the rebuild's 6.4 s)."""
        from llama_index.retrievers.bm25 import BM25Retriever

        if every_chunk is None:
            nodes = self.store.nodes()
        else:
            nodes = sorted(every_chunk, key=lambda node: node.node_id)  # as store.nodes()
        if nodes:
            keywords = BM25Retriever.from_defaults(
                nodes=nodes, language="en", stemmer=KeywordStemmer()
            )
            self.store.save_bm25(keywords)
        return nodes
