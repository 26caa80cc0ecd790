"""The report's PDF read back (pypdf, pdfplumber): whole cards, full pages, ink that reads.

The bundled example (examples/sourcing-results.json, 14 candidates) is printed through the
real CLI in both themes; every check reads the PDF itself: page count, how much of each page
holds text, where each card starts and ends, each character's colour against what it is
drawn on, the footer, the document title and the bookmarks.
"""

from __future__ import annotations

import html as html_text
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from candidate_cards.browser.capture import PRINTABLE_AREA
from candidate_cards.themes import contrast_ratio
from tests.conftest import THEMES

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).parents[1] / "examples" / "sourcing-results.json"
#: The report's bottom page margin (report.css @page), in PDF points: the footer lives there.
FOOTER_ZONE = 16 / 25.4 * 72
#: A page whose text spans less than this share of its height is nearly empty.
NEARLY_EMPTY = 0.2
#: The resolution the contrast check renders pages at, in dots per inch.
RENDER_DPI = 100
#: What a printed page holds inside its margins, in CSS pixels (as write_pdf measures).
PAGE_HEIGHT_PX = PRINTABLE_AREA["height"]


@dataclass(frozen=True)
class Printed:
    """A report of the example printed to PDF, with its HTML."""

    theme: str
    html: Path
    pdf: Path


