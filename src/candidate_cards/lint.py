"""Check a user's template files before they are compiled: every problem, with its line.

A user template keeps the guarantees of ours only if it cannot switch off escaping, run
or load anything, or rely on CSS that e-mail clients drop. The CSS rules come from the
caniemail data in ``data/email-css.json`` (written by ``scripts/email-css-data``), the
same standard the project's own templates are tested against; a feature can be allowed
by its caniemail name (``css-border-radius``).

The report is a web page, opened in a browser and printed to PDF, not an e-mail: its
files (``page=True``: ``report.html``, ``report.css`` and partials only they include)
keep every rule but two. A ``<style>`` element is allowed inside ``<head>``, where HTML
puts it and where the report's stylesheet is included; elsewhere it is refused as in a
card. And the caniemail rules do not apply, so grid, flex or ``position`` are fine. What
may load from outside stays refused: in a page only ``data:image/…`` URLs and
``#fragment`` references are inside the document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .errors import ErrorDetail

#: Elements that run code, load something, take input or leave CSS un-inlined.
FORBIDDEN_ELEMENTS = {
    "script": "runs code, which no mail client allows",
    "style": "is dropped by mail clients: put CSS in the .css file, which is inlined",
    "link": "loads a resource from outside the card",
    "iframe": "embeds another page",
    "frame": "embeds another page",
    "object": "embeds a plug-in",
    "embed": "embeds a plug-in",
    "base": "changes where every link points",
    "form": "is a form: mail clients disable or warn about them",
    "input": "is a form control",
    "button": "is a form control",
    "select": "is a form control",
    "textarea": "is a form control",
}
#: The same elements in a page (the report), which a browser opens and prints.
PAGE_FORBIDDEN_ELEMENTS = {
    **FORBIDDEN_ELEMENTS,
    "script": "runs code: a report is a page without scripts",
    "style": "belongs in the page's <head> (or put the CSS in report.css)",
    "link": "loads a resource from outside the report",
    "form": "is a form: a report takes no input",
}
#: Attributes that make the reader's client fetch something when the card is opened.
FETCHING_ATTRIBUTES = {"src", "srcset", "background", "poster", "data", "action", "formaction"}
#: SVG elements whose ``href`` fetches (an image, another document's symbol, a filter input).
FETCHING_HREF_ELEMENTS = {"image", "use", "feimage"}
#: Attributes a browser follows or fetches as a URL (``values``: an SVG animation's list).
URL_ATTRIBUTES = {*FETCHING_ATTRIBUTES, "href", "xlink:href", "cite", "from", "to", "values"}
#: Where a page's URL may point and stay inside the document.
INSIDE_THE_DOCUMENT = re.compile(r"#|data:image/", re.IGNORECASE)

_JINJA_RULES = (
    (re.compile(r"\{%-?\s*autoescape\s+(?!true\b)"), "turns autoescaping off"),
    (re.compile(r"\|\s*safe\b"), "|safe marks candidate data as HTML, so it is not escaped"),
    (re.compile(r"\bMarkup\b"), "Markup marks candidate data as HTML, so it is not escaped"),
)
_CSS_RULES = (
    (re.compile(r"\burl\s*\(", re.IGNORECASE), "url() loads a resource from outside the card"),
    (re.compile(r"@import\b", re.IGNORECASE), "@import loads a style sheet from outside"),
    (re.compile(r"@font-face\b", re.IGNORECASE), "@font-face loads a font from outside"),
    (re.compile(r"\bimage-set\s*\(", re.IGNORECASE), "image-set() loads images from outside"),
)
_PAGE_CSS_RULES = (
    (
        re.compile(r"\burl\s*\((?>\s*['\"]?\s*)(?!#|data:image/)", re.IGNORECASE),
        "url() loads a resource from outside the report (only data:image/ URLs and "
        "#fragments are inside it)",
    ),
    (re.compile(r"@import\b", re.IGNORECASE), "@import loads a style sheet from outside"),
    (re.compile(r"\bimage-set\s*\(", re.IGNORECASE), "image-set() loads images from outside"),
)
#: A URL scheme that runs code when followed, however it is spelt (entities are decoded
#: by the parser; browsers ignore tabs and line breaks inside a scheme).
_SCRIPT_URL = re.compile(r"(?:java|vb)script:", re.IGNORECASE)
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20]")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_BLOCK = re.compile(r"\{([^{}]*)\}")
_DECLARATION = re.compile(r"(--[\w-]+|[a-zA-Z-]+)\s*:\s*([^;]+)")
_DATA = Path(__file__).parent / "data" / "email-css.json"


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    """One thing a template file must not do, where it does it."""

    file: str
    line: int
    message: str

    def detail(self) -> ErrorDetail:
        return ErrorDetail(f"{self.file}:{self.line}", self.message)


def lint(
    file: str, source: str, allow_css: Collection[str] = (), *, page: bool = False
) -> list[TemplateProblem]:
    """Every problem in one template file (``.html`` or ``.css``), in line order;
    ``page``: the file is part of the report, a web page (see the module's docstring)."""
    found = list(_jinja_problems(file, source))
    if file.endswith(".css"):
        found += _css_problems(file, source, allow_css, page=page)
    else:
        found += lint_rendered(file, source, allow_css, page=page)
    return sorted(found, key=lambda problem: problem.line)


def lint_rendered(
    file: str, html: str, allow_css: Collection[str] = (), *, page: bool = False
) -> list[TemplateProblem]:
    """The markup and inline-CSS problems of rendered HTML, without the Jinja rules (a
    candidate's text may well say "Markup" or "|safe")."""
    scanner = _MarkupScanner(file, allow_css, page)
    scanner.feed(html)
    scanner.close()
    return scanner.problems


def _jinja_problems(file: str, source: str) -> Iterator[TemplateProblem]:
    for pattern, message in _JINJA_RULES:
        for match in pattern.finditer(source):
            yield TemplateProblem(file, _line(source, match.start()), message)


def _css_problems(
    file: str, css: str, allow_css: Collection[str], first_line: int = 1, *, page: bool = False
) -> Iterator[TemplateProblem]:
    css = _CSS_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), css)
    for pattern, message in _PAGE_CSS_RULES if page else _CSS_RULES:
        for match in pattern.finditer(css):
            yield TemplateProblem(file, first_line - 1 + _line(css, match.start()), message)
    if page:  # a browser, not a mail client, shows it
        return
    for block in _CSS_BLOCK.finditer(css):
        line = first_line - 1 + _line(css, block.start(1))
        yield from _declaration_problems(file, line, block.group(1), allow_css)


