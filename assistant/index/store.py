"""Where the index lives: the Chroma collection, the ingest docstore, BM25 and a manifest.

Everything is written so that a reader never sees half a file: JSON goes to a temporary
file that replaces the old one, and the BM25 folder is swapped in whole.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.errors import ChromaUnreachable, IndexDamaged, IndexMissing

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from llama_index.core.schema import BaseNode, TextNode
    from llama_index.core.storage.docstore import SimpleDocumentStore
    from llama_index.retrievers.bm25 import BM25Retriever
    from llama_index.vector_stores.chroma import ChromaVectorStore

MANIFEST_FORMAT = 1
# How the keyword index reads words into stems (language/words.py): an index built with
# another is brought up to date by the next ingest, which rebuilds only BM25. 2: irregular
# verbs read as their base ("won" as "win").
KEYWORDS_FORMAT = 2
_FETCH_BATCH = 5000


@dataclass(frozen=True)
class Manifest:
    """What the index was built with, so a mismatch is caught instead of answered from."""

    format: int
    embed_model: str
    chunk_size: int
    chunk_overlap: int
    articles: int
    chunks: int
    built_at: str
    titles: dict[str, str] = field(default_factory=dict)  # source file -> title
    # Per article, for the page's article list (absent from indexes built before them).
    chunk_counts: dict[str, int] = field(default_factory=dict)
    published: dict[str, str] = field(default_factory=dict)  # source file -> dateline
    keywords: int = 1  # KEYWORDS_FORMAT when built (1 for indexes older than the field)

    @classmethod
    def for_settings(cls, settings: Settings, nodes: Sequence[BaseNode]) -> Manifest:
        titles: dict[str, str] = {}
        counts: Counter[str] = Counter()
        published: dict[str, str] = {}
        for node in nodes:
            source = node.metadata["source"]
            titles[source] = node.metadata.get("title", "")
            counts[source] += 1
            if node.metadata.get("published"):
                published[source] = node.metadata["published"]
        return cls(
            format=MANIFEST_FORMAT,
            embed_model=settings.embed_model_id,
            chunk_size=settings.chunk_size,
            chunk_overlap=settings.chunk_overlap,
            articles=len(titles),
            chunks=len(nodes),
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
            titles=dict(sorted(titles.items())),
            chunk_counts=dict(sorted(counts.items())),
            published=dict(sorted(published.items())),
            keywords=KEYWORDS_FORMAT,
        )

    def matches(self, settings: Settings) -> bool:
        return (self.format, self.embed_model, self.chunk_size, self.chunk_overlap) == (
            MANIFEST_FORMAT,
            settings.embed_model_id,
            settings.chunk_size,
            settings.chunk_overlap,
        )


class IndexStore:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    # --- Chroma -------------------------------------------------------------------------

    @cached_property
    def client(self) -> ClientAPI:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
        if self.settings.chroma_url:
            from urllib.parse import urlparse

            url = urlparse(self.settings.chroma_url)
            try:
                return chromadb.HttpClient(
                    host=url.hostname or "127.0.0.1",
                    port=url.port or 8000,
                    ssl=url.scheme == "https",
                    settings=chroma_settings,
                )
            except ValueError as error:  # chromadb's word for "nothing answered"
                raise ChromaUnreachable(
                    f"Cannot reach the Chroma server at {self.settings.chroma_url}: start it "
                    "with `chroma run --path DIR --port PORT`, or unset ASSISTANT_CHROMA_URL "
                    "to use the local index.",
                    public="The assistant's Chroma server cannot be reached; try again later.",
                ) from error
        self.settings.chroma_path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(
            path=str(self.settings.chroma_path), settings=chroma_settings
        )

    @cached_property
    def collection(self) -> Collection:
        return self.client.get_or_create_collection(
            self.settings.collection, metadata={"hnsw:space": "cosine"}
        )

    @cached_property
    def vector_store(self) -> ChromaVectorStore:
        from llama_index.vector_stores.chroma import ChromaVectorStore

        return ChromaVectorStore(chroma_collection=self.collection)

    def nodes(self) -> list[TextNode]:
        """Every chunk in the collection, in a stable order."""
        from llama_index.core.vector_stores.utils import metadata_dict_to_node

        found: list[TextNode] = []
        offset = 0
        while True:
            batch = self.collection.get(
                include=["documents", "metadatas"], limit=_FETCH_BATCH, offset=offset
            )
            for text, metadata in zip(batch["documents"], batch["metadatas"], strict=True):
                node = metadata_dict_to_node(metadata, text=text)
                found.append(node)
            if len(batch["ids"]) < _FETCH_BATCH:
                break
            offset += _FETCH_BATCH
        return sorted(found, key=lambda node: node.node_id)

    def chunk_sources(self) -> Iterator[tuple[str, str, str | None]]:
        """(chunk id, article id, hash of the article version it was cut from) for every
        chunk: what an interrupted ingest is reconciled against."""
        offset = 0
        while True:
            batch = self.collection.get(include=["metadatas"], limit=_FETCH_BATCH, offset=offset)
            for chunk_id, metadata in zip(batch["ids"], batch["metadatas"], strict=True):
                metadata = metadata or {}
                try:
                    source = json.loads(metadata["_node_content"])["relationships"]["1"]
                    version = source.get("hash")
                except (KeyError, TypeError, ValueError):
                    version = None
                yield chunk_id, str(metadata.get("ref_doc_id", "")), version
            if len(batch["ids"]) < _FETCH_BATCH:
                break
            offset += _FETCH_BATCH

    def delete_chunks(self, chunk_ids: list[str]) -> None:
        for start in range(0, len(chunk_ids), _FETCH_BATCH):
            self.collection.delete(ids=chunk_ids[start : start + _FETCH_BATCH])

    # --- one ingest at a time, and a record of one that did not finish --------------------

    @contextmanager
    def ingest_lock(self) -> Iterator[None]:
        """Held for a whole ingest, so two processes never write the index at once. The
        operating system releases it if the process dies, however it dies."""
        from filelock import FileLock, Timeout

        self.settings.index_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.settings.lock_path)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            print("Another ingest is updating this index; waiting for it…", file=sys.stderr)
            lock.acquire()
        try:
            yield
        finally:
            lock.release()

    def interrupted(self) -> bool:
        return self.settings.journal_path.exists()

    def begin_changes(self) -> None:
        self.settings.journal_path.touch()

    def end_changes(self) -> None:
        self.settings.journal_path.unlink(missing_ok=True)

    # --- docstore, BM25, manifest -------------------------------------------------------

    def load_docstore(self) -> SimpleDocumentStore:
        from llama_index.core.storage.docstore import SimpleDocumentStore

        path = self.settings.docstore_path
        if not path.exists():
            return SimpleDocumentStore()
        try:
            return SimpleDocumentStore.from_persist_path(str(path))
        except (ValueError, KeyError, json.JSONDecodeError) as error:
            raise self._damaged(f"its ingest record is unreadable ({error})") from error

    def save_docstore(self, docstore: SimpleDocumentStore) -> None:
        with _replacing(self.settings.docstore_path) as tmp:
            docstore.persist(str(tmp))

    def save_bm25(self, retriever: BM25Retriever) -> None:
        target = self.settings.bm25_path
        staging = target.with_name(target.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        retriever.persist(str(staging), show_progress=False)
        retired = target.with_name(target.name + ".old")
        shutil.rmtree(retired, ignore_errors=True)
        if target.exists():
            target.rename(retired)
        staging.rename(target)
        shutil.rmtree(retired, ignore_errors=True)

    def load_bm25(self) -> BM25Retriever:
        from llama_index.retrievers.bm25 import BM25Retriever

        try:
            return BM25Retriever.from_persist_dir(str(self.settings.bm25_path), show_progress=False)
        except Exception as error:  # bm25s raises many kinds on a damaged folder
            raise self._damaged(f"its keyword index cannot be loaded ({error})") from error

    def read_file_records(self) -> dict[str, list]:
        """doc id -> [size, mtime_ns, content hash] of each file when it was last ingested:
        a file whose size and time are unchanged is not read again."""
        path = self.settings.index_dir / "files.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # only a shortcut: without it every file is read and hashed

    def write_file_records(self, records: dict[str, list]) -> None:
        with _replacing(self.settings.index_dir / "files.json") as tmp:
            tmp.write_text(json.dumps(records), encoding="utf-8")

    def read_manifest(self) -> Manifest | None:
        path = self.settings.manifest_path
        if not path.exists():
            return None
        try:
            return Manifest(**json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, TypeError) as error:
            raise self._damaged("its manifest.json is unreadable") from error

    def write_manifest(self, manifest: Manifest) -> None:
        with _replacing(self.settings.manifest_path) as tmp:
            tmp.write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")

    # --- whole-index operations ---------------------------------------------------------

    def check_ready(self) -> Manifest:
        """The manifest of a complete, usable index, or an error that says what to do."""
        manifest = self.read_manifest()
        if manifest is None:
            raise IndexMissing(
                f"There is no index in {self.settings.index_dir} yet: "
                "run `assistant ingest` to build it from your articles.",
                public="There is no index yet: run `assistant ingest` on the server.",
            )
        if manifest.format != MANIFEST_FORMAT:
            raise self._damaged("it was built by another version of the assistant")
        if manifest.embed_model != self.settings.embed_model_id:
            raise IndexDamaged(
                f"The index in {self.settings.index_dir} holds vectors of "
                f"{manifest.embed_model}, but the settings ask for "
                f"{self.settings.embed_model_id}: run `assistant ingest` to rebuild it, "
                "or set ASSISTANT_EMBEDDING_PRECISION to what built it.",
                public="The index was built with another embedding model than the "
                "assistant's: run `assistant ingest` on the server to rebuild it.",
            )
        if not manifest.matches(self.settings):
            raise IndexDamaged(
                f"The index in {self.settings.index_dir} was cut into chunks of "
                f"{manifest.chunk_size} tokens (overlap {manifest.chunk_overlap}), but the "
                f"settings ask for {self.settings.chunk_size} ({self.settings.chunk_overlap}): "
                "run `assistant ingest` to rebuild it with these settings.",
                public="The index was built with other chunk settings than the assistant's: "
                "run `assistant ingest` on the server to rebuild it.",
            )
        if not self.settings.bm25_path.exists():
            raise self._damaged("its keyword index is missing")
        try:
            count = self.collection.count()
        except ChromaUnreachable:
            raise
        except Exception as error:  # Chroma raises its own and sqlite's errors here
            raise self._damaged(f"Chroma cannot open it ({error})") from error
        if count != manifest.chunks:
            raise self._damaged(
                f"it holds {count} chunks where its manifest records {manifest.chunks}"
            )
        return manifest

    def reset(self) -> None:
        """Forget everything, for a rebuild from scratch."""
        try:
            self.client.delete_collection(self.settings.collection)
        except Exception:  # absent, or a local store too damaged to open: start afresh
            if not self.settings.chroma_url:
                from chromadb.api.client import SharedSystemClient

                self.__dict__.pop("client", None)
                SharedSystemClient.clear_system_cache()
                shutil.rmtree(self.settings.chroma_path, ignore_errors=True)
        for cached in ("collection", "vector_store"):
            self.__dict__.pop(cached, None)
        for path in (
            self.settings.docstore_path,
            self.settings.manifest_path,
            self.settings.index_dir / "files.json",
            self.settings.journal_path,
        ):
            path.unlink(missing_ok=True)
        shutil.rmtree(self.settings.bm25_path, ignore_errors=True)

    def _damaged(self, reason: str) -> IndexDamaged:
        return IndexDamaged(
            f"The index in {self.settings.index_dir} is damaged: {reason}. "
            "Rebuild it with `assistant ingest --rebuild`.",
            public="The index is damaged: run `assistant ingest --rebuild` on the server.",
        )


class _replacing:
    """Context manager yielding a temporary path that replaces `target` on success."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __enter__(self) -> Path:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=self.target.name, dir=self.target.parent)
        os.close(fd)
        self.tmp = Path(name)
        return self.tmp

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        if exc_type is None:
            os.replace(self.tmp, self.target)
        else:
            self.tmp.unlink(missing_ok=True)
