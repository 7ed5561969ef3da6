"""Every setting of the assistant, in one typed place.

Values come from, in rising priority: the defaults below, environment variables
named ``ASSISTANT_<FIELD>`` (``ASSISTANT_TOP_K=8``), and keyword arguments (which
the CLI fills from its flags).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

EXPOSED_QUESTIONS_PER_MINUTE = 30
AnswererName = Literal["extractive", "openai", "ollama", "llamacpp"]
EMBED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
EmbeddingPrecision = Literal["int8", "fp32"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    # Where articles live and where the index is kept.
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path(".index")
    collection: str = "articles"
    # A `chroma run` server to use instead of the on-disk index (http://host:port).
    chroma_url: str | None = None

    # Where the embedding model's ONNX export is cached (default: ~/.cache/news-assistant).
    model_cache_dir: Path | None = None
    # How the embedding model computes: "fp32" (the weights as shipped) or "int8" (its
    # matrix weights quantized: ingest about 1.5 times as fast and answers about 1.3 times,
    # at a small cost in answers; README, "Quantized embeddings"). An index keeps the
    # vectors of the one that built it: `assistant ingest` rebuilds it after a switch.
    embedding_precision: EmbeddingPrecision = "fp32"

    # Chunking: measured on the gold set (see README, "Chunk size").
    chunk_size: int = Field(default=160, ge=32, le=2048)
    chunk_overlap: int = Field(default=32, ge=0, le=512)

    # Retrieval: passages handed to the answerer, after fusion and de-duplication.
    top_k: int = Field(default=8, ge=1, le=50)
    # Candidates each retriever (dense, BM25) contributes before fusion.
    candidate_k: int = Field(default=12, ge=1, le=200)

    # Answering: "extractive" quotes the articles; the others have a model write the answer,
    # which is then checked sentence by sentence against the passages it cites.
    llm: AnswererName = "extractive"
    # openai: the server's /v1 address (default http://127.0.0.1:8080/v1); ollama: its
    # address (default http://127.0.0.1:11434). The key, if any, comes from OPENAI_API_KEY.
    llm_base_url: str | None = None
    # The model's name on the server; for llamacpp, the path of a GGUF file.
    llm_model: str | None = None
    # Seconds before a silent or slow model is given up on for the extractive answer.
    llm_timeout: float = Field(default=60.0, gt=0)
    llm_max_tokens: int = Field(default=256, ge=16, le=4096)
    # Ask the model whether a passage states a sentence the checks could not settle: one
    # with nothing found against it, only words they could not explain (second_opinion.py).
    # Off by default: a model that vouches for anything lets such a sentence through.
    llm_second_opinion: bool = False
    llm_context_window: int = Field(default=4096, ge=512)
    max_question_chars: int = Field(default=2000, ge=50)
    max_answer_sentences: int = Field(default=3, ge=1, le=10)
    # How the extractive answerer picks sentences: "heuristic" (hand-weighted, the default)
    # or "learned" (the calibrated scorer that `assistant train` fits; see README).
    scorer: Literal["heuristic", "learned"] = "heuristic"
    # The answer models and their card (written by `assistant train`); the card also holds
    # the fitted abstention threshold (answer/policy.py).
    answer_model_dir: Path = Path(__file__).parent / "answer" / "model"
    # Overrides the card's threshold: higher declines more, lower answers more.
    min_confidence: float | None = Field(default=None, ge=0, le=1)

    # Articles larger than this are skipped with a warning rather than ingested.
    max_article_bytes: int = Field(default=5_000_000, ge=1_000)

    # The page. Served on loopback unless a host is given; no share link unless asked.
    host: str = "127.0.0.1"
    port: int = Field(default=7860, ge=0, le=65535)
    auth: str | None = None  # "user:password" puts Gradio's login in front of the page
    max_upload_bytes: int = Field(default=2_000_000, ge=1_000)
    # Questions one page session may ask per minute. Unset: no limit on loopback, and
    # EXPOSED_QUESTIONS_PER_MINUTE when the page is served on another address. 0: no limit.
    questions_per_minute: int | None = Field(default=None, ge=0)
    # Shown on the empty page; set ASSISTANT_EXAMPLES='["...", "..."]' for your own corpus.
    examples: list[str] = [
        "Which cities were proposed for the summit?",
        "Who is NATO's Secretary-General?",
        "What did Russia demand at the Alaska summit?",
        "Which leaders accompanied Zelenskyy to the White House?",
    ]

    @field_validator("chunk_overlap")
    @classmethod
    def _overlap_below_size(cls, overlap: int, info) -> int:
        size = info.data.get("chunk_size")
        if size is not None and overlap >= size:
            raise ValueError("chunk_overlap must be smaller than chunk_size")
        return overlap

    @property
    def question_limit(self) -> int:
        """Questions per minute per page session; 0 for none."""
        if self.questions_per_minute is not None:
            return self.questions_per_minute
        loopback = self.host in ("127.0.0.1", "localhost", "::1")
        return 0 if loopback else EXPOSED_QUESTIONS_PER_MINUTE

    @property
    def embed_model_id(self) -> str:
        """The embedding model as an index records it: vectors of two never mix."""
        if self.embedding_precision == "fp32":
            return EMBED_MODEL_NAME  # what indexes built before quantization record
        return f"{EMBED_MODEL_NAME} ({self.embedding_precision})"

    @property
    def chroma_path(self) -> Path:
        return self.index_dir / "chroma"

    @property
    def docstore_path(self) -> Path:
        return self.index_dir / "docstore.json"

    @property
    def bm25_path(self) -> Path:
        return self.index_dir / "bm25"

    @property
    def manifest_path(self) -> Path:
        return self.index_dir / "manifest.json"

    @property
    def feedback_path(self) -> Path:
        """Readers' ratings of answers (kept through rebuilds of the index)."""
        return self.index_dir / "feedback.jsonl"

    @property
    def browser_key_path(self) -> Path:
        """The key the page's conversations are encrypted with in visitors' browsers."""
        return self.index_dir / "browser-state.key"

    @property
    def journal_path(self) -> Path:
        """Present while an ingest is changing the index: left behind, it marks a crash."""
        return self.index_dir / "ingest-in-progress"

    @property
    def lock_path(self) -> Path:
        return self.index_dir / "ingest.lock"