@pytest.fixture(scope="module", params=THEMES)
def printed(request, tmp_path_factory) -> Printed:
    """The example's report in one theme, as HTML and PDF, through the CLI."""
    folder = tmp_path_factory.mktemp(f"print-{request.param}")
    html, pdf = folder / "report.html", folder / "report.pdf"
    command = ["report", str(EXAMPLE), "-t", request.param, "-o", str(html), "--pdf", str(pdf)]
    result = subprocess.run(
        [sys.executable, "-m", "candidate_cards", *command],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return Printed(request.param, html, pdf)


def body_words(page) -> list[dict]:
    """The words of a page outside its footer, top to bottom."""
    limit = page.height - FOOTER_ZONE
    words = [w for w in page.extract_words() if w["bottom"] < limit]
    return sorted(words, key=lambda word: (word["top"], word["x0"]))


def card_heads(pdf) -> dict[int, tuple[int, float]]:
    """Where each card starts: its "#rank" line, as (page index, top)."""
    heads = {}
    for index, page in enumerate(pdf.pages):
        for word in body_words(page):
            if re.fullmatch(r"#\d+", word["text"]):
                heads[int(word["text"][1:])] = (index, word["top"])
    return heads


def test_pages_are_few_and_none_is_nearly_empty(printed: Printed):
    with pdfplumber.open(printed.pdf) as pdf:
        assert 10 <= len(pdf.pages) <= 16  # 18 before print styles kept cards whole
        for number, page in enumerate(pdf.pages, start=1):
            words = body_words(page)
            span = max(w["bottom"] for w in words) - min(w["top"] for w in words)
            assert span >= NEARLY_EMPTY * page.height, f"page {number} is nearly empty"


def test_each_card_starts_with_its_name_and_is_whole_unless_taller_than_a_page(
    printed: Printed, browser
):
    names = card_names(printed.html)
    heights = card_heights(browser, printed.html)
    with pdfplumber.open(printed.pdf) as pdf:
        heads = card_heads(pdf)
        assert sorted(heads) == list(range(1, len(names) + 1))
        for rank, name in enumerate(names, start=1):
            page = pdf.pages[heads[rank][0]]
            assert name in squeeze(page.extract_text()), f"#{rank} {name} is not on its page"
        for rank in range(1, len(names)):
            start, end = heads[rank][0], heads[rank + 1][0]
            next_is_first = body_words(pdf.pages[end])[0]["text"] == f"#{rank + 1}"
            last_page = end - 1 if next_is_first else end
            if last_page > start:
                assert heights[rank] > PAGE_HEIGHT_PX, f"#{rank} is split but fits a page"


def test_no_text_is_under_aa_contrast(printed: Printed):
    """Every character against the paper or the filled shape it is drawn on."""
    with pdfplumber.open(printed.pdf) as pdf:
        failing = [
            f"page {number}: {char['text']!r} {ink} on {ground} ({ratio:.2f}:1)"
            for number, page in enumerate(pdf.pages, start=1)
            for char, ink, ground, ratio in contrasts(page)
            if ratio < 4.5
        ]
    assert failing == []


def test_the_footer_holds_the_title_and_page_numbers(printed: Printed):
    with pdfplumber.open(printed.pdf) as pdf:
        total = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            footer = page.crop((0, page.height - FOOTER_ZONE, page.width, page.height))
            assert squeeze(footer.extract_text()) == f"Candidate report {number} / {total}"


def test_the_pdf_has_a_title_and_a_bookmark_per_candidate(printed: Printed):
    names = card_names(printed.html)
    reader = PdfReader(printed.pdf)
    assert reader.metadata.title == "Candidate report"
    marks = {title: page for title, page in bookmarks(reader)}
    with pdfplumber.open(printed.pdf) as pdf:
        heads = card_heads(pdf)
    for rank, name in enumerate(names, start=1):
        assert marks.get(name) == heads[rank][0], name


def test_a_dark_report_prints_no_dark_theme_colour(printed: Printed):
    """The issue's muted #a8b4c6 (2.1:1 on white) and dark badge fills stay on screen."""
    with pdfplumber.open(printed.pdf) as pdf:
        inks = {hex_colour(char["non_stroking_color"]) for page in pdf.pages for char in page.chars}
    assert "#a8b4c6" not in inks and "#eef2f8" not in inks


# -- helpers -------------------------------------------------------------------------------


def card_names(html: Path) -> list[str]:
    """The candidates' names in rank order, as the report's cards are labelled."""
    labels = re.findall(r'aria-label="Rank \d+: ([^"]+)"', html.read_text(encoding="utf-8"))
    return [html_text.unescape(label) for label in labels]


def squeeze(text: str) -> str:
    """Text with its break marks removed and its whitespace collapsed."""
    return " ".join(text.replace("\u200b", "").replace("\xad", "").split())


def card_heights(browser, html: Path) -> dict[int, float]:
    """Each card's height as printed (print styles, the page's width), in CSS pixels."""
    page = browser.new_page(viewport=PRINTABLE_AREA)
    try:
        page.emulate_media(media="print")
        page.goto(html.as_uri())
        heights = page.evaluate(
            "() => [...document.querySelectorAll('article.entry')]"
            ".map((entry) => entry.getBoundingClientRect().height)"
        )
    finally:
        page.close()
    return dict(enumerate(heights, start=1))


def bookmarks(reader: PdfReader) -> Iterator[tuple[str, int]]:
    """Every bookmark's title and page index, depth first."""

    def walk(items) -> Iterator[tuple[str, int]]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title, reader.get_destination_page_number(item)

    yield from walk(reader.outline)


def hex_colour(colour) -> str:
    """A pdfplumber colour (grey, RGB or CMYK components from 0 to 1) as #rrggbb."""
    if colour is None:
        return "#000000"
    values = list(colour) if isinstance(colour, list | tuple) else [colour]
    if len(values) == 1:
        values *= 3
    elif len(values) == 4:
        c, m, y, k = values
        values = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
    return "#" + "".join(f"{round(float(v) * 255):02x}" for v in values[:3])


def contrasts(page) -> Iterator[tuple[dict, str, str, float]]:
    """Each character with its ink, the colour under it and their contrast ratio.

    The colour under a character is read from the rendered page: the commonest colour in
    its box and a margin around it (a glyph covers less of that than the ground does).
    Shapes in the PDF do not tell it: a rounded border is one filled path around an
    unfilled inside.
    """
    scale = RENDER_DPI / 72
    image = page.to_image(resolution=RENDER_DPI).original.convert("RGB")
    for char in page.chars:
        if not char["text"].strip():
            continue
        pad = (char["bottom"] - char["top"]) * 0.4  # room around thin glyphs ("l", "i")
        box = tuple(
            round(value * scale)
            for value in (
                char["x0"] - pad,
                char["top"] - pad,
                char["x1"] + pad,
                char["bottom"] + pad,
            )
        )
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        colours = image.crop(box).getcolors(maxcolors=1 << 16) or []
        ground = "#{:02x}{:02x}{:02x}".format(*max(colours)[1]) if colours else "#ffffff"
        ink = hex_colour(char["non_stroking_color"])
        yield char, ink, ground, contrast_ratio(ink, ground)
