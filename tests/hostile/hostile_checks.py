"""Reusable hostile-input checks over any renderer that turns candidate profiles into HTML.

Every check here takes a :class:`Renderer`, so a new output (the e-mail document, the
report, the HTTP service) joins every hostile test by adding one entry to ``RENDERERS``.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import html5lib
import httpx

from candidate_cards import (
    MAX_PROFILES,
    CandidateCardsError,
    EmailSizeWarning,
    ErrorDetail,
    load_candidates,
    render_cards,
    render_email,
    write_report,
)
from candidate_cards.service import create_app
from tests.conftest import client_for

HERE = Path(__file__).parent

Profiles = Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class Renderer:
    """An output under test: profiles in, HTML out, or a :class:`CandidateCardsError`.

    ``batch`` is how many profiles one call may take; ``allow`` names elements from
    ``DANGEROUS_TAGS`` that this output may legitimately contain (none for cards).
    """

    name: str
    render: Callable[[Profiles], str]
    batch: int = MAX_PROFILES
    allow: frozenset[str] = field(default_factory=frozenset)


def _cards(theme: str) -> Callable[[Profiles], str]:
    """``render_cards`` in ``theme``, returning the joined HTML (themes change only colours)."""
    return lambda profiles: render_cards(profiles, theme).html


def _email(profiles: Profiles) -> str:
    """``render_email``'s document; hostile strings are long, so the size warning is moot."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EmailSizeWarning)
        return render_email(profiles, "light").html


def _report(profiles: Profiles) -> str:
    """``write_report`` over a payload file of ``profiles``: reports read files, not lists.

    The profiles are validated first, as every renderer does (values no JSON file can hold,
    such as infinity, get their typed error there), then written as the API would.
    """
    candidates = load_candidates({"profiles": list(profiles)}).candidates
    payload = [c.model_dump(by_alias=True, exclude_defaults=True) for c in candidates]
    with tempfile.TemporaryDirectory(prefix="hostile-report-") as folder:
        source = Path(folder) / "payload.json"
        source.write_text(json.dumps(payload), encoding="utf-8")
        out = io.StringIO()
        write_report([str(source)], out, generated_at=datetime(2026, 1, 1, tzinfo=UTC))
        return out.getvalue()


SERVICE_KEY = "ck_test_hostile_0123456789"
_SERVICE_APP = create_app({SERVICE_KEY: ["enrich:write"]}, access_log=False)
#: One thread that runs each request's event loop: Playwright's sync API keeps a loop in
#: the main thread, where ``asyncio.run`` cannot start another.
_SERVICE_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hostile-service")


async def _post_render(body: bytes) -> httpx.Response:
    """One ``POST /sourcing/render-html`` to the in-process app, with a valid key."""
    async with client_for(_SERVICE_APP) as client:
        headers = {"Authorization": f"Bearer {SERVICE_KEY}", "Content-Type": "application/json"}
        return await client.post("/sourcing/render-html", content=body, headers=headers)


def _service(profiles: Profiles) -> str:
    """The service's ``html`` for a 200, the typed error for a 4xx; any 5xx fails the test.

    Profiles that JSON cannot carry (NaN, infinity) are validated first, as the report
    does, since no client could send them.
    """
    try:
        body = json.dumps({"profiles": list(profiles)}, allow_nan=False)
    except ValueError:
        candidates = load_candidates({"profiles": list(profiles)}).candidates
        payload = [c.model_dump(by_alias=True, exclude_defaults=True) for c in candidates]
        body = json.dumps({"profiles": payload}, allow_nan=False)
    response = _SERVICE_THREAD.submit(asyncio.run, _post_render(body.encode())).result()
    assert response.status_code < 500, f"service: {response.status_code} {response.text[:500]}"
    if response.status_code != 200:
        raise error_from_envelope(response.json())
    return response.json()["html"]


#: Every output the hostile tests cover: one line per output.
RENDERERS: list[Renderer] = [
    Renderer("cards", _cards("dark")),
    Renderer("email", _email),
    Renderer("report", _report, batch=500, allow=frozenset({"style", "svg"})),
    Renderer("service", _service),
]


def error_from_envelope(body: Mapping[str, Any]) -> CandidateCardsError:
    """The typed error for a contract error body, for renderers that go over HTTP."""
    classes = {cls.code: cls for cls in _subclasses(CandidateCardsError)}
    details = [ErrorDetail(d["field"], d["message"]) for d in body.get("details") or []]
    return classes.get(body.get("error"), CandidateCardsError)(body.get("message", ""), details)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


