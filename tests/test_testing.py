"""``candidate_cards.testing`` without a browser: finding axe-core, the e-mail CSS check."""

from __future__ import annotations

import pytest

from candidate_cards.errors import AxeUnavailable
from candidate_cards.testing import AXE_ENV, email_css_problems, find_axe


def test_axe_is_found_in_node_modules_up_from_the_working_directory(tmp_path, monkeypatch):
    script = tmp_path / "node_modules" / "axe-core" / "axe.min.js"
    script.parent.mkdir(parents=True)
    script.write_text("/* axe */", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    monkeypatch.delenv(AXE_ENV, raising=False)
    monkeypatch.chdir(tmp_path / "tests")
    assert find_axe() == script
    monkeypatch.setenv(AXE_ENV, str(script))
    monkeypatch.chdir("/")
    assert find_axe() == script


def test_missing_axe_is_one_line_saying_what_to_install(tmp_path, monkeypatch):
    monkeypatch.delenv(AXE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AxeUnavailable) as caught:
        find_axe()
    assert caught.value.code == "AXE_UNAVAILABLE"
    assert "npm install axe-core" in caught.value.message
    assert "\n" not in caught.value.message
    with pytest.raises(AxeUnavailable, match=r"gone\.js"):
        find_axe(tmp_path / "gone.js")


def test_the_email_css_check_finds_what_clients_drop_and_what_runs():
    html = (
        '<div style="display:flex">\n<img src="https://tracker.example/p.gif" alt="">\n'
        "<script>x()</script></div>"
    )
    problems = email_css_problems(html)
    assert [problem.split(":")[0] for problem in problems] == ["line 1", "line 2", "line 3"]
    assert "caniemail css-display-flex" in problems[0]
    assert email_css_problems('<div style="display:flex">x</div>', {"css-display-flex"}) == []


def test_candidate_text_that_looks_like_jinja_is_not_a_problem():
    assert email_css_problems("<p>Markup languages | safe pipelines</p>") == []
