"""The command line through its real entry point: every command, exit code and message."""

from __future__ import annotations

import email
import email.policy
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from candidate_cards.cli import app
from tests.conftest import FIXTURES

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture
def run():
    """Invoke the CLI; stdout and stderr kept apart."""
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None):
        return runner.invoke(app, [str(arg) for arg in args], input=stdin)

    return invoke


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def one_line_error(result) -> str:
    """The single stderr line of a failed command (and no traceback)."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_render_writes_cards_to_stdout_in_the_payloads_theme(run):
    result = run("render", fixture("render-request.json"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count('<table role="presentation" ') >= 3
    assert "#ffffff" in result.stdout  # light theme's surface, as the payload asks


def test_render_reads_stdin(run):
    payload = (FIXTURES / "edge" / "minimal.json").read_text()
    result = run("render", "-", stdin=payload)
    assert result.exit_code == 0, result.stderr
    assert "data-profile-id" in result.stdout


def test_render_writes_a_file_and_says_so(run, tmp_path):
    out = tmp_path / "cards.html"
    result = run("render", fixture("render-request.json"), "-o", out, "--theme", "dark")
    assert result.exit_code == 0, result.stderr
    assert out.read_text().count("data-profile-id") == 3
    assert "3 card(s), dark theme" in result.stderr


def test_render_email_writes_a_whole_document(run, tmp_path):
    out = tmp_path / "shortlist.html"
    result = run(
        "render", fixture("render-request.json"), "--email", "--subject", "Payments", "-o", out
    )
    assert result.exit_code == 0, result.stderr
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<title>Payments</title>" in page
    assert page.count("data-profile-id") == 3
    assert "an e-mail of 3 card(s), light theme" in result.stderr


def test_render_text_writes_the_plain_text_part(run):
    result = run("render", fixture("render-request.json"), "--text", "--subject", "Payments")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Payments\n")
    assert "1. Priya Raman" in result.stdout and "<" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 78


def test_render_email_and_text_are_alternatives(run):
    result = run("render", fixture("render-request.json"), "--email", "--text")
    assert result.exit_code == 2
    assert "choose one of --email and --text" in result.stderr


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("render-request-invalid.json", "profiles[0].matchScore: expected a number"),
        ("render-request-11.json", "at most 10 profiles per request, got 11"),
        ("render-request-empty.json", "got none"),
        ("render-request-bad-theme.json", "Unknown theme 'sepia'"),
        ("sourcing-processing.json", "is still processing"),
    ],
)
def test_render_bad_input_is_one_line_naming_file_and_field(run, name, expected):
    result = run("render", fixture(name))
    assert result.exit_code == 1
    line = one_line_error(result)
    assert fixture(name) in line
    assert expected in line
    assert result.stdout == ""


def test_missing_file_and_bad_json_are_exit_1(run, tmp_path):
    missing = run("render", tmp_path / "nope.json")
    assert missing.exit_code == 1
    assert one_line_error(missing).endswith("nope.json: no such file")
    broken = tmp_path / "broken.json"
    broken.write_text('{"profiles": [}')
    result = run("report", broken)
    assert result.exit_code == 1
    assert "broken.json: not valid JSON" in one_line_error(result)
    assert "line 1, column 15" in result.stderr


def test_usage_errors_exit_2(run):
    assert run().exit_code == 2
    assert run("render").exit_code == 2
    assert run("report").exit_code == 2
    assert run("report", fixture("sourcing-completed.json"), "--top", "0").exit_code == 2
    assert run("report", "-", "-").exit_code == 2
    assert run("bogus").exit_code == 2


def test_report_to_stdout_with_title_and_top(run):
    result = run(
        "report", fixture("sourcing-completed.json"), "--title", "Payments <team>", "--top", "3"
    )
    assert result.exit_code == 0, result.stderr
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Payments &lt;team&gt;</title>" in page
    assert page.count('<article class="entry"') == 3
    assert "14 candidates, the best 3 shown" in page
    assert "<script" not in page


def test_report_writes_a_file_and_says_so(run, tmp_path):
    out = tmp_path / "report.html"
    result = run("report", EXAMPLES / "sourcing-results.json", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.read_text().count('<article class="entry"') == 14
    assert "14 of 14 candidate(s)" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_report_of_a_failed_and_a_processing_run_is_a_status_report(run):
    result = run("report", fixture("sourcing-failed.json"), fixture("sourcing-processing.json"))
    assert result.exit_code == 0, result.stderr
    page = result.stdout
    assert "No candidates to show" in page
    assert "This run failed: <code>PROVIDER_TEMPORARILY_UNAVAILABLE</code>" in page
    assert "This run is still processing." in page
    assert "Please poll again in 5 seconds." in page


def test_report_invalid_input_names_file_and_field(run, tmp_path):
    payload = json.loads((FIXTURES / "sourcing-completed.json").read_text())
    payload["candidates"][5]["matchScore"] = "high"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(payload))
    out = tmp_path / "report.html"
    result = run("report", fixture("sourcing-completed.json"), bad, "-o", out)
    assert result.exit_code == 1
    line = one_line_error(result)
    assert f"{bad}: Validation failed: candidates[5].matchScore" in line
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_failed_report_never_replaces_a_good_file(run, tmp_path, monkeypatch):
    out = tmp_path / "report.html"
    out.write_text("the good report")

    def explode(sources, handle, **options):
        handle.write("<!DOCTYPE html><html>half a report")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("candidate_cards.cli.reports.write_report", explode)
    result = run("report", fixture("sourcing-completed.json"), "-o", out)
    assert result.exit_code == 1
    assert "No space left on device" in one_line_error(result)
    assert out.read_text() == "the good report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_output_into_a_missing_folder_is_exit_1(run, tmp_path):
    result = run("report", fixture("sourcing-completed.json"), "-o", tmp_path / "no" / "r.html")
    assert result.exit_code == 1
    assert "r.html: cannot be written" in one_line_error(result)


def test_validate_says_all_is_valid(run):
    result = run(
        "validate",
        fixture("sourcing-completed.json"),
        fixture("enrich-partial.json"),
        fixture("sourcing-failed.json"),
    )
    assert result.exit_code == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].startswith("valid")
    assert "14 candidates · sourcing run req_33b81afb" in lines[0]
    assert "2 candidates, 2 failed · enrichment run" in lines[1]
    assert "valid, but Sourcing run req_3f3de98f-3102-4a4a-8488-d3e7ddc102e4 failed" in lines[2]


def test_validate_lists_every_problem_field_by_field(run, tmp_path):
    result = run("validate", fixture("render-request-invalid.json"), tmp_path / "gone.json")
    assert result.exit_code == 1
    out = result.stdout
    assert "invalid" in out
    assert "  profiles[0].matchScore: expected a number from 0 to 100, got a string" in out
    assert "  profiles[1].skills: expected an array, got a string" in out
    assert "  profiles[2].profileId: required" in out
    assert "gone.json: no such file" in out


def test_themes_lists_the_builtin_themes(run):
    result = run("themes")
    assert result.exit_code == 0
    rows = {line.split()[0]: line.split()[1] for line in result.stdout.splitlines()[1:]}
    assert rows == {"dark": "dark", "light": "light"}


def test_themes_checks_a_theme_file(run, tmp_path):
    good = Path(__file__).parent.parent / "themes" / "light.toml"
    result = run("themes", good)
    assert result.exit_code == 0
    assert "theme 'light' (light); every text colour meets WCAG AA" in result.stdout
    bad = tmp_path / "brand.toml"
    bad.write_text(good.read_text().replace('text_muted = "#4a5566"', 'text_muted = "#c0c0c0"'))
    result = run("themes", bad)
    assert result.exit_code == 1
    line = one_line_error(result)
    assert "brand.toml fails WCAG AA contrast: colors.text_muted on colors.surface" in line


def test_report_uses_a_theme_file(run, tmp_path):
    brand = tmp_path / "brand.toml"
    light = (Path(__file__).parent.parent / "themes" / "light.toml").read_text()
    brand.write_text(light.replace('name = "light"', 'name = "brand"'))
    result = run("report", fixture("render-request.json"), "--theme", brand)
    assert result.exit_code == 0, result.stderr
    assert "brand theme." in result.stdout


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "candidate_cards", "validate", fixture("render-request.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "3 candidates (render-request)" in done.stdout


def test_serve_without_keys_refuses_to_start(run, monkeypatch):
    monkeypatch.delenv("CANDIDATE_CARDS_API_KEYS_FILE", raising=False)
    result = run("serve", "--port", "0")
    assert result.exit_code == 1
    assert "No API keys configured" in one_line_error(result)


# -- validate applies the consuming command's checks (issue 12) -----------------------------


@pytest.mark.parametrize(
    "name, problem",
    [
        ("render-request-11.json", "at most 10 profiles per request, got 11"),
        ("render-request-empty.json", "got none"),
        ("render-request-bad-theme.json", "Unknown theme"),
    ],
)
def test_validate_refuses_a_render_request_render_would_refuse(run, name, problem):
    validated = run("validate", fixture(name))
    rendered = run("render", fixture(name))
    assert validated.exit_code == rendered.exit_code == 1
    assert problem in validated.stdout and problem in one_line_error(rendered)
    assert validated.stdout.startswith(f"invalid {fixture(name)}: ")


def test_validate_refuses_a_duplicate_profile_id_as_render_does(run, tmp_path):
    profile = load_json("render-request.json")["profiles"][0]
    payload = tmp_path / "twice.json"
    payload.write_text(json.dumps({"profiles": [profile, profile]}))
    validated, rendered = run("validate", payload), run("render", payload)
    assert validated.exit_code == rendered.exit_code == 1
    assert "profiles[1].profileId: duplicate of profiles[0].profileId" in validated.stdout
    assert "profiles[1].profileId: duplicate of profiles[0].profileId" in rendered.stderr


def test_validate_says_which_command_a_payload_suits(run):
    result = run("validate", fixture("render-request.json"), fixture("sourcing-completed.json"))
    assert result.exit_code == 0, result.stdout
    request, sourcing = result.stdout.splitlines()
    assert request.endswith("· for render and report")
    assert "14 candidates" in sourcing
    assert sourcing.endswith("for report; not render: at most 10 profiles per request, got 14.")


def test_validate_reads_stdin_once_for_both_commands(run):
    payload = (FIXTURES / "render-request-11.json").read_text()
    result = run("validate", "-", stdin=payload)
    assert result.exit_code == 1
    assert result.stdout.startswith("invalid stdin: ") and "got 11" in result.stdout


def test_render_of_too_many_points_to_report(run):
    result = run("render", fixture("sourcing-completed.json"))
    line = one_line_error(result)
    assert "at most 10 profiles per request, got 14" in line
    assert "candidate-cards report takes any number" in line


# -- messages name the right thing (issue 12) -----------------------------------------------


def test_output_naming_a_directory_says_so_and_leaves_nothing(run, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    result = run("render", fixture("render-request.json"), "-o", folder)
    assert result.exit_code == 1
    assert one_line_error(result) == f"error: {folder}: is a directory; name a file to write"
    assert list(folder.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("command", ["render", "report"])
def test_an_unknown_theme_option_is_blamed_on_the_option(run, command):
    result = run(command, fixture("render-request.json"), "-t", "sepia")
    line = one_line_error(result)
    assert line.startswith("error: --theme sepia: Unknown theme 'sepia'")
    assert "render-request.json" not in line


def test_a_low_contrast_theme_file_is_blamed_on_the_option(run, tmp_path):
    light = (Path(__file__).parent.parent / "themes" / "light.toml").read_text()
    faint = tmp_path / "faint.toml"
    faint.write_text(light.replace('text_muted = "#4a5566"', 'text_muted = "#c0c0c0"'))
    line = one_line_error(run("render", fixture("render-request.json"), "-t", faint))
    assert line.startswith(f"error: --theme {faint}: Theme {faint} fails WCAG AA contrast")


def test_report_help_states_the_default_theme_the_code_uses(run, tmp_path):
    help_text = " ".join(run("report", "--help").stdout.split())
    assert "Default: dark." in help_text and "payload" not in help_text.split("--theme")[1][:80]
    out = tmp_path / "r.html"
    assert run("report", fixture("render-request.json"), "-o", out).exit_code == 0
    assert "dark theme." in out.read_text()  # the payload asks for light; report uses dark


@pytest.mark.parametrize("command", ["render", "report", "validate", "themes", "serve"])
def test_help_shows_no_python_type_tags(run, command):
    help_text = run(command, "--help").stdout
    assert not re.search(r"<(bool|str|int|float|path|list\[\w+\])>", help_text), help_text


def test_a_theme_file_with_an_unknown_token_is_valid_with_a_warning(run, tmp_path):
    light = (Path(__file__).parent.parent / "themes" / "light.toml").read_text()
    typo = tmp_path / "typo.toml"
    typo.write_text(light.replace("[colors]", '[colors]\naccnet = "#123456"'))
    result = run("themes", typo)
    assert result.exit_code == 0 and result.stdout.startswith("valid")
    assert result.stderr.strip() == (
        f"warning: Theme {typo} has unknown tokens, ignored: colors.accnet."
    )


def test_serve_without_keys_names_the_command_line_flags(run, monkeypatch):
    monkeypatch.delenv("CANDIDATE_CARDS_API_KEYS_FILE", raising=False)
    line = one_line_error(run("serve", "--port", "0"))
    assert "--api-keys FILE" in line and "--no-auth" in line and "api_keys=" not in line


# -- render --eml (issue 12) ------------------------------------------------------------------


def test_render_eml_writes_a_complete_message(run, tmp_path):
    eml = tmp_path / "shortlist.eml"
    sender = "Sourcing <s@example.com>"
    result = run(
        "render", fixture("render-request.json"), "--eml", eml, "--from", sender,
        "--to", "hiring@example.com", "--to", "Lead <lead@example.org>", "--subject", "Picks",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # only what was asked for
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "Picks" and message["Date"] and message["Message-ID"]
    assert [a.addr_spec for a in message["To"].addresses] == [
        "hiring@example.com",
        "lead@example.org",
    ]
    assert message.get_content_type() == "multipart/alternative"
    html = message.get_body(("html",)).get_content()
    assert html.count('role="presentation" data-profile-id=') == 3


def test_render_eml_needs_sender_and_recipient(run, tmp_path):
    result = run("render", fixture("render-request.json"), "--eml", tmp_path / "m.eml")
    assert result.exit_code == 2
    assert "--eml needs --from and --to" in result.stderr
    assert not (tmp_path / "m.eml").exists()


def test_render_eml_refuses_a_bad_address_in_one_line(run, tmp_path):
    eml = tmp_path / "m.eml"
    result = run(
        "render", fixture("render-request.json"), "--eml", eml, "--from", "nobody",
        "--to", "hiring@example.com",
    )  # fmt: skip
    assert "sender is not a list of e-mail addresses" in one_line_error(result)
    assert not eml.exists()


def load_json(name: str):
    return json.loads((FIXTURES / name).read_text())


# -- --locale ---------------------------------------------------------------------------


def test_render_in_slovak_words_labels_and_plurals_in_slovak(run, tmp_path):
    out = tmp_path / "karty.html"
    result = run("render", EXAMPLES / "render-request.json", "--locale", "sk", "-o", out)
    assert result.exit_code == 0, result.stderr
    html = out.read_text()
    assert 'lang="sk" dir="ltr"' in html
    for label in ("Silné stránky", "Výhrady", "Prax", "Výborná\u00a0zhoda"):
        assert label in html
    more = re.findall(r"\+\d+&nbsp;[^<]+", html)
    assert more == [
        "+6&nbsp;ďalších&nbsp;zručností",
        "+2&nbsp;ďalšie&nbsp;zručnosti",
        "+5&nbsp;ďalších&nbsp;zručností",
    ]
    assert "Led migration of a 40M tx/day ledger" in html  # candidate text stays as written


def test_text_part_and_report_take_the_locale_too(run, tmp_path):
    text = run("render", EXAMPLES / "render-request.json", "--text", "--locale", "de")
    assert text.exit_code == 0, text.stderr
    assert "Stärken:" in text.stdout and "Kandidaten-Shortlist" in text.stdout
    report = run("report", fixture("sourcing-completed.json"), "--locale", "cs")
    assert report.exit_code == 0, report.stderr
    assert '<html lang="cs" dir="ltr">' in report.stdout
    assert "Pořadí" in report.stdout and "Přehled kandidátů" in report.stdout


@pytest.mark.parametrize("command", ["render", "report", "preview"])
def test_an_unknown_locale_is_an_error_listing_the_available_ones(run, command):
    result = run(command, EXAMPLES / "render-request.json", "--locale", "xx")
    assert result.exit_code == 1
    line = one_line_error(result)
    assert "'xx'" in line and "en, de, fr, es, pt, it, nl, pl, cs, sk, ar, ja" in line