# --- what "safe HTML" means ------------------------------------------------------------

#: Elements that run code, load resources, change how URLs resolve or submit data.
DANGEROUS_TAGS = frozenset(
    {
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "svg",
        "math",
        "template",
        "noscript",
        "portal",
        "link",
        "style",
    }
)
#: Attributes holding a URL: the browser may follow, fetch or run what they name.
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "background",
        "poster",
        "data",
        "codebase",
        "cite",
        "longdesc",
        "lowsrc",
        "dynsrc",
        "manifest",
    }
)
#: Attributes that always make a request or take a list of URLs.
FORBIDDEN_ATTRIBUTES = frozenset({"srcset", "ping", "imagesrcset"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_STRIPPED = "".join(chr(code) for code in range(0x21))
_CSS_DANGER = re.compile(r"url\s*\(|expression\s*\(|javascript:|@import|behavior\s*:|binding", re.I)


def url_scheme(value: str) -> str | None:
    """The scheme a browser reads from an attribute value (WHATWG URL), or ``None``."""
    cleaned = re.sub(r"[\t\n\r]", "", value.strip(_STRIPPED))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


@dataclass(frozen=True)
class Parsed:
    """HTML as a browser's parser reads it, with the parse errors it reported."""

    root: Element
    errors: list[str]

    def elements(self) -> Iterator[tuple[str, Element]]:
        """Every element with its local tag name (comments skipped)."""
        for element in self.root.iter():
            if isinstance(element.tag, str):
                yield element.tag.rsplit("}", 1)[-1].lower(), element

    def text(self) -> str:
        """All text as a reader sees it: elements joined, zero-width break hints removed."""
        return "".join(self.root.itertext()).replace("\u200b", "").replace("\xad", "")

    def attribute_values(self, name: str) -> list[str]:
        """Every value of attribute ``name``, in document order."""
        return [element.attrib[name] for _, element in self.elements() if name in element.attrib]

    def shape(self) -> tuple[set[str], set[str]]:
        """The element names and the attribute names used."""
        tags: set[str] = set()
        attributes: set[str] = set()
        for tag, element in self.elements():
            tags.add(tag)
            attributes.update(element.attrib)
        return tags, attributes


def parse(html: str) -> Parsed:
    """Parse as a browser would: a document, or else a fragment inside a ``<div>``."""
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    if html.lstrip()[:9].lower() == "<!doctype":
        root = parser.parse(html)
    else:
        root = parser.parseFragment(html, container="div")
    return Parsed(root, [str(error[1]) for error in parser.errors])


def unsafe_markup(parsed: Parsed, allow: frozenset[str] = frozenset()) -> list[str]:
    """Every reason the parsed HTML is unsafe to embed; empty when it is safe."""
    problems: list[str] = []
    for tag, element in parsed.elements():
        if tag in DANGEROUS_TAGS - allow:
            problems.append(f"<{tag}> element")
        if tag == "meta" and "http-equiv" in {name.lower() for name in element.attrib}:
            problems.append("<meta http-equiv>")
        for name, value in element.attrib.items():
            name = name.rsplit("}", 1)[-1].lower()
            if name.startswith("on"):
                problems.append(f"<{tag} {name}> event handler")
            elif name in FORBIDDEN_ATTRIBUTES:
                problems.append(f"<{tag} {name}>")
            elif name in URL_ATTRIBUTES and not value.strip(_STRIPPED).startswith("#"):
                scheme = url_scheme(value)
                if scheme not in SAFE_SCHEMES:
                    problems.append(f"<{tag} {name}={value[:60]!r}>: scheme {scheme}")
            elif name == "style" and _CSS_DANGER.search(value):
                problems.append(f"<{tag} style={value[:60]!r}>")
    return problems


Shape = tuple[set[str], set[str]]


def assert_safe(html: str, renderer: Renderer, baseline: Shape | None = None) -> Parsed:
    """Fail unless ``html`` parses cleanly, is inert and uses only the ``baseline``'s markup."""
    parsed = parse(html)
    assert not parsed.errors, f"{renderer.name}: HTML parse errors {parsed.errors[:5]}"
    problems = unsafe_markup(parsed, renderer.allow)
    assert not problems, f"{renderer.name}: {problems[:5]}"
    if baseline is not None:
        tags, attributes = parsed.shape()
        assert tags <= baseline[0], f"{renderer.name}: new elements {tags - baseline[0]}"
        assert attributes <= baseline[1], (
            f"{renderer.name}: new attributes {attributes - baseline[1]}"
        )
    return parsed


def as_shown(text: str) -> str:
    """How a text is expected in the DOM: line ends as the parser reads them, no controls."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]", "\ufffd", text)


def as_read(text: str) -> str:
    """How a text is expected in :meth:`Parsed.text`: as shown, without zero-width spaces."""
    return as_shown(text).replace("\u200b", "").replace("\xad", "")


def render_or_error(renderer: Renderer, profiles: Profiles) -> str | CandidateCardsError:
    """The HTML, or the typed error; any other exception propagates and fails the test."""
    try:
        return renderer.render(profiles)
    except CandidateCardsError as error:
        return error


# --- the hostile corpus ----------------------------------------------------------------

#: Classic XSS vectors, each meant to run ``alert``/``fetch`` or load something if it escapes.
XSS_VECTORS: tuple[str, ...] = (
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x\" onerror='alert(1)'>",
    "<img/src=x/onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<base href=http://evil.example/>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<link rel=stylesheet href=http://evil.example/x.css>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<a href=javascript:alert(1)>click</a>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<input autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\x00script:alert(1)",
    "\x01javascript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;&#x76;&#x61;script:alert(1)",
    "javascript&colon;alert(1)",
    "jav&#x09;ascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:image/svg+xml,<svg onload=alert(1)>",
    'https://www.linkedin.com/in/x" onmouseover="alert(1)',
    "https://www.linkedin.com/in/x' onmouseover='alert(1)",
    "https://www.linkedin.com/in/x` onmouseover=`alert(1)",
    'https://evil.example/"><script>alert(1)</script>',
    "https://evil.example@www.linkedin.com/in/x",
    "https:evil.example",
    "//evil.example/x",
    "\\\\evil.example\\x",
    '"><img src=x onerror=alert(1)>',
    "'><img src=x onerror=alert(1)>",
    "`><img src=x onerror=alert(1)>",
    '" autofocus onfocus="alert(1)',
    "' style='background:url(http://evil.example/x)",
    "</style><script>alert(1)</script>",
    "</table><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</td></tr></table><img src=x onerror=alert(1)>",
    "</p></h2></span><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "--><script>alert(1)</script><!--",
    "<!--",
    "<![CDATA[<script>alert(1)</script>]]>",
    "]]><script>alert(1)</script>",
    "<?xml version='1.0'?><script>alert(1)</script>",
    "<style>@import 'http://evil.example/x.css';</style>",
    '<div style="background:url(http://evil.example/x.png)">x</div>',
    "expression(alert(1))",
    "{{7*7}} {% raw %} ${7*7} <%= 7*7 %> #{7*7}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "\x00<script>alert(1)</script>",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "\u202eadmin\u202c <script>alert(1)</script>",
    "\u2066\u2067\u2068\u202a\u202b\u202d\u202e\u200e\u200f",
    "\ufeff<script>alert(1)</script>",
    "\u3008script\u3009alert(1)\u3008/script\u3009",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;lt;script&amp;gt;",
    "x@example.com?subject=<script>alert(1)</script>",
    '"><script>alert(1)</script>@example.com',
    "a%40evil.example@example.com",
    "mailto:a@example.com",
    "a@example.com\nbcc:b@example.com",
    "a@example.com%0Abcc:b@example.com",
    '<a href="mailto:a@example.com">a</a>',
)


def blns() -> list[str]:
    """The Big List of Naughty Strings (see ``BLNS.md``)."""
    return json.loads((HERE / "blns.json").read_text(encoding="utf-8"))


def corpus() -> list[str]:
    """BLNS and the XSS vectors, without repeats, in a stable order."""
    return list(dict.fromkeys([*blns(), *XSS_VECTORS]))


def everywhere(text: str, index: int) -> dict[str, Any]:
    """A candidate with ``text`` as every field, raw; id and name stay valid when blank."""
    return {
        "profileId": text if text else f"p{index}",
        "name": text if text.strip() else f"n{index}{text}",
        "headline": text,
        "location": text,
        "currentCompany": text,
        "currentRole": text,
        "rationale": text,
        "linkedinUrl": text,
        "matchScore": index % 101,
        "skills": [text, text],
        "aiFitPoints": [text],
        "aiRedFlags": [text],
        "emails": [text],
        "aiDetailedRationale": [
            {"title": text, "company": text, "duration": text, "relevanceExplanation": text}
        ],
        "detailedExperience": [
            {"role": text, "company": text, "duration": text, "highlights": [text, text]}
        ],
    }


def embedded(text: str, index: int) -> dict[str, Any]:
    """A candidate with ``text`` inside realistic values: ids, URLs, addresses, sentences."""
    return {
        "profileId": f"prof_{index}{text}",
        "name": f"Jane {text} Doe",
        "headline": f"Engineer {text}",
        "location": f"{text}, Berlin",
        "currentCompany": f"ACME {text}",
        "currentRole": f"{text} Lead",
        "rationale": f"Strong fit. {text} End.",
        "linkedinUrl": f"https://www.linkedin.com/in/{text}",
        "matchScore": (index * 7.25) % 100,
        "skills": [f"Go {text}", text],
        "aiFitPoints": [f"Led {text}"],
        "aiRedFlags": [f"{text} gap"],
        "emails": [f"jane{text}@example.com", f"jane@example.com{text}"],
        "aiDetailedRationale": [
            {
                "title": f"{text} Engineer",
                "company": f"{text} GmbH",
                "duration": f"2 years {text}",
                "relevanceExplanation": f"Relevant because {text}.",
            }
        ],
        "detailedExperience": [
            {
                "role": f"Senior {text}",
                "company": f"Corp {text}",
                "duration": f"{text} 2020 - 2024",
                "highlights": [f"Built {text}", text],
            }
        ],
    }


def hostile_candidates() -> list[dict[str, Any]]:
    """Two candidates per corpus string: the string raw in every field, and embedded."""
    candidates: list[dict[str, Any]] = []
    seen_ids: set[str] = set()
    for index, text in enumerate(corpus()):
        for candidate in (everywhere(text, index), embedded(text, index)):
            if candidate["profileId"] in seen_ids:
                candidate["profileId"] = f"dup{index}:{candidate['profileId']}"
            seen_ids.add(candidate["profileId"])
            candidates.append(candidate)
    return candidates


def batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """``items`` in consecutive slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


#: A benign candidate with every field, links and all: the markup every output may use.
FULL_CANDIDATE: dict[str, Any] = {
    "profileId": "prof_full",
    "name": "Jane Q. Doe",
    "headline": "Staff Engineer at ACME",
    "location": "Berlin",
    "currentCompany": "Initech",
    "currentRole": "Principal Engineer",
    "rationale": "Strong fit for the role.",
    "linkedinUrl": "https://www.linkedin.com/in/jane",
    "matchScore": 91,
    "skills": [f"Skill {n}" for n in range(12)],
    "aiFitPoints": [f"Strength {n}" for n in range(6)],
    "aiRedFlags": [f"Concern {n}" for n in range(5)],
    "emails": [f"jane{n}@example.com" for n in range(5)] + ["not an address"],
    "aiDetailedRationale": [
        {"title": "Engineer", "company": "ACME", "duration": "2y", "relevanceExplanation": "Fit"}
    ]
    * 5,
    "detailedExperience": [
        {
            "role": "Engineer",
            "company": "ACME",
            "duration": "2y",
            "highlights": ["a", "b", "c", "d"],
        }
    ]
    * 5,
}


def baseline_shape(renderer: Renderer) -> Shape:
    """The elements and attributes ``renderer`` uses for benign data of every kind."""
    scores = (None, 10, 55, 75, 95)
    profiles = [
        {**FULL_CANDIDATE, "profileId": f"p{n}", "matchScore": score}
        for n, score in enumerate(scores)
    ]
    profiles.append({"profileId": "minimal", "name": "M"})
    return parse(renderer.render(profiles)).shape()


# --- in a browser --------------------------------------------------------------------

PAGE_URL = "http://cards.test/hostile.html"
#: Cards per browser page: big enough to keep the run fast, small enough to debug.
CARDS_PER_PAGE = 120

#: The rules of ``unsafe_markup`` asked of the live DOM; the lists come from this module.
DOM_AUDIT = """
({tags, urlAttributes, forbidden, schemes}) => {
  const bad = [];
  for (const el of document.querySelectorAll([...tags, 'meta[http-equiv]'].join(','))) {
    bad.push(el.outerHTML.slice(0, 100));
  }
  for (const el of document.body.querySelectorAll('*')) {
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on') || forbidden.includes(name)) bad.push(`${el.tagName} ${name}`);
      if (urlAttributes.includes(name)) {
        const protocol = new URL(attribute.value, document.baseURI).protocol;
        const fragment = attribute.value.trim().startsWith('#');
        if (!fragment && !schemes.includes(protocol)) {
          bad.push(`${el.tagName} ${name}=${attribute.value.slice(0, 60)}`);
        }
      }
    }
  }
  return {bad, cards: document.querySelectorAll('[data-profile-id]').length};
}
"""


def dom_audit_lists(renderer: Renderer) -> dict[str, list[str]]:
    """What ``DOM_AUDIT`` refuses, from the same sets ``unsafe_markup`` uses."""
    return {
        "tags": sorted(DANGEROUS_TAGS - renderer.allow),
        "urlAttributes": sorted(URL_ATTRIBUTES),
        "forbidden": sorted(FORBIDDEN_ATTRIBUTES),
        "schemes": sorted(f"{scheme}:" for scheme in SAFE_SCHEMES),
    }


@dataclass
class BrowserAudit:
    """What Chromium saw while showing a renderer's output for some candidates."""

    candidates: int = 0
    pages: int = 0
    cards_shown: int = 0
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dangerous: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line of counts, for the test log."""
        return (
            f"{self.candidates} candidates on {self.pages} pages, {self.cards_shown} cards shown; "
            f"dialogs={len(self.dialogs)} requests={len(self.requests)} "
            f"page_errors={len(self.page_errors)} dangerous_nodes={len(self.dangerous)}"
        )


def rendered(renderer: Renderer, candidates: Profiles) -> list[tuple[Profiles, str]]:
    """``renderer``'s output for ``candidates``: each batch it accepts, with its HTML."""
    return [(batch, renderer.render(batch)) for batch in batches(candidates, renderer.batch)]


def audit_in_chromium(
    browser: Any, renderer: Renderer, outputs: Sequence[tuple[Profiles, str]]
) -> BrowserAudit:
    """Load ``renderer``'s ``outputs`` (from :func:`rendered`) in Chromium, every request
    intercepted."""
    audit = BrowserAudit()
    lists = dom_audit_lists(renderer)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (audit.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: audit.page_errors.append(str(error)))
        page.on("request", lambda request: _record_request(audit, request.url))
        page.on("websocket", lambda socket: audit.requests.append(socket.url))
        for html, count in _pages(outputs):
            context.unroute("**/*")
            context.route("**/*", _serve_only(html))
            page.goto(PAGE_URL, wait_until="load")
            page.wait_for_timeout(50)
            seen = page.evaluate(DOM_AUDIT, lists)
            audit.dangerous.extend(seen["bad"])
            audit.cards_shown += seen["cards"]
            audit.candidates += count
            audit.pages += 1
    finally:
        context.close()
    return audit


def _record_request(audit: BrowserAudit, url: str) -> None:
    if url != PAGE_URL:
        audit.requests.append(url)


def _pages(outputs: Sequence[tuple[Profiles, str]]) -> Iterator[tuple[str, int]]:
    """Browser pages of rendered batches, each with how many cards it should show."""
    fragments: list[str] = []
    count = 0
    for batch, html in outputs:
        if html.lstrip()[:9].lower() == "<!doctype":
            yield html, len(batch)
            continue
        fragments.append(html)
        count += len(batch)
        if count >= CARDS_PER_PAGE:
            yield _document("\n".join(fragments)), count
            fragments, count = [], 0
    if fragments:
        yield _document("\n".join(fragments)), count


def _document(body: str) -> str:
    """A host page for card fragments, as a dashboard would embed them."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hostile</title>'
        f"</head><body>{body}</body></html>"
    )


def _serve_only(html: str) -> Any:
    """A route handler that serves ``html`` at ``PAGE_URL`` and aborts every other request."""

    def handle(route: Any) -> None:
        if route.request.url == PAGE_URL:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        else:
            route.abort()

    return handle
