"""Find article files and read them as text, refusing what is not an article."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ArticleFormat = Literal["text", "markdown", "html"]

FORMATS: dict[str, ArticleFormat] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}


@dataclass(frozen=True)
class RawArticle:
    doc_id: str  # stable across runs: the path relative to the corpus folder
    path: Path
    format: ArticleFormat
    text: str


@dataclass(frozen=True)
class SkippedFile:
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.path}: {self.reason}"


def find_article_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the supported files below them, hidden ones left out."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            for candidate in path.rglob("*"):
                relative = candidate.relative_to(path)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                if candidate.is_file() and candidate.suffix.lower() in FORMATS:
                    found.add(candidate)
        else:
            found.add(path)
    return sorted(found)


def document_id(path: Path, corpus_dir: Path) -> str:
    resolved = path.resolve()
    try:
        return resolved.relative_to(corpus_dir.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def read_article(path: Path, corpus_dir: Path, max_bytes: int) -> RawArticle | SkippedFile:
    article_format = FORMATS.get(path.suffix.lower())
    if article_format is None:
        supported = ", ".join(sorted(FORMATS))
        return SkippedFile(path, f"not a supported article type ({supported})")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return SkippedFile(path, f"larger than the {max_bytes:,}-byte limit ({size:,} bytes)")
        data = path.read_bytes()
    except OSError as error:
        return SkippedFile(path, f"cannot be read ({error.strerror or error})")
    if b"\x00" in data[:8192]:
        return SkippedFile(path, "looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return SkippedFile(path, f"is not UTF-8 text (bad byte at offset {error.start})")
    return RawArticle(document_id(path, corpus_dir), path, article_format, text)
