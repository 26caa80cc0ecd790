"""Map the HTML and CSS a document uses to caniemail.com features, and look up support.

The support data is the npm package ``caniemail`` (tests/js/node_modules, installed by
scripts/test-setup); nothing here lists what a client supports. What this module knows is
how a feature's *title* in that data reads as markup: ``<table> element``, ``align
attribute``, ``display:flex``, ``linear-gradient()``, ``px unit``, a CSS property name (or
the property names in its keywords), and five features whose titles say nothing about the
markup (doctype, comments, mailto links, local anchors, the color-scheme meta tag).

Only inline ``style`` attributes are analysed: the documents under test carry no
``<style>`` element (a contract rule the tests assert), so selectors and at-rules, which
live only in style sheets, cannot occur.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

CANIEMAIL_JSON = Path(__file__).parent / "js/node_modules/caniemail/data/caniemail.json"

#: The clients the issue names, as (family, platform) in caniemail's data.
CLIENTS = (
    ("gmail", "desktop-webmail"),
    ("gmail", "android"),
    ("gmail", "ios"),
    ("outlook", "windows"),
    ("outlook", "outlook-com"),
    ("outlook", "macos"),
    ("apple-mail", "macos"),
    ("apple-mail", "ios"),
    ("yahoo", "desktop-webmail"),
)

#: Desktop Outlook for Windows is not evergreen: every tested version is still in use, so
#: a feature fails there if any version lacks it. Other clients count their latest test.
EVERY_VERSION_COUNTS = {("outlook", "windows")}

_TITLE_ELEMENT = re.compile(r"<([a-z][a-z0-9]*)(?: type=\"([a-z]+)\")?>")
_TITLE_HEADINGS = re.compile(r"<h(\d)> to <h(\d)>")
_TITLE_FUNCTION = re.compile(r"([a-z][a-z-]*)\(\)")
_TITLE_UNIT = re.compile(r"^(\S+) unit$")
_TITLE_PROPERTY_VALUE = re.compile(r"^([a-z-]+):\s*([a-z-]+)$")
_IDENT = re.compile(r"^[a-z][a-z-]*$")
_NUMBER = r"(?<![\w.#-])-?(?:\d+\.?\d*|\.\d+)"


def _load() -> dict:
    if not CANIEMAIL_JSON.is_file():
        raise FileNotFoundError(
            f"caniemail data is missing ({CANIEMAIL_JSON}); run scripts/test-setup "
            "(npm ci in tests/js) to install it"
        )
    return json.loads(CANIEMAIL_JSON.read_text(encoding="utf-8"))


@dataclass
class Usage:
    """What a document uses: elements, attributes, style declarations and the like."""

    elements: set[str] = field(default_factory=set)
    attributes: set[tuple[str, str, str]] = field(default_factory=set)
    declarations: set[tuple[str, str]] = field(default_factory=set)
    doctype: bool = False
    comments: bool = False


class _Collector(HTMLParser):
    def __init__(self, usage: Usage):
        super().__init__(convert_charrefs=True)
        self.usage = usage

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.usage.elements.add(tag)
        for name, value in attrs:
            self.usage.attributes.add((tag, name, value or ""))
            if name == "style" and value:
                self.usage.declarations.update(declarations(value))

    handle_startendtag = handle_starttag

    def handle_decl(self, decl: str) -> None:
        self.usage.doctype |= decl.lower() == "doctype html"

    def handle_comment(self, data: str) -> None:
        self.usage.comments = True
        if data.startswith("[if ") and "]>" in data:  # Outlook's conditional markup
            inner = _Collector(self.usage)
            inner.feed(data.split("]>", 1)[1].rsplit("<![endif]", 1)[0])
            inner.close()


def declarations(style: str) -> Iterator[tuple[str, str]]:
    """``(property, value)`` pairs of a style attribute, split outside quotes."""
    for part in re.findall(r"(?:[^;\"']|\"[^\"]*\"|'[^']*')+", style):
        name, colon, value = part.partition(":")
        if colon and name.strip():
            yield name.strip().lower(), value.strip()


def usage_of(*documents: str) -> Usage:
    """Everything the documents use."""
    usage = Usage()
    for document in documents:
        collector = _Collector(usage)
        collector.feed(document)
        collector.close()
    return usage


@dataclass(frozen=True)
class Feature:
    """One caniemail feature and how to recognise it in markup."""

    slug: str
    title: str
    stats: dict
    notes: dict

    def found_in(self, usage: Usage) -> list[str]:
        """Where ``usage`` uses this feature, as short descriptions; empty if nowhere."""
        return _matcher(self.slug, self.title)(usage)


def _special(slug: str):
    """Features whose titles do not describe their markup."""
    attrs = lambda u: u.attributes  # noqa: E731
    return {
        "html-doctype": lambda u: ["<!DOCTYPE html>"] if u.doctype else [],
        "html-comments": lambda u: ["<!-- -->"] if u.comments else [],
        "html-mailto-links": lambda u: sorted(
            {
                "a href=mailto:"
                for t, n, v in attrs(u)
                if t == "a" and n == "href" and v.lower().startswith("mailto:")
            }
        ),
        "html-anchor-links": lambda u: sorted(
            {
                f"a {n}"
                for t, n, v in attrs(u)
                if t == "a" and (n == "name" or (n == "href" and v.startswith("#")))
            }
        ),
        "html-meta-color-scheme": lambda u: sorted(
            {
                "meta name=color-scheme"
                for t, n, v in attrs(u)
                if t == "meta" and n == "name" and v == "color-scheme"
            }
        ),
        "css-important": lambda u: sorted(
            {f"{p}: {v}" for p, v in u.declarations if "!important" in v.replace(" ", "")}
        ),
        "css-variables": lambda u: sorted(
            {f"{p}: {v}" for p, v in u.declarations if p.startswith("--") or "var(" in v}
        ),
        "css-sytem-ui": lambda u: sorted(
            {
                f"{p}: {v}"
                for p, v in u.declarations
                if re.search(
                    r"(?<![\w-])(system-ui|ui-serif|ui-sans-serif|ui-rounded|ui-monospace)\b", v
                )
            }
        ),
        "css-comments": lambda u: sorted({f"{p}: {v}" for p, v in u.declarations if "/*" in v}),
    }.get(slug)


@cache
def _matcher(slug: str, title: str):
    special = _special(slug)
    if special:
        return special
    if slug.startswith("html-"):
        return _html_matcher(slug, title)
    if slug.startswith("css-"):
        return _css_matcher(slug, title)
    return lambda usage: []


def _html_matcher(slug: str, title: str):
    elements: set[tuple[str, str | None]] = set()
    for low, high in _TITLE_HEADINGS.findall(title):
        elements.update((f"h{n}", None) for n in range(int(low), int(high) + 1))
    elements.update((tag, kind or None) for tag, kind in _TITLE_ELEMENT.findall(title))
    keywords = _keywords(slug)
    if elements or title.endswith("semantics"):
        elements.update((word, None) for word in keywords if _IDENT.match(word))
    attributes: set[str] = set()
    if title.endswith((" attribute", " attributes")):
        names = title.rsplit(" ", 1)[0]
        attributes.update(name.strip() for name in re.split(r" and |,", names) if name.strip())

    def match(usage: Usage) -> list[str]:
        found = set()
        for tag, kind in elements:
            if kind is None and tag in usage.elements:
                found.add(f"<{tag}>")
            if kind and (tag, "type", kind) in usage.attributes:
                found.add(f'<{tag} type="{kind}">')
        found.update(f"{name}=" for _, name, _ in usage.attributes if name in attributes)
        return sorted(found)

    return match


def _css_matcher(slug: str, title: str):
    if title.startswith(("@", ":")) or slug.startswith(("css-selector-", "css-pseudo-")):
        return lambda usage: []  # style-sheet only; see the module docstring
    pair = _TITLE_PROPERTY_VALUE.match(title)
    if pair:
        prop, value = pair.groups()
        return lambda u: sorted(
            {f"{p}: {v}" for p, v in u.declarations if p == prop and v == value}
        )
    functions = _TITLE_FUNCTION.findall(title)
    if functions:
        pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, functions)) + r")\(")
        return lambda u: sorted({f"{p}: {v}" for p, v in u.declarations if pattern.search(v)})
    unit = _TITLE_UNIT.match(title.strip())
    if unit:
        name = unit.group(1)
        if name == "initial":
            pattern = re.compile(r"(?<![\w-])initial(?![\w-])")
        else:
            pattern = re.compile(_NUMBER + re.escape(name) + r"(?![\w%])")
        return lambda u: sorted({f"{p}: {v}" for p, v in u.declarations if pattern.search(v)})
    name = re.sub(r" (CSS )?(property|shorthand)$", "", title.strip())
    properties = {part.strip() for part in re.split(r",| & | and ", name)}
    properties.update(word for word in _keywords(slug) if "-" in word)
    properties = {p for p in properties if _IDENT.match(p)}
    return lambda u: sorted({f"{p}: {v}" for p, v in u.declarations if p in properties})


def _keywords(slug: str) -> list[str]:
    raw = _features_by_slug()[slug].get("keywords") or ""
    return [word.strip() for word in raw.split(",") if word.strip()]


@cache
def _features_by_slug() -> dict[str, dict]:
    return {entry["slug"]: entry for entry in _load()["data"]}


@cache
def features() -> tuple[Feature, ...]:
    """Every HTML and CSS feature in the data."""
    return tuple(
        Feature(e["slug"], e["title"], e["stats"], e.get("notes_by_num") or {})
        for e in _features_by_slug().values()
        if e["category"] in ("html", "css")
    )


def verdicts(feature: Feature) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Per client, the ``(version, support)`` results that count (see EVERY_VERSION_COUNTS)."""
    results = {}
    for family, platform in CLIENTS:
        tested = list(feature.stats.get(family, {}).get(platform, {}).items())
        if not tested:
            continue
        results[(family, platform)] = (
            tested if (family, platform) in EVERY_VERSION_COUNTS else tested[-1:]
        )
    return results


@dataclass(frozen=True)
class Finding:
    """A feature a document uses and the clients that do not support it."""

    feature: Feature
    uses: tuple[str, ...]
    unsupported: tuple[str, ...]


def check(usage: Usage) -> list[Finding]:
    """Every feature used, with the named clients that mark it ``n`` (unsupported)."""
    findings = []
    for feature in features():
        uses = feature.found_in(usage)
        if not uses:
            continue
        unsupported = tuple(
            f"{family} {platform} {version}"
            for (family, platform), tested in verdicts(feature).items()
            for version, support in tested
            if support.split()[0] == "n"
        )
        findings.append(Finding(feature, tuple(uses), unsupported))
    return findings
