"""render_email: the document's structure, errors, size budget, validity, snapshots, MIME."""

from __future__ import annotations

import email
import email.policy
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from candidate_cards import (
    EmailSizeWarning,
    InvalidRenderPayload,
    InvalidTheme,
    TooManyProfiles,
    get_theme,
    load_candidates,
    render_cards,
    render_email,
)
from candidate_cards import templates as templates_module
from candidate_cards.email import NEAR_CLIP_BYTES, SIZE_BUDGET_BYTES
from tests.conftest import (
    CARD_FIXTURES,
    THEMES,
    HTMLFileSnapshot,
    TextFileSnapshot,
    load_fixture,
)

ROOT = Path(__file__).parents[1]
VNU_JAR = ROOT / "tests/js/node_modules/vnu-jar/build/dist/vnu.jar"


def _request():
    return load_candidates(load_fixture("render-request.json")).candidates


@pytest.mark.parametrize("theme", THEMES)
def test_the_document_has_what_mail_clients_need(theme):
    html = render_email(_request(), theme, subject="Shortlist", preheader="Three picks").html
    scheme = get_theme(theme).color_scheme
    canvas = get_theme(theme).colors["canvas"]
    assert html.startswith('<!DOCTYPE html><html lang="en" dir="ltr"><head><meta charset="utf-8">')
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert f'<meta name="color-scheme" content="{scheme}">' in html
    assert f'<meta name="supported-color-schemes" content="{scheme}">' in html
    assert "<title>Shortlist</title>" in html
    assert re.search(rf'<body style="[^"]*background-color:{canvas}" bgcolor="{canvas}">', html)
    assert re.search(r'<div style="display:none;[^"]*">Three picks\u200c', html)
    assert '<!--[if mso]><table role="presentation" width="600" align="center"' in html
    container = re.search(r"<table [^>]*max-width:600px[^>]*>", html).group()
    assert f'bgcolor="{canvas}"' in container and 'align="center"' in container
    assert " class=" not in html and "<style" not in html


def test_cards_are_the_render_cards_markup_in_order():
    candidates = _request()
    html = render_email(candidates, "light").html
    for card in render_cards(candidates, "light").cards:
        # The document states lang and dir once; the cards inside it do not repeat them.
        assert card.html.replace(' lang="en" dir="ltr"', "", 1) in html
    ids = re.findall(r'data-profile-id="([^"]+)"', html)
    assert ids == [c.profile_id for c in candidates]


def test_text_is_escaped_and_defaults_fill_in():
    document = render_email(_request(), subject="  <b>Q3 & co</b> ", intro="Hi <team>")
    assert "<title>&lt;b&gt;Q3 &amp; co&lt;/b&gt;</title>" in document.html
    assert "Hi &lt;team&gt;</td>" in document.html
    assert document.subject == "<b>Q3 & co</b>"
    plain = render_email(_request())
    assert plain.subject == "Candidate shortlist"
    names = ", ".join(c.name for c in _request())
    assert re.search(rf'display:none;[^"]*">{names}\u200c', plain.html)


def test_render_is_deterministic():
    assert render_email(_request(), "light").html == render_email(_request(), "light").html


@pytest.mark.parametrize(
    ("profiles", "error", "field"),
    [
        ([], InvalidRenderPayload, "profiles"),
        ([{"profileId": f"p{i}", "name": "N"} for i in range(11)], TooManyProfiles, "profiles"),
        (
            [{"profileId": "p1", "name": "A", "matchScore": "high"}],
            InvalidRenderPayload,
            "profiles[0].matchScore",
        ),
    ],
)
def test_the_render_cards_limits_and_errors_apply(profiles, error, field):
    with pytest.raises(error) as caught:
        render_email(profiles)
    assert field in [d.field for d in caught.value.details]


def test_unknown_theme_and_wrong_option_types_are_named():
    with pytest.raises(InvalidTheme):
        render_email(_request(), "sepia")
    with pytest.raises(InvalidRenderPayload) as caught:
        render_email(_request(), subject=3, intro=["x"])
    assert [d.field for d in caught.value.details] == ["subject", "intro"]


