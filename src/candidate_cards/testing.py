"""Test your own templates' output with the checks the project runs on its own.

>>> from candidate_cards import render_cards
>>> from candidate_cards.testing import assert_email_safe, assert_no_overflow
>>> html = render_cards(profiles, templates="my-templates/").html  # doctest: +SKIP
>>> assert_no_overflow(html)  # doctest: +SKIP

- :func:`assert_no_overflow`: laid out in Chromium at 320 px, nothing scrolls sideways;
- :func:`assert_accessible`: axe-core finds no WCAG 2.0-2.2 A/AA violation;
- :func:`assert_email_safe`: no CSS a major mail client drops (the caniemail data of the
  template linter), nothing that runs or loads, and the structure mail clients need
  (presentation tables, ``lang`` and ``dir``, ``alt`` text).

Each takes rendered HTML (cards alone are shown on the theme's canvas) and, optionally, a
Playwright page to reuse; without one it starts the system's Chromium (the ``browser``
extra). axe-core is not bundled: ``npm install axe-core``, then pass the path of its
``axe.min.js``, set ``CANDIDATE_CARDS_AXE`` to it, or run from a folder whose
``node_modules`` holds it. The page-level functions (:func:`horizontal_overflow`,
:func:`axe_violations`, :func:`email_lint`) are what our own browser tests call.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .browser import chromium
from .canvas import cards_document
from .errors import AxeUnavailable
from .lint import lint_rendered
from .themes import Theme

if TYPE_CHECKING:
    from playwright.sync_api import Page, ViewportSize

#: The WCAG 2.x A and AA rule sets axe-core runs.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
#: An environment variable naming axe-core's ``axe.min.js``.
AXE_ENV = "CANDIDATE_CARDS_AXE"
_AXE_IN_NODE_MODULES = Path("node_modules") / "axe-core" / "axe.min.js"
#: The narrowest phone the cards are held to, in CSS pixels.
NARROWEST = 320


class Evaluates(Protocol):
    """A page that runs a JavaScript function: Playwright's, or a WebDriver BiDi one."""

    def evaluate(self, expression: str, arg: Any = None, /) -> Any: ...


def horizontal_overflow(page: Evaluates) -> int:
    """How many CSS pixels the document is wider than the viewport (0 when it fits)."""
    overflow: int = page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth,"
        " document.body.scrollWidth - window.innerWidth)"
    )
    return overflow


def find_axe(axe_script: str | os.PathLike[str] | None = None) -> Path:
    """axe-core's script: ``axe_script``, else ``$CANDIDATE_CARDS_AXE``, else the nearest
    ``node_modules/axe-core/axe.min.js`` from the working directory up."""
    given = axe_script or os.environ.get(AXE_ENV)
    if given:
        candidates = [Path(given)]
    else:
        here = Path.cwd()
        candidates = [folder / _AXE_IN_NODE_MODULES for folder in (here, *here.parents)]
    found = next((path for path in candidates if path.is_file()), None)
    if found is None:
        where = str(candidates[0]) if given else "node_modules"
        raise AxeUnavailable(
            f"axe-core is not installed (no axe.min.js in {where}): npm install axe-core, "
            f"or pass axe_script= or set {AXE_ENV} to its axe.min.js."
        )
    return found


def axe_violations(
    page: Page, axe_script: str | os.PathLike[str] | None = None
) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.x A/AA violations on the page, each with the nodes that fail."""
    page.add_script_tag(path=str(find_axe(axe_script)))
    result = page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                        resultTypes: ['violations']})""",
        list(AXE_TAGS),
    )
    return [
        {
            "id": violation["id"],
            "help": violation["help"],
            "nodes": [
                node["failureSummary"] + " @ " + node["html"][:120] for node in violation["nodes"]
            ],
        }
        for violation in result["violations"]
    ]


def email_lint(page: Evaluates) -> list[str]:
    """What axe does not check but mail clients need: presentation tables, lang, dir, alt."""
    problems: list[str] = page.evaluate(
        """() => {
          const problems = [];
          const root = document.documentElement;
          if (!root.getAttribute('lang')) problems.push('<html> has no lang');
          if (!root.getAttribute('dir')) problems.push('<html> has no dir');
          document.querySelectorAll('table:not([role="presentation"])').forEach((t) =>
            problems.push('table without role="presentation": ' + t.outerHTML.slice(0, 80)));
          document.querySelectorAll('img:not([alt])').forEach((img) =>
            problems.push('img without alt: ' + img.outerHTML.slice(0, 80)));
          return problems;
        }"""
    )
    return problems


def email_css_problems(html: str, allow_css: Collection[str] = ()) -> list[str]:
    """What the template linter refuses, found in rendered HTML: CSS a major mail client
    drops (unless allowed by its caniemail name), scripts, forms, remote resources."""
    return [f"line {p.line}: {p.message}" for p in lint_rendered("html", html, allow_css)]


def assert_no_overflow(
    html: str, *, width: int = NARROWEST, theme: str | Theme = "dark", page: Page | None = None
) -> None:
    """Shown ``width`` CSS pixels wide in Chromium, the document never scrolls sideways."""
    with _showing(html, theme, width, page) as shown:
        overflow = horizontal_overflow(shown)
    assert overflow == 0, f"{overflow}px wider than a {width}px screen: it scrolls sideways"


def assert_accessible(
    html: str,
    *,
    theme: str | Theme = "dark",
    axe_script: str | os.PathLike[str] | None = None,
    page: Page | None = None,
) -> None:
    """axe-core finds no WCAG 2.0-2.2 A or AA violation (contrast, names, structure)."""
    with _showing(html, theme, 600, page) as shown:
        violations = axe_violations(shown, axe_script)
    assert not violations, "axe-core: " + "; ".join(
        f"{v['id']} ({v['help']}): {', '.join(v['nodes'][:3])}" for v in violations
    )


def assert_email_safe(
    html: str,
    *,
    allow_css: Collection[str] = (),
    theme: str | Theme = "dark",
    page: Page | None = None,
) -> None:
    """Nothing a major mail client drops or refuses, and the structure they need."""
    problems = email_css_problems(html, allow_css)
    with _showing(html, theme, 600, page) as shown:
        problems += email_lint(shown)
    assert not problems, "not e-mail-safe: " + "; ".join(problems)


def as_document(html: str, theme: str | Theme = "dark") -> str:
    """``html`` if it is a whole document, else the cards on the theme's canvas."""
    start = html.lstrip()[:9].lower()
    return html if start.startswith(("<!doctype", "<html")) else cards_document([html], theme)


@contextmanager
def _showing(html: str, theme: str | Theme, width: int, page: Page | None) -> Iterator[Page]:
    """A page ``width`` px wide showing ``html``: ``page``, or one in a fresh Chromium."""
    viewport: ViewportSize = {"width": width, "height": 640}
    if page is not None:
        page.set_viewport_size(viewport)
        page.set_content(as_document(html, theme))
        yield page
        return
    with chromium() as browser:
        context = browser.new_context(viewport=viewport, device_scale_factor=1)
        try:
            opened = context.new_page()
            opened.set_content(as_document(html, theme))
            yield opened
        finally:
            context.close()
