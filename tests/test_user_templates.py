"""A user's own templates: compiled by our pipeline, refused with each problem and its line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from candidate_cards import InvalidTemplate, render_cards
from candidate_cards.cli import app
from candidate_cards.resources import resource_dir
from tests.conftest import FIXTURES, load_fixture
from tests.test_email_compat import ALLOWED

ROOT = Path(__file__).resolve().parents[1]
#: What our own card.css uses although a client drops it: the reviewed allow-list's CSS.
OUR_CSS_ALLOWANCES = {feature for feature in ALLOWED if feature.startswith("css-")}
PEOPLE = [{"profileId": "p1", "name": "<b>Jane</b> & co", "matchScore": 91}]

LAYOUT_HTML = """<table role="presentation" data-profile-id="{{ card.profile_id }}" class="mine"
  width="100%" cellpadding="0" cellspacing="0">
<tr><td class="pad">
  <div class="who">{{ card.name }}</div>
  {% if card.score %}<div>{{ card.score.text }} · {{ card.score.label }}</div>{% endif %}
</td></tr>
</table>
"""
LAYOUT_CSS = """.mine { background-color: [[ c.surface ]]; border: 2px solid [[ c.link ]]; }
.pad { padding: 12px; color: [[ c.text ]]; font-family: [[ f.family ]]; }
.who { font-weight: 700; }
"""


def write(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_a_user_layout_renders_through_our_pipeline(tmp_path):
    mine = write(tmp_path / "mine", {"card.html": LAYOUT_HTML, "card.css": LAYOUT_CSS})
    html = render_cards(PEOPLE, "light", templates=mine).html
    assert html.startswith('<table role="presentation" data-profile-id="p1"')
    assert "border:2px solid #1a5bc4" in html  # the light theme's link colour, inlined
    assert "class=" not in html and "<style" not in html
    assert "&lt;b&gt;Jane&lt;/b&gt; &amp; co" in html
    assert "91 · Excellent match" in html


def test_our_own_templates_as_a_user_directory_render_byte_for_byte_the_same(tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("card.html", "card.css"):
        shutil.copy(resource_dir("templates") / name, copy)
    people = load_fixture("render-request.json")["profiles"]
    for theme in ("dark", "light"):
        mine = render_cards(people, theme, templates=copy, allow_css=OUR_CSS_ALLOWANCES)
        assert mine.html == render_cards(people, theme).html


def test_a_directory_may_override_only_the_stylesheet(tmp_path):
    css = (resource_dir("templates") / "card.css").read_text(encoding="utf-8")
    mine = write(
        tmp_path / "css", {"card.css": css.replace("font-weight: 800", "font-weight: 400")}
    )
    html = render_cards(PEOPLE, templates=mine, allow_css=OUR_CSS_ALLOWANCES).html
    assert "font-weight:400" in html
    assert html.count("data-profile-id") == 1


FORBIDDEN = [
    ("card.html", "{% autoescape false %}{{ card.name }}{% endautoescape %}", "autoescaping off"),
    ("card.html", "<div>{{ card.name|safe }}</div>", "|safe"),
    ("card.html", "<div>{{ card.name | safe }}</div>", "|safe"),
    ("card.html", "<div>{{ Markup(card.name) }}</div>", "Markup"),
    ("card.html", "<script>alert(1)</script>", "<script>"),
    ("card.html", "<style>.x { color: red }</style>", "<style>"),
    ("card.html", '<link rel="stylesheet" href="https://fonts.example/f.css">', "<link>"),
    ("card.html", '<div onclick="steal()">x</div>', "<div onclick>"),
    ("card.html", '<form action="https://x.example"><input name="q"></form>', "<form>"),
    ("card.html", '<iframe src="https://x.example"></iframe>', "<iframe>"),
    ("card.html", '<img src="https://tracker.example/p.gif" alt="">', "<img src>"),
    ("card.html", '<div style="display: flex">x</div>', "css-display-flex"),
    ("card.html", '<div style="position:absolute">x</div>', "css-position"),
    ("card.css", ".x { background: url(https://x.example/a.png); }", "url()"),
    ("card.css", '@import "https://x.example/a.css";', "@import"),
    ("card.css", ".x { display: grid; }", "css-display-grid"),
    ("card.css", ".x { color: var(--brand); }", "css-variables"),
    ("card.css", ".x { grid-template-columns: 1fr 1fr; }", "css-grid-template"),
]


@pytest.mark.parametrize(("file", "snippet", "words"), FORBIDDEN)
def test_each_forbidden_construct_is_refused_with_its_line(tmp_path, file, snippet, words):
    ours = {"card.html": LAYOUT_HTML, "card.css": LAYOUT_CSS}
    lines = ours[file].splitlines()
    ours[file] = "\n".join([*lines[:2], snippet, *lines[2:]]) + "\n"  # the snippet is line 3
    mine = write(tmp_path / "bad", ours)
    with pytest.raises(InvalidTemplate) as caught:
        render_cards(PEOPLE, templates=mine)
    assert caught.value.code == "INVALID_TEMPLATE"
    assert {d.field for d in caught.value.details} == {f"{file}:3"}
    assert any(words in d.message for d in caught.value.details)


def test_every_problem_is_listed_at_once(tmp_path):
    html = "<table>\n<script>x</script>\n<tr><td onclick='x()'>{{ card.name|safe }}</td></tr>\n"
    mine = write(
        tmp_path / "bad", {"card.html": html + "</table>\n", "card.css": ".x { position: fixed; }"}
    )
    with pytest.raises(InvalidTemplate) as caught:
        render_cards(PEOPLE, templates=mine)
    fields = [d.field for d in caught.value.details]
    assert fields == ["card.css:1", "card.html:2", "card.html:3", "card.html:3"]
    assert "4 problems" in caught.value.message


def test_a_named_css_feature_can_be_allowed(tmp_path):
    css = LAYOUT_CSS + ".who { position: relative; }\n"
    mine = write(tmp_path / "mine", {"card.html": LAYOUT_HTML, "card.css": css})
    with pytest.raises(InvalidTemplate, match="css-position"):
        render_cards(PEOPLE, templates=mine)
    html = render_cards(PEOPLE, templates=mine, allow_css={"css-position"}).html
    assert "position:relative" in html


def test_an_edited_template_is_compiled_again(tmp_path):
    mine = write(tmp_path / "mine", {"card.html": LAYOUT_HTML, "card.css": LAYOUT_CSS})
    assert "border:2px solid" in render_cards(PEOPLE, templates=mine).html
    write(mine, {"card.css": LAYOUT_CSS.replace("2px solid", "3px dashed")})
    assert "border:3px dashed" in render_cards(PEOPLE, templates=mine).html


@pytest.mark.parametrize(
    ("html", "field", "words"),
    [
        ("<div>\n{% if card.name %}\n</div>\n", "card.html:", "endif"),
        ("<div>{{ card.no_such_field }}</div>\n", "card.html", "no_such_field"),
    ],
)
def test_template_faults_are_typed_errors_not_tracebacks(tmp_path, html, field, words):
    mine = write(tmp_path / "mine", {"card.html": html})
    with pytest.raises(InvalidTemplate) as caught:
        render_cards(PEOPLE, templates=mine)
    assert caught.value.details[0].field.startswith(field)
    assert words in caught.value.message


def test_a_missing_directory_is_named(tmp_path):
    with pytest.raises(InvalidTemplate, match="is not a directory"):
        render_cards(PEOPLE, templates=tmp_path / "nowhere")


def invoke(*args: object):
    return CliRunner().invoke(app, [str(arg) for arg in args])


def test_cli_render_uses_a_template_directory(tmp_path):
    mine = write(tmp_path / "mine", {"card.html": LAYOUT_HTML, "card.css": LAYOUT_CSS})
    result = invoke("render", FIXTURES / "render-request.json", "--templates", mine)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("border:2px solid") == 3


def test_cli_render_refuses_an_unsafe_directory_in_one_line(tmp_path):
    mine = write(tmp_path / "bad", {"card.html": "<div>\n<script>x</script>\n</div>\n"})
    result = invoke("render", FIXTURES / "render-request.json", "--templates", mine)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "card.html:2: <script>" in lines[0]


def test_cli_allow_css_names_a_feature(tmp_path):
    css = LAYOUT_CSS + ".who { position: relative; }\n"
    mine = write(tmp_path / "mine", {"card.html": LAYOUT_HTML, "card.css": css})
    args = ("render", FIXTURES / "render-request.json", "--templates", mine)
    assert invoke(*args).exit_code == 1
    assert invoke(*args, "--allow-css", "css-position").exit_code == 0


def test_the_shipped_css_data_is_what_the_script_makes_from_caniemail(tmp_path):
    out = tmp_path / "email-css.json"
    script = ROOT / "scripts" / "email-css-data"
    subprocess.run([sys.executable, script, out], check=True, capture_output=True)
    shipped = ROOT / "src" / "candidate_cards" / "data" / "email-css.json"
    assert json.loads(out.read_text()) == json.loads(shipped.read_text())


def test_cli_email_and_text_use_the_template_directory(tmp_path):
    mine = write(tmp_path / "mine", {"card.html": LAYOUT_HTML, "card.css": LAYOUT_CSS})
    args = ("render", FIXTURES / "render-request.json", "--templates", mine)
    email = invoke(*args, "--email")
    assert email.exit_code == 0, email.stderr
    assert "</html>" in email.stdout and email.stdout.count("border:2px solid") == 3
    assert invoke(*args, "--text").exit_code == 0
