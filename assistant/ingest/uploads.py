"""Articles handed over by a person (the page's upload box) saved safely into the corpus."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from assistant.ingest.readers import FORMATS, SkippedFile

_SAFE_NAME = re.compile(r"^[\w][\w .()-]{0,150}$")


def save_upload(name: str, data: bytes, corpus_dir: Path, max_bytes: int) -> Path | SkippedFile:
    """Write one uploaded article into the corpus folder, or say why it was refused.

    Only a plain file name is accepted (no folders, no "..", nothing hidden), of a
    supported type, within the size limit, and only UTF-8 text: a refused upload
    writes nothing.
    """
    shown = Path(name)
    if name != shown.name or not _SAFE_NAME.match(name) or ".." in name:
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
    target = corpus_dir / shown.name
    # Written whole or not at all: a reader never sees half an article.
    fd, staging = tempfile.mkstemp(prefix=".upload-", dir=corpus_dir)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(staging, target)
    return target
