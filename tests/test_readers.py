"""Files that are not readable text articles are skipped with a reason, never fatal."""

from pathlib import Path

from assistant.ingest.readers import RawArticle, SkippedFile, find_article_files, read_article


def read(path: Path, max_bytes: int = 1_000_000):
    return read_article(path, path.parent, max_bytes)


def test_utf8_text_is_read_with_a_stable_id(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "a.txt"
    path.write_text("Hello there.", encoding="utf-8")
    article = read_article(path, tmp_path, 1000)
    assert isinstance(article, RawArticle)
    assert article.doc_id == "sub/a.txt"


def test_binary_non_utf8_unsupported_and_oversized_files_are_refused(tmp_path: Path):
    cases = {
        "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        "latin1.txt": ("Café crème".encode("latin-1"), "not UTF-8"),
        "sheet.csv": (b"a,b\n1,2\n", "not a supported"),
        "big.txt": (b"x" * 2000, "larger than"),
    }
    for name, (data, reason) in cases.items():
        (tmp_path / name).write_bytes(data)
        result = read(tmp_path / name, max_bytes=1000)
        assert isinstance(result, SkippedFile), name
        assert reason in result.reason, (name, result.reason)


def test_unreadable_file_is_refused(tmp_path: Path):
    missing = tmp_path / "gone.txt"
    result = read(missing)
    assert isinstance(result, SkippedFile)
    assert "cannot be read" in result.reason


def test_folders_expand_to_supported_files_without_hidden_ones(tmp_path: Path):
    for name in ["a.txt", "b.md", "c.html", "d.pdf", ".hidden.txt", ".git/e.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [p.name for p in find_article_files([tmp_path])]
    assert found == ["a.txt", "b.md", "c.html"]
