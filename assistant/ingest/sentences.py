"""Record each chunk's sentence spans at ingest, so answering needs no sentence splitter."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from llama_index.core.schema import BaseNode, TransformComponent

from assistant.language.sentences import sentence_spans

SENTENCE_SPANS_KEY = "sentence_spans"


class SentenceSpans(TransformComponent):
    """Adds `sentence_spans` (JSON list of [start, end]) to each chunk's metadata, hidden
    from the embedder and from language models."""

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> Sequence[BaseNode]:
        for node in nodes:
            node.metadata[SENTENCE_SPANS_KEY] = json.dumps(sentence_spans(node.get_content()))
            for excluded in (node.excluded_embed_metadata_keys, node.excluded_llm_metadata_keys):
                if SENTENCE_SPANS_KEY not in excluded:
                    excluded.append(SENTENCE_SPANS_KEY)
        return nodes
