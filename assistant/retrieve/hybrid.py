"""Hybrid retrieval: dense (Chroma) and BM25, fused by reciprocal rank, near-duplicates out."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from llama_index.core.schema import BaseNode, TransformComponent

from assistant.config import Settings
from assistant.index.embedding import embed_model_for
from assistant.index.store import IndexStore
from assistant.ingest.sentences import SENTENCE_SPANS_KEY
from assistant.language.text import differ_in_names
from assistant.retrieve.vocabulary import Vocabulary

if TYPE_CHECKING:
    from llama_index.core.schema import NodeWithScore

# Two passages sharing this much of their word trigrams say the same thing: keep the first.
NEAR_DUPLICATE_JACCARD = 0.6
_WORD = re.compile(r"\w+")


class _Unchanged(TransformComponent):
    """The transformation of an index that only reads. Given none, llama-index builds its
    default splitter, and with it a tokenizer (a quarter of a second) that nothing here uses."""

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> Sequence[BaseNode]:
        return nodes


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk of an article."""

    node_id: str
    text: str
    source: str
    title: str
    start_char: int | None
    end_char: int | None
    score: float
    # Sentence spans within `text`, recorded at ingest (None for an index made before).
    sentences: tuple[tuple[int, int], ...] | None = None
    published: str | None = None  # the article's dateline, when it had one
    # The article's text before the passage that names what the passage may call "the
    # bank": its opening chunk and the chunk just before the passage.
    lead_in: str = ""


@dataclass(frozen=True)
class Retrieval:
    passages: list[Passage]
    query_embedding: list[float]
    query_stems: list[str]  # content stems of the query, spelling mended


class HybridRetriever:
    def __init__(self, settings: Settings, store: IndexStore) -> None:
        from llama_index.core import VectorStoreIndex
        from llama_index.core.llms import MockLLM
        from llama_index.core.retrievers import QueryFusionRetriever
        from llama_index.core.retrievers.fusion_retriever import FUSION_MODES

        self.settings = settings
        self.embed_model = embed_model_for(settings)
        dense = VectorStoreIndex.from_vector_store(
            store.vector_store, embed_model=self.embed_model, transformations=[_Unchanged()]
        ).as_retriever(similarity_top_k=settings.candidate_k)
        keyword = store.load_bm25()
        # The chunks as they were when this index version was recorded. Another process may
        # be ingesting into Chroma right now; every passage is taken from this snapshot, so
        # an answer sees an article as it was or as it is, never half of each.
        self._snapshot = {entry["node_id"]: entry for entry in keyword.corpus}
        # The snapshot's texts, each read from its JSON when first needed.
        self._texts: dict[str, str | None] = {}
        keyword.similarity_top_k = min(settings.candidate_k, int(keyword.bm25.scores["num_docs"]))
        self.vocabulary = Vocabulary(keyword.bm25)
        self._fusion = QueryFusionRetriever(
            [dense, keyword],
            mode=FUSION_MODES.RECIPROCAL_RANK,
            num_queries=1,  # no generated query variants, so the LLM below is never called
            llm=MockLLM(),
            use_async=False,
            similarity_top_k=settings.candidate_k,
        )

    def run(self, query: str) -> Retrieval:
        from llama_index.core.schema import QueryBundle

        embedding = self.embed_model.get_query_embedding(query)
        stems = self.vocabulary.query_stems(query)
        # BM25 reads the spelling-mended stems; the dense side keeps the user's own words.
        bundle = QueryBundle(query_str=" ".join(stems) or query, embedding=embedding)
        ranked = [self._as_recorded(hit) for hit in self._fusion.retrieve(bundle)]
        passages = _without_near_duplicates(
            [hit for hit in ranked if hit is not None], self.settings.top_k
        )
        passages = [
            replace(passage, lead_in=self._lead_in(passage.node_id)) for passage in passages
        ]
        return Retrieval(passages, embedding, stems)

    def _lead_in(self, node_id: str) -> str:
        """The article's opening chunk and the chunk before this one, as this index
        version recorded them: news names a thing in full when it first mentions it ("the
        Eastmere Savings Bank") and later only in short ("the bank")."""
        article, _, number = node_id.rpartition("#")
        if not number.isdigit() or int(number) == 0:
            return ""
        before = sorted({0, int(number) - 1})
        return " ".join(filter(None, (self._recorded_text(f"{article}#{n}") for n in before)))

    def _recorded_text(self, node_id: str) -> str | None:
        """The chunk's text in the snapshot (None if it has none), read from its JSON once."""
        if node_id not in self._texts:
            recorded = self._snapshot.get(node_id) or {}
            content = recorded.get("_node_content")
            self._texts[node_id] = json.loads(content).get("text", "") if content else None
        return self._texts[node_id]

    def _as_recorded(self, hit: NodeWithScore) -> NodeWithScore | None:
        """The hit's chunk from the snapshot; None for one added since it was taken."""
        from llama_index.core.schema import NodeWithScore
        from llama_index.core.vector_stores.utils import metadata_dict_to_node

        recorded = self._snapshot.get(hit.node.node_id)
        if recorded is None:
            return None
        text = self._recorded_text(hit.node.node_id)
        if text is None or hit.node.get_content() == text:
            return hit
        return NodeWithScore(node=metadata_dict_to_node(recorded), score=hit.score)


def _without_near_duplicates(ranked: list[NodeWithScore], limit: int) -> list[Passage]:
    """The first `limit` hits that are no near-copy of one ranked above them."""
    kept: list[Passage] = []
    kept_shingles: list[set[tuple[str, ...]]] = []
    for hit in ranked:
        if len(kept) == limit:
            break
        node = hit.node
        text = node.get_content()
        shingles = _trigrams(text)
        # A near-copy that names other people, places or numbers is a rival version of the
        # story, not a repeat: it stays, so a disagreement between sources can be shown.
        if any(
            _jaccard(shingles, other_shingles) >= NEAR_DUPLICATE_JACCARD
            and not differ_in_names(text, other.text)
            for other, other_shingles in zip(kept, kept_shingles, strict=True)
        ):
            continue
        kept_shingles.append(shingles)
        kept.append(
            Passage(
                node_id=node.node_id,
                text=text,
                source=node.metadata.get("source", ""),
                title=node.metadata.get("title", ""),
                start_char=node.start_char_idx,
                end_char=node.end_char_idx,
                score=float(hit.score or 0.0),
                sentences=_spans(node.metadata.get(SENTENCE_SPANS_KEY)),
                published=node.metadata.get("published"),
            )
        )
    return kept


def _spans(recorded: str | None) -> tuple[tuple[int, int], ...] | None:
    if not recorded:
        return None
    return tuple((start, end) for start, end in json.loads(recorded))


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + 3]) for i in range(max(len(words) - 2, 1))}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
