"""Articles handed over by a person (the page's upload box) saved safely into the corpus."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from assistant.ingest.readers import FORMATS, SkippedFile

_UNSAFE_CHARACTERS = re.compile(r"[^\w .()-]+")
_MAX_NAME = 150


def save_upload(name: str, data: bytes, corpus_dir: Path, max_bytes: int) -> Path | SkippedFile:
    """Write one uploaded article into the corpus folder, or say why it was refused.

    Only a plain file name is accepted (no folders, no "..", nothing hidden), of a
    supported type, within the size limit, and only UTF-8 text: a refused upload
    writes nothing. Characters a file name should not hold are replaced by "-", so the
    saved name (the returned path's) may differ from the one given.
    """
    shown = Path(name)
    safe = _safe_name(name)
    if safe is None:
        return SkippedFile(shown, "has a file name that is not allowed (use letters, digits, .-_)")
    if shown.suffix.lower() not in FORMATS:
        return SkippedFile(shown, f"is not a supported article type ({', '.join(sorted(FORMATS))})")
    if len(data) > max_bytes:
        return SkippedFile(shown, f"is larger than the {max_bytes:,}-byte upload limit")
    if b"\x00" in data[:8192]:
        return SkippedFile(shown, "looks like a binary file, not text")
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return SkippedFile(shown, "is not UTF-8 text")
    corpus_dir.mkdir(parents=True, exist_ok=True)
    target = corpus_dir / safe
    # Written whole or not at all: a reader never sees half an article.
    fd, staging = tempfile.mkstemp(prefix=".upload-", dir=corpus_dir)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(staging, target)
    return target


def _safe_name(name: str) -> str | None:
    """The name to save under, or None for one that names a folder or a hidden file."""
    if name != Path(name).name or ".." in name or "\x00" in name:
        return None
    safe = _UNSAFE_CHARACTERS.sub("-", name).strip(" ")
    if len(safe) > _MAX_NAME:
        suffix = Path(safe).suffix
        safe = Path(safe).stem[: _MAX_NAME - len(suffix)] + suffix
    return None if safe.startswith(".") or not Path(safe).stem else safe
