"""Turn a raw article into clean paragraphs: markup and page furniture out, article text kept."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.ingest.readers import RawArticle
from assistant.language.text import looks_like_heading, normalize_line, word_count

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# Whole lines that are site navigation or calls to action, never article text.
# Matched against the full line, so a sentence that merely contains the words stays.
_FURNITURE_LINES = re.compile(
    r"""(?ix)^(
        skip\ to\ (main\ )?content
      | leave\ a\ (comment|reply)
      | (you\ may\ also\ like|read\ (also|more|next)|related(\ (articles|stories|posts))?
         |recommended(\ for\ you)?|more\ stories|latest(\ news)?|trending(\ now)?)\b.{0,80}
      | (share|follow\ us)(\ (this|on)\b.{0,60})?
      | advertisement | sponsored(\ content)?
      | (posted\ in|filed\ under|tags?)\s*:.{0,120}
      | (click|tap)\ here\b.{0,80}
      | (all\ rights\ reserved|copyright\ ©?|©).{0,120}
      | home\s*(»|>|/|›).{0,200}
    )[.!:]?$"""
)
# Blurbs that may be a long line but are still boilerplate wherever they stand.
_FURNITURE_PHRASES = re.compile(
    r"(?i)(subscribe to our newsletter|sign up for our newsletter|"
    r"(this site|we) uses? cookies|accept (all )?cookies|cookie (policy|settings)|"
    r"uses akismet to reduce spam|learn how your comment data is processed)"
)
# A callout's label standing alone ("Pro Tip:", "Editor's Note:"): the site's, not the story's.
_CALLOUT_LABEL = re.compile(r"^(?:[A-Z][\w'’]*\s?){1,3}:$")
_BYLINE = re.compile(r"^(by|written by)\s+[A-Z]")
# A leading publication date, as search results and wire copy print it: "Jul 2, 2019 ...".
# It dates the article, it is not part of what the article says.
_DATELINE = re.compile(
    r"^(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4})"
    r"\s*(?:\.\.\.|…|—|–|-)\s*"
)
# Footnote marks copied from web pages ("[1]", "[[1]]") would read as our own citations.
_FOOTNOTE_MARKS = re.compile(r"\s*\[\[?\d{1,3}\]?\]")
_BLOCK_TAGS = (
    "p",
    "div",
    "section",
    "article",
    "header",
    "li",
    "tr",
    "td",
    "th",
    "br",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dt",
    "dd",
    "figcaption",
    "table",
    "ul",
    "ol",
)
_NOT_CONTENT_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
    "head",
)


MAX_TITLE_CHARS = 150


@dataclass(frozen=True)
class CleanArticle:
    title: str
    text: str  # paragraphs separated by blank lines
    byline: str | None = None
    published: str | None = None  # a leading dateline, moved out of the text


class ArticleCleaner:
    """Strips markup and furniture, drops repeated paragraphs, finds the title and byline."""

    def run(self, raw: RawArticle) -> CleanArticle:
        markup_title = None
        text = raw.text
        if raw.format == "markdown":
            text, markup_title = _html_to_text(_markdown_to_html(text))
        elif raw.format == "html":
            text, markup_title = _html_to_text(text)

        paragraphs: list[str] = []
        seen: set[str] = set()
        byline = published = None
        for raw_line in text.splitlines():
            line = _FOOTNOTE_MARKS.sub("", normalize_line(raw_line)).strip()
            if not line or _is_furniture(line):
                continue
            if not paragraphs and published is None and (dateline := _DATELINE.match(line)):
                published = dateline.group("date")
                line = line[dateline.end() :]
            if byline is None and _BYLINE.match(line) and word_count(line) <= 12:
                byline = line
                continue
            key = line.casefold()
            if key in seen:
                continue
            seen.add(key)
            paragraphs.append(line)

        title = _shortened(markup_title or _title_from(paragraphs, raw.path))
        return CleanArticle(
            title=title, text="\n\n".join(paragraphs), byline=byline, published=published
        )


def _is_furniture(line: str) -> bool:
    if _FURNITURE_PHRASES.search(line) or _CALLOUT_LABEL.match(line):
        return True
    return word_count(line) <= 30 and bool(_FURNITURE_LINES.match(line))


def _title_from(paragraphs: list[str], path: Path) -> str:
    if paragraphs and looks_like_heading(paragraphs[0]):
        return paragraphs[0]
    first = paragraphs[0] if paragraphs else path.stem
    head = " ".join(first.split()[:12])
    return head if head == first else f"{head}…"


def _shortened(title: str) -> str:
    """A title fit to travel with every chunk: it is embedded with each one, so a scraped
    page's whole first line as "title" would not fit in a chunk."""
    if len(title) <= MAX_TITLE_CHARS:
        return title
    cut = title[:MAX_TITLE_CHARS]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # CommonMark with tables; a quarter of Python-Markdown's time on the same articles.
    return MarkdownIt("commonmark").enable("table")


def _markdown_to_html(text: str) -> str:
    return _markdown().render(text)


def _html_to_text(html: str) -> tuple[str, str | None]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    title_tag = soup.find("title") or soup.find("h1")
    title = normalize_line(title_tag.get_text(" ")) if title_tag else None
    for tag in soup.find_all(_NOT_CONTENT_TAGS):
        tag.decompose()
    # Block elements end a line; inline ones (links, emphasis) stay inside their sentence.
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    return soup.get_text(), title or None
