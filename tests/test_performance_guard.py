"""The per-call path stays a plain template render: no inliner, no compile, no file I/O.

A regression guard that cannot flake: instead of timing, it breaks every slow step after
warm-up and checks that rendering still works.
"""

from __future__ import annotations

import builtins

import pytest

from candidate_cards import render_cards, templates
from candidate_cards.templates import render_env


def forbidden(*_args, **_kwargs):
    raise AssertionError("a load-time step ran on the per-call path")


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_render_cards_runs_no_inliner_compile_or_io_after_warm_up(
    theme, monkeypatch, sourcing_candidates
):
    expected = render_cards(sourcing_candidates[:10], theme).html

    class NoInliner:
        inline_fragment = inline = staticmethod(forbidden)

    monkeypatch.setattr(templates, "_inliner", lambda: NoInliner())
    monkeypatch.setattr(templates, "themed_source", forbidden)
    monkeypatch.setattr(render_env(), "from_string", forbidden)
    monkeypatch.setattr(builtins, "open", forbidden)

    assert render_cards(sourcing_candidates[:10], theme).html == expected


def test_each_theme_compiles_its_card_template_once(monkeypatch, sourcing_candidates):
    calls = []
    original = templates.inline_template
    monkeypatch.setattr(templates, "_compiled", {})
    monkeypatch.setattr(templates, "inline_template", lambda *a: calls.append(a) or original(*a))
    for _ in range(3):
        render_cards(sourcing_candidates[:10], "dark")
        render_cards(sourcing_candidates[:10], "light")
    assert len(calls) == 2
