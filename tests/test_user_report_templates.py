"""A user's template directory changes the report too: a web page, under its own rules."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pdfplumber
import pytest

from candidate_cards import InvalidTemplate
from candidate_cards.report import write_report
from candidate_cards.resources import resource_dir
from tests.conftest import FIXTURES
from tests.test_user_templates import LAYOUT_CSS, LAYOUT_HTML, OUR_CSS_ALLOWANCES, invoke, write

GENERATED_AT = datetime(2025, 11, 18, 12, 0, tzinfo=UTC)
HOSTILE = FIXTURES / "edge" / "hostile.json"
COMPLETED = FIXTURES / "sourcing-completed.json"
#: A 1×1 GIF: a logo inside the document, the one kind of image a report may hold.
PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"

REPORT_HTML = """<!DOCTYPE html>
<html lang="[[ lang.code ]]" dir="[[ lang.direction ]]">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<style>
[% include "report.css" %]
</style>
</head>
<body>
<h1 class="acme">Acme hiring review: {{ title }}</h1>
<img alt="" src="PIXEL">
<ol class="shortlist">
{% for entry in rows %}
<li data-rank="{{ entry.rank }}">{{ entry.row.name }}</li>
{% endfor %}
</ol>
{% for entry in entries %}
<section class="candidate" id="c{{ entry.rank }}">{{ entry.card_html }}</section>
{% endfor %}
</body>
</html>
""".replace("PIXEL", PIXEL)
#: What the e-mail rules refuse and a page may use: grid, sticky, a data: image, a fragment.
REPORT_CSS = f"""body {{ display: grid; gap: 16px; max-width: 720px; margin: 0 auto;
  font-family: [[ f.family ]]; color: [[ c.text ]]; background: [[ c.canvas ]]; }}
