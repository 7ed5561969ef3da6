"""The cleaner keeps article text and drops page furniture, repeats and markup."""

from pathlib import Path

from assistant.ingest.cleaning import ArticleCleaner
from assistant.ingest.readers import RawArticle


def clean(text: str, name: str = "a.txt", fmt: str = "text"):
    return ArticleCleaner().run(RawArticle(name, Path(name), fmt, text))


def test_furniture_lines_go_and_article_sentences_stay():
    article = clean(
        "Skip to content\n\nSummit set for Geneva\n\nby Jane Roe – Staff Writer\n\n"
        "Leaders will meet in Geneva on Monday.\n\nRead also:\n\nYou may also like\n\n"
        "Leave a Comment\n\nThis site uses Akismet to reduce spam. Learn how your comment "
        "data is processed.\n\nWe use cookies to improve your experience.\n\n"
        "Subscribe to our newsletter for the latest updates.\n\nLatest\n\n"
        "Readers may also like the quieter venue, officials said."
    )
    assert article.text.split("\n\n") == [
        "Summit set for Geneva",
        "Leaders will meet in Geneva on Monday.",
        "Readers may also like the quieter venue, officials said.",
    ]
    assert article.title == "Summit set for Geneva"
    assert article.byline == "by Jane Roe – Staff Writer"


def test_exactly_repeated_paragraphs_are_kept_once():
    article = clean("One fact.\nAnother fact.\nOne fact.\n  One   fact.  \nA third fact.")
    assert article.text.split("\n\n") == ["One fact.", "Another fact.", "A third fact."]


def test_footnote_marks_from_web_pages_are_removed():
    article = clean("Peace needs guarantees, the council said [[1]]. Another claim [2] here.")
    assert "[" not in article.text


def test_untitled_article_is_named_by_its_first_words():
    article = clean("In a firm stance, the minister said talks would go on as planned next week.")
    assert article.title.startswith("In a firm stance, the minister")
    assert article.title.endswith("…")


def test_html_keeps_text_and_drops_scripts_and_navigation():
    article = clean(
        "<html><head><title>Talks resume</title><script>alert(1)</script></head><body>"
        "<nav>Home | World</nav><h1>Talks resume</h1><p>Envoys met in <b>Vienna</b> "
        "on Friday.</p><footer>© 2025 News Corp</footer></body></html>",
        "a.html",
        "html",
    )
    assert article.title == "Talks resume"
    assert "Envoys met in Vienna on Friday." in article.text
    assert "alert" not in article.text and "Home | World" not in article.text
    assert "2025 News Corp" not in article.text


def test_markdown_headings_and_links_become_plain_text():
    article = clean(
        "# Ceasefire holds\n\nThe truce, brokered in [Doha](https://x.test), held **overnight**.",
        "a.md",
        "markdown",
    )
    assert article.title == "Ceasefire holds"
    assert "The truce, brokered in Doha, held overnight." in article.text
    assert "https://" not in article.text


def test_invisible_characters_and_odd_spacing_are_normalized():
    article = clean("Zero\u200bwidth\u00a0and   spaced\ttext here.")
    assert article.text == "Zerowidth and spaced text here."


def test_a_leading_dateline_becomes_the_publication_date():
    article = clean("Jul 2, 2019 ... Serena Williams reached the quarter-finals on Tuesday.")
    assert article.published == "Jul 2, 2019"
    assert article.text == "Serena Williams reached the quarter-finals on Tuesday."


def test_a_callout_label_standing_alone_goes_and_its_text_stays():
    article = clean(
        "Talks resume\n\nThe talks resume in Oslo.\n\nPro Tip:\n\n"
        "Reading the 1994 accord helps explain the talks.\n\nThey include:\n\nOslo and Bergen."
    )
    assert "Pro Tip" not in article.text
    assert "Reading the 1994 accord helps explain the talks." in article.text
    assert "They include:" in article.text  # a sentence's opening, not a label
