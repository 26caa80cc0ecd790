"""The progress bar: only on a terminal, and only once the work is slow."""

from __future__ import annotations

import io

from rich.console import Console

from candidate_cards import progress
from candidate_cards.progress import progress_bar


def test_no_bar_off_a_terminal():
    console = Console(file=io.StringIO(), force_terminal=False)
    with progress_bar(console) as update:
        assert update is None


def test_quick_work_on_a_terminal_shows_nothing():
    out = io.StringIO()
    with progress_bar(Console(file=out, force_terminal=True)) as update:
        update("Writing", 10, 10)
    assert out.getvalue() == ""


def test_slow_work_on_a_terminal_shows_a_bar(monkeypatch):
    monkeypatch.setattr(progress, "DELAY_SECONDS", 0.0)
    out = io.StringIO()
    with progress_bar(Console(file=out, force_terminal=True, width=80)) as update:
        update("Reading", 500, None)
        update("Writing", 250, 500)
    assert "Writing candidates" in out.getvalue()
    assert "250/500" in out.getvalue()