.acme {{ position: sticky; top: 0; border-bottom: 4px solid [[ c.link ]]; }}
.shortlist {{ list-style-image: url("{PIXEL}"); }}
.candidate {{ clip-path: url(#none); }}
@font-face {{ font-family: Acme; src: local("Inter"); }}
@media print {{ .candidate {{ break-inside: avoid; }} }}
"""
#: The line of REPORT_HTML, inside <body>, where a snippet goes; and that of REPORT_CSS.
BODY_LINE, CSS_LINE = 11, 3
_ROW = re.compile(r'<li data-rank="(\d+)">(.*?)</li>')


def report(*sources: Path, **options: object) -> str:
    out = io.StringIO()
    write_report([str(s) for s in sources], out, generated_at=GENERATED_AT, **options)
    return out.getvalue()


def directory(tmp_path: Path, **files: str) -> Path:
    """A template directory with our test report, ``files`` (``report_html=``…) replacing it."""
    chosen = {"report.html": REPORT_HTML, "report.css": REPORT_CSS}
    chosen |= {name.replace("_", "."): text for name, text in files.items()}
    return write(tmp_path / "mine", chosen)


def scores(*paths: Path) -> dict[str, float | None]:
    """Every candidate's name and score in the payload files ``paths``."""
    found: dict[str, float | None] = {}
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        for candidate in data["candidates"] if isinstance(data, dict) else data:
            found[candidate["name"]] = candidate.get("matchScore")
    return found


def test_a_user_report_layout_shows_every_candidate_in_rank_order_escaped(tmp_path):
    page = report(HOSTILE, COMPLETED, templates=directory(tmp_path), theme="light")
    assert '<h1 class="acme">Acme hiring review: Candidate report</h1>' in page
    assert 'class="masthead"' not in page  # their layout, not ours
    assert "display: grid" in page and "border-bottom: 4px solid #1a5bc4" in page
    rows = [(int(rank), html.unescape(name)) for rank, name in _ROW.findall(page)]
    known = scores(HOSTILE, COMPLETED)
    assert [rank for rank, _ in rows] == list(range(1, len(known) + 1))
    ranked = [known[name] for _, name in rows]
    assert ranked == sorted(ranked, key=lambda score: -(score or 0))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page and "<img src=x" not in page
    assert page.count('<section class="candidate"') == len(known)
    assert page.count("data-profile-id=") == len(known)  # our cards, inside their page


def test_the_report_cards_are_the_users_card_template(tmp_path):
    mine = directory(tmp_path, card_html=LAYOUT_HTML, card_css=LAYOUT_CSS)
    page = report(COMPLETED, templates=mine, theme="light")
    assert page.count("border:2px solid #1a5bc4") == 14  # LAYOUT_CSS, inlined per card
    assert page.count('class="mine"') == 0 and page.count("data-profile-id=") == 14


@pytest.mark.parametrize("locale", ["en", "sk", "ar"])
def test_our_report_templates_as_a_user_directory_give_the_same_report(tmp_path, locale):
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("report.html", "report.css", "card.html", "card.css"):
        shutil.copy(resource_dir("templates") / name, copy)
    sources = (COMPLETED, FIXTURES / "enrich-partial.json", HOSTILE)
    ours = report(*sources, locale=locale, title="Payments")
    mine = report(
        *sources, locale=locale, title="Payments", templates=copy, allow_css=OUR_CSS_ALLOWANCES
    )
    assert mine == ours


FORBIDDEN = [
    ("report.html", "{% autoescape false %}{{ title }}{% endautoescape %}", "autoescaping off"),
    ("report.html", "<p>{{ title|safe }}</p>", "|safe"),
    ("report.html", "<p>{{ Markup(title) }}</p>", "Markup"),
    ("report.html", "<script>print()</script>", "<script>"),
    ("report.html", "<style>.x { color: red }</style>", "<style> belongs in the page's <head>"),
    ("report.html", '<link rel="stylesheet" href="https://fonts.example/f.css">', "<link>"),
    ("report.html", '<p onclick="steal()">x</p>', "<p onclick>"),
    ("report.html", '<form action="https://x.example"><input name="q"></form>', "<form>"),
    ("report.html", '<iframe src="https://x.example"></iframe>', "<iframe>"),
    ("report.html", '<object data="https://x.example/a.swf"></object>', "<object>"),
    ("report.html", '<embed src="https://x.example/a.swf">', "<embed>"),
    ("report.html", '<img alt="" src="https://tracker.example/p.gif">', "<img src> loads"),
    ("report.html", '<img alt="" src="logo.png">', "<img src> loads"),
    ("report.html", '<svg><image href="https://x.example/a.png"/></svg>', "<image href> loads"),
    ("report.html", '<a href="javascript:alert(1)">x</a>', "script URL"),
    ("report.html", '<a href=" JaVa&#x09;script:alert(1)">x</a>', "script URL"),
    ("report.html", '<p style="background: url(https://x.example/a.png)">x</p>', "url()"),
    ("report.html", '<meta http-equiv="refresh" content="0; url=https://x.example">', "refresh"),
    ("report.css", ".x { background: url(https://x.example/a.png); }", "url()"),
    ("report.css", ".x { background: url('//x.example/a.png'); }", "url()"),
    ("report.css", '@import "https://fonts.example/f.css";', "@import"),
    ("report.css", "@font-face { font-family: X; src: url(x.woff2); }", "url()"),
]


@pytest.mark.parametrize(("file", "snippet", "words"), FORBIDDEN)
def test_each_forbidden_construct_in_a_report_is_refused_with_its_line(
    tmp_path, file, snippet, words
):
    line = BODY_LINE if file == "report.html" else CSS_LINE
    lines = {"report.html": REPORT_HTML, "report.css": REPORT_CSS}[file].splitlines()
    text = "\n".join([*lines[: line - 1], snippet, *lines[line - 1 :]]) + "\n"
    mine = directory(tmp_path, **{file.replace(".", "_"): text})
    with pytest.raises(InvalidTemplate) as caught:
        report(COMPLETED, templates=mine)
    assert caught.value.code == "INVALID_TEMPLATE"
    assert {d.field for d in caught.value.details} == {f"{file}:{line}"}
    assert any(words in d.message for d in caught.value.details), caught.value.message


def test_css_in_the_head_is_checked_with_the_line_of_each_rule(tmp_path):
    fetching = 'h1 { color: red; }\n.logo { background: url("https://x.example/logo.png"); }'
    body = REPORT_HTML.replace("<style>\n", "<style>\n" + fetching + "\n")
    with pytest.raises(InvalidTemplate) as caught:
        report(COMPLETED, templates=directory(tmp_path, report_html=body))
    assert [d.field for d in caught.value.details] == ["report.html:8"]


def test_a_partial_only_the_report_includes_follows_the_report_rules(tmp_path):
    header = '<header style="display: flex">\n<h1>{{ title }}</h1>\n</header>\n'
    body = REPORT_HTML.replace(
        '<h1 class="acme">', '[% include "header.html" %]\n<h1 class="acme">'
    )
    page = report(COMPLETED, templates=directory(tmp_path, report_html=body, header_html=header))
    assert '<header style="display: flex">' in page
    shared = write(tmp_path / "mine", {"card.html": '[% include "header.html" %]\n' + LAYOUT_HTML})
    with pytest.raises(InvalidTemplate, match=r"header.html:1: display: flex"):
        report(COMPLETED, templates=shared)  # a card (and so an e-mail) includes it too


def test_a_name_the_report_does_not_have_is_a_typed_error(tmp_path):
    body = REPORT_HTML.replace("{{ entry.row.name }}", "{{ entry.row.photo }}")
    with pytest.raises(InvalidTemplate, match=r"report.html \(dark theme, locale en\).*photo"):
        report(COMPLETED, templates=directory(tmp_path, report_html=body))


def test_cli_report_uses_the_template_directory(tmp_path):
    out = tmp_path / "report.html"
    result = invoke("report", COMPLETED, "--templates", directory(tmp_path), "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "Acme hiring review" in out.read_text(encoding="utf-8")


def test_cli_report_refuses_an_unsafe_directory_in_one_line_and_writes_nothing(tmp_path):
    lines = REPORT_HTML.splitlines()
    text = "\n".join([*lines[: BODY_LINE - 1], "<script>x</script>", *lines[BODY_LINE - 1 :]])
    out = tmp_path / "report.html"
    args = ("report", COMPLETED, "--templates", directory(tmp_path, report_html=text), "-o", out)
    result = invoke(*args)
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and f"report.html:{BODY_LINE}: <script>" in line
    assert not out.exists()


def test_cli_report_allow_css_is_for_the_cards(tmp_path):
    css = LAYOUT_CSS + ".who { position: relative; }\n"
    mine = directory(tmp_path, card_html=LAYOUT_HTML, card_css=css)
    args = ("report", COMPLETED, "--templates", mine, "-o", tmp_path / "r.html")
    refused = invoke(*args)
    assert refused.exit_code == 1 and "card.css:4: position: relative" in refused.stderr
    assert invoke(*args, "--allow-css", "css-position").exit_code == 0


def test_themes_templates_checks_the_report_too(tmp_path):
    body = REPORT_HTML.replace("{{ entry.row.name }}", "{{ entry.row.photo }}")
    result = invoke("themes", "--templates", directory(tmp_path, report_html=body))
    assert result.exit_code == 1
    assert "report.html (dark theme, locale en)" in result.stderr


@pytest.mark.browser
def test_a_pdf_of_a_user_report_shows_its_layout_and_the_candidates(tmp_path, chromium_installed):
    pdf = tmp_path / "report.pdf"
    command = ["report", str(COMPLETED), "-t", "light", "--templates", str(directory(tmp_path))]
    done = subprocess.run(
        [sys.executable, "-m", "candidate_cards", *command, "--pdf", str(pdf)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    assert text.startswith("Acme hiring review: Candidate report")
    known = scores(COMPLETED)
    best_first = sorted(known, key=lambda name: -(known[name] or 0))
    listed = [text.index(name) for name in best_first]  # the list, above every card
    assert listed == sorted(listed)
    assert all(text.count(name) >= 2 for name in known)  # in the list and on its card
