"""PDFs of reports and PNG previews of cards, through the system's Chromium.

Playwright is imported only through :mod:`.chromium`, when these run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..atomic import write_bytes
from ..cards import Card
from ..templates import compile_themed
from ..themes import Theme, get_theme
from .chromium import chromium

PREVIEW_TEMPLATE = "preview.html"
FOOTER_TEMPLATE = "pdf-footer.html"
PREVIEW_WIDTH = 640
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")
#: What an A4 page holds inside the report's margins (report.css ``@page``: 12 mm at the
#: sides, 14 mm at the top, 16 mm at the bottom), in CSS pixels (96 per inch).
PRINTABLE_AREA = {"width": round((210 - 24) / 25.4 * 96), "height": round((297 - 30) / 25.4 * 96)}
#: Lets every ``break-inside: avoid`` block taller than the page (the argument) break.
_LET_TALL_BLOCKS_BREAK = """(pageHeight) => {
  for (const el of document.querySelectorAll('body *')) {
    if (getComputedStyle(el).breakInside === 'avoid' &&
        el.getBoundingClientRect().height > pageHeight) el.style.breakInside = 'auto';
  }
}"""


def write_pdf(html: Path, pdf: Path, theme: Theme | None = None) -> None:
    """Print the HTML file ``html`` to ``pdf``, atomically: A4, print styles, the title and
    page numbers in each page's footer, and an outline (bookmarks) from the headings.

    The footer is drawn in ``theme``'s print colours (the light theme's by default). A block
    the print styles keep whole (``break-inside: avoid``) but that is taller than a page is
    let break, so it starts right after what precedes it instead of leaving a page
    half-empty; it still breaks only between its own unbreakable parts (card sections).
    """
    footer = compile_themed(FOOTER_TEMPLATE, theme or get_theme("light")).render()
    with _opened(html, viewport=PRINTABLE_AREA) as page:
        page.emulate_media(media="print")
        page.evaluate(_LET_TALL_BLOCKS_BREAK, PRINTABLE_AREA["height"])
        data = page.pdf(
            format="A4",
            print_background=True,
            prefer_css_page_size=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=footer,
            outline=True,
            tagged=True,
        )
    write_bytes(pdf, data)


def screenshot_cards(cards: Sequence[Card], theme: Theme, directory: Path) -> list[Path]:
    """One PNG per card in ``directory`` (``01-<profileId>.png`` …), at twice the pixels."""
    preview = compile_themed(PREVIEW_TEMPLATE, theme)
    written = []
    with chromium() as browser:
        directory.mkdir(parents=True, exist_ok=True)  # only once there is something to write
        page = browser.new_page(
            viewport={"width": PREVIEW_WIDTH, "height": 800}, device_scale_factor=2
        )
        for number, card in enumerate(cards, start=1):
            page.set_content(preview.render(card_html=card.html), wait_until="load")
            image = page.locator(".preview").screenshot()
            path = directory / f"{number:02d}-{png_name(card.profile_id)}.png"
            write_bytes(path, image)
            written.append(path)
    return written


def png_name(profile_id: str) -> str:
    """A file-name-safe form of a profile id (hostile ids cannot escape the folder)."""
    return _UNSAFE_NAME.sub("_", profile_id).strip("_")[:60] or "card"


def screenshot_page(html: Path, png: Path, *, width: int = 1280, height: int = 1600) -> None:
    """A PNG of the top ``width`` by ``height`` pixels of an HTML file, at twice the pixels."""
    viewport = {"width": width, "height": height}
    with _opened(html, viewport=viewport, device_scale_factor=2) as page:
        image = page.screenshot(full_page=False)
    write_bytes(png, image)


@contextmanager
def _opened(html: Path, **page_options: Any) -> Iterator[Any]:
    """A Chromium page with the HTML file ``html`` loaded; the browser closes after."""
    with chromium() as browser:
        page = browser.new_page(**page_options)
        page.goto(html.resolve().as_uri(), wait_until="load")
        yield page