def _declaration_problems(
    file: str, line: int, declarations: str, allow_css: Collection[str]
) -> Iterator[TemplateProblem]:
    for match in _DECLARATION.finditer(declarations):
        prop, value = match.group(1).lower(), match.group(2).strip().lower()
        for slug in _dropped(prop, value):
            if slug in allow_css:
                continue
            feature = email_css()[slug]
            clients = ", ".join(feature["clients"])
            yield TemplateProblem(
                file,
                line - 1 + _line(declarations, match.start()),
                f"{prop}: {value} is {feature['title']!r}, which {clients} drop "
                f"(caniemail {slug}; allow it by that name if you accept this)",
            )


@lru_cache(maxsize=4096)
def _dropped(prop: str, value: str) -> tuple[str, ...]:
    """The caniemail features a declaration uses that some major client drops (cached:
    rendered output repeats the same declarations on every card)."""
    keyword = value.replace("!important", "").split()[0] if value.split() else ""
    return tuple(
        slug for slug, feature in email_css().items() if _uses(feature, prop, keyword, value)
    )


def _uses(feature: dict[str, Any], prop: str, keyword: str, value: str) -> bool:
    properties = feature.get("properties", ())
    functions = feature.get("functions", ())
    return (
        prop in properties
        or (prop.startswith("--") and "--*" in properties)
        or f"{prop}:{keyword}" in feature.get("values", ())
        or any(re.search(rf"(?<![\w-]){re.escape(f)}\(", value) for f in functions)
    )


@cache
def email_css() -> dict[str, Any]:
    """The caniemail CSS features some major e-mail client drops, by caniemail name."""
    features: dict[str, Any] = json.loads(_DATA.read_text(encoding="utf-8"))["features"]
    return features


class _MarkupScanner(HTMLParser):
    """Collects the problems of an HTML template, by the line of each tag."""

    def __init__(self, file: str, allow_css: Collection[str], page: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.file = file
        self.allow_css = allow_css
        self.page = page
        self.problems: list[TemplateProblem] = []
        self._in_head = False
        self._style: tuple[int, list[str]] | None = None  # a page's <style>: line, text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag == "head":
            self._in_head = True
        elif tag == "body":
            self._in_head = False
        if self.page and tag == "style" and self._in_head:
            self._style = (line, [])
        elif tag in FORBIDDEN_ELEMENTS:
            forbidden = PAGE_FORBIDDEN_ELEMENTS if self.page else FORBIDDEN_ELEMENTS
            self._problem(line, f"<{tag}> {forbidden[tag]}")
        elif tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self._problem(line, '<meta http-equiv="refresh"> loads another page')
        for name, value in attrs:
            self._attribute_problems(line, tag, name, value or "")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        elif tag == "style" and self._style is not None:
            line, text = self._style
            self._style = None
            self.problems += _css_problems(self.file, "".join(text), (), line, page=True)

    def handle_data(self, data: str) -> None:
        if self._style is not None:
            self._style[1].append(data)

    def _attribute_problems(self, line: int, tag: str, name: str, value: str) -> None:
        where = "the report" if self.page else "the card"
        fetches = name in FETCHING_ATTRIBUTES or (
            tag in FETCHING_HREF_ELEMENTS and name in ("href", "xlink:href")
        )
        if name.startswith("on"):
            strips = "a report runs no scripts" if self.page else "mail clients strip them"
            self._problem(line, f"<{tag} {name}> is an event handler: {strips}")
        elif name in URL_ATTRIBUTES and _script_url(name, value):
            self._problem(line, f"<{tag} {name}> is a script URL, which runs code when followed")
        elif fetches and not (self.page and INSIDE_THE_DOCUMENT.match(value.strip())):
            self._problem(line, f"<{tag} {name}> loads a resource from outside {where}")
        elif name == "style" and value:
            block = "{" + value + "}"
            self.problems += _css_problems(self.file, block, self.allow_css, line, page=self.page)

    def _problem(self, line: int, message: str) -> None:
        self.problems.append(TemplateProblem(self.file, line, message))


def _script_url(name: str, value: str) -> bool:
    """Whether a URL attribute's value (each of a ``values`` list) runs a script."""
    urls = _IGNORED_IN_URLS.sub("", value)
    return any(_SCRIPT_URL.match(url) for url in (urls.split(";") if name == "values" else [urls]))


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
