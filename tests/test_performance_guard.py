"""The per-call path stays a plain template render: no inliner, no compile, no file I/O.

A regression guard that cannot flake: instead of timing, it breaks every slow step after
warm-up and checks that rendering still works.
"""

from __future__ import annotations

import builtins

import pytest

from candidate_cards import render_cards, render_email, templates
from candidate_cards.templates import render_env


def forbidden(*_args, **_kwargs):
    raise AssertionError("a load-time step ran on the per-call path")


def _cards(profiles, theme):
    return render_cards(profiles, theme).html


def _email(profiles, theme):
    document = render_email(profiles, theme)
    return document.html + document.text


@pytest.mark.parametrize("render", [_cards, _email], ids=["render_cards", "render_email"])
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_rendering_runs_no_inliner_compile_or_io_after_warm_up(
    render, theme, monkeypatch, sourcing_candidates
):
    expected = render(sourcing_candidates[:10], theme)

    class NoInliner:
        inline_fragment = inline = staticmethod(forbidden)

    monkeypatch.setattr(templates, "_inliner", lambda: NoInliner())
    monkeypatch.setattr(templates, "_premailer_document", forbidden)
    monkeypatch.setattr(templates, "themed_source", forbidden)
    monkeypatch.setattr(render_env(), "from_string", forbidden)
    monkeypatch.setattr(builtins, "open", forbidden)

    assert render(sourcing_candidates[:10], theme) == expected


def test_each_theme_compiles_its_card_template_once(monkeypatch, sourcing_candidates):
    calls = []
    original = templates.inline_template
    monkeypatch.setattr(templates, "_compiled", {})
    monkeypatch.setattr(templates, "inline_template", lambda *a: calls.append(a) or original(*a))
    for _ in range(3):
        render_cards(sourcing_candidates[:10], "dark")
        render_cards(sourcing_candidates[:10], "light")
    assert len(calls) == 2