def test_no_inliner_runs_per_call(monkeypatch):
    render_email(_request(), "dark")  # compiles the templates once

    def refuse(*args, **kwargs):
        raise AssertionError("an inliner ran during a render")

    monkeypatch.setattr(templates_module, "_premailer_document", refuse)
    monkeypatch.setattr(templates_module, "_inliner", None)
    assert render_email(_request(), "dark").count == 3


def test_importing_the_package_does_not_import_premailer():
    code = "import sys, candidate_cards; sys.exit('premailer' in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True, env=_env())


# -- size -------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", THEMES)
def test_ten_rich_cards_fit_the_size_budget(sourcing_candidates, theme):
    with warnings.catch_warnings():
        warnings.simplefilter("error", EmailSizeWarning)
        document = render_email(sourcing_candidates[:10], theme, intro="The ten strongest.")
    assert document.count == 10
    assert document.size_bytes == len(document.html.encode())
    assert document.size_bytes <= SIZE_BUDGET_BYTES, f"{document.size_bytes:,} bytes"
    assert not document.near_clip


def test_a_document_near_the_clip_warns(sourcing_candidates):
    with pytest.warns(EmailSizeWarning, match="Gmail clips"):
        document = render_email(sourcing_candidates[:10], intro="word " * 6000)
    assert document.size_bytes >= NEAR_CLIP_BYTES and document.near_clip


# -- validity ---------------------------------------------------------------------------


def test_the_nu_html_checker_reports_no_errors(tmp_path):
    if not VNU_JAR.is_file() or shutil.which("java") is None:
        pytest.fail("vnu.jar or Java is missing: run scripts/test-setup (npm ci in tests/js)")
    files = []
    for name in ("render-request", "long", "unicode", "hostile"):
        candidates = load_candidates(load_fixture(CARD_FIXTURES[name])).candidates[:10]
        for theme in THEMES:
            path = tmp_path / f"{name}-{theme}.html"
            path.write_text(render_email(candidates, theme, intro="Hi").html, encoding="utf-8")
            files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", *files], capture_output=True, text=True
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


# -- snapshots and MIME -----------------------------------------------------------------


@pytest.mark.parametrize("theme", THEMES)
def test_document_snapshot(snapshot, theme):
    document = render_email(_request(), theme, subject="Backend shortlist", intro="Three picks.")
    assert document.html == snapshot(extension_class=HTMLFileSnapshot)


@pytest.mark.parametrize("theme", THEMES)
def test_text_snapshot(snapshot, theme):
    document = render_email(_request(), theme, subject="Backend shortlist", intro="Three picks.")
    assert document.text == snapshot(extension_class=TextFileSnapshot)


def test_the_example_writes_an_eml_that_parses_back(tmp_path):
    output = tmp_path / "shortlist.eml"
    subprocess.run(
        [
            sys.executable,
            "examples/email_message.py",
            "examples/render-request.json",
            "-o",
            str(output),
        ],
        check=True,
        cwd=ROOT,
        env=_env(),
        capture_output=True,
    )
    message = email.message_from_bytes(output.read_bytes(), policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    text, html = (part.get_content().replace("\r\n", "\n") for part in message.iter_parts())
    expected = render_email(
        load_candidates(load_fixture("render-request.json")).candidates, "light"
    )
    assert message["Subject"] == expected.subject
    assert message["Date"] and message["Message-ID"].endswith("@example.com>")
    assert text == expected.text
    assert html.rstrip("\n") == expected.html.rstrip("\n")


@pytest.mark.parametrize(
    "payload, problem",
    [
        ("tests/fixtures/sourcing-completed.json", "14 candidates; one e-mail shows at most 10"),
        ("tests/fixtures/render-request-invalid.json", "profiles[0].matchScore"),
        ("README.md", "not a JSON payload"),
        ("tests/fixtures/missing.json", "cannot be read (No such file or directory)"),
    ],
)
def test_the_example_refuses_bad_input_in_one_line(tmp_path, payload, problem):
    output = tmp_path / "shortlist.eml"
    done = subprocess.run(
        [sys.executable, "examples/email_message.py", payload, "-o", str(output)],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"error: {payload}: ") and problem in line
    assert not output.exists()


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}
