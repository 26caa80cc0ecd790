"""The page rendered cards are shown on: the theme's canvas colour, inline styles only.

The preview, :mod:`.testing` and the browser tests' screenshots all show cards on this
one page (``templates/canvas.html``), so what a user checks is what our tests check.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from .htmltext import RenderedHTML
from .i18n import DEFAULT_LOCALE, language
from .resources import resource_dir
from .themes import Theme, get_theme

if TYPE_CHECKING:
    from jinja2 import Environment

#: Space around the cards on the page, and between stacked cards, in CSS pixels.
PAGE_PADDING = 16
CANVAS_TEMPLATE = "canvas.html"


def preview_document(
    body: str, background: str, *, lang: str = "en", direction: str = "ltr", title: str = ""
) -> RenderedHTML:
    """A minimal HTML document showing ``body`` (rendered HTML) on ``background``.

    No ``<style>``: the page adds nothing a card could lean on, and a webmail client that
    drops ``<head>`` sees the same page.
    """
    from markupsafe import Markup

    html = (
        page_env()
        .get_template(CANVAS_TEMPLATE)
        .render(
            body=Markup(body),  # rendered cards: already escaped
            background=background,
            lang=lang,
            direction=direction,
            title=title or "Candidate cards",
            padding=PAGE_PADDING,
        )
    )
    return RenderedHTML(html)


def cards_document(
    cards: Iterable[str], theme: str | Theme = "dark", locale: str = DEFAULT_LOCALE
) -> RenderedHTML:
    """Rendered cards stacked ``PAGE_PADDING`` apart on the theme's canvas colour, the page
    in ``locale``'s language and direction."""
    gap = f'<div style="height:{PAGE_PADDING}px;line-height:0;font-size:0">&nbsp;</div>'
    resolved = get_theme(theme)
    lang = language(locale)
    return preview_document(
        gap.join(cards),
        resolved.colors["canvas"],
        lang=lang.code,
        direction=lang.direction,
        title=f"Candidate cards ({resolved.name})",
    )


@cache
def page_env() -> Environment:
    """An autoescaping environment over our templates only: these pages are not
    overridable."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(resource_dir("templates")),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
