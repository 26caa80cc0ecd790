"""The examples in examples/ run as documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_render_examples_writes_every_payload_in_both_themes(tmp_path):
    subprocess.run([sys.executable, EXAMPLES / "render_examples.py", tmp_path], check=True)
    payloads = {path.stem for path in EXAMPLES.glob("*.json")}
    written = {path.name for path in tmp_path.glob("*.html")}
    assert written == {f"{stem}-{theme}.html" for stem in payloads for theme in ("dark", "light")}
    assert "Priya Raman" in (tmp_path / "sourcing-results-dark.html").read_text()


def test_embed_example_prints_a_page_with_the_cards():
    page = subprocess.run(
        [sys.executable, EXAMPLES / "embed_in_dashboard.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert page.startswith("<!doctype html>")
    assert page.count('role="presentation" data-profile-id=') == 3


def test_mjml_example_puts_each_card_in_an_mj_raw_table_row():
    mjml = subprocess.run(
        [sys.executable, EXAMPLES / "mjml_shortlist.py", EXAMPLES / "render-request.json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert mjml.startswith("<mjml>")
    rows = mjml.split("<mj-raw>")[1:]
    assert len(rows) == 3
    for row in rows:
        assert row.startswith('<tr><td style="padding:0 25px 16px"><table role="presentation"')
        assert row.count("data-profile-id=") == 1
        assert row.split("</mj-raw>")[0].endswith("</table></td></tr>")
