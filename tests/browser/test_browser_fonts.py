"""Chromium in the tests sees only the fonts scripts/test-setup installs (browser/fonts.conf)."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.conftest import FONTS_CONF

pytestmark = pytest.mark.browser

SAMPLE = "Wide mono 0123 quick brown fox"


def families(*, fontconfig: str | None) -> set[str]:
    """The font families fontconfig lists, with the machine's config or with ``fontconfig``."""
    env = {name: value for name, value in os.environ.items() if name != "FONTCONFIG_FILE"}
    if fontconfig:
        env["FONTCONFIG_FILE"] = fontconfig
    listed = subprocess.run(
        ["fc-list", ":", "family"], env=env, capture_output=True, text=True, check=True
    ).stdout
    return {name.strip() for line in listed.splitlines() for name in line.split(",") if name}


def text_width(page, family: str) -> float:
    """The width of ``SAMPLE`` in CSS ``font-family: family``."""
    page.set_content(f'<span style="font-family:{family};font-size:40px">{SAMPLE}</span>')
    return page.locator("span").evaluate("span => span.getBoundingClientRect().width")


def test_the_fontconfig_names_the_installed_fonts() -> None:
    """Every family scripts/test-setup installs is there, so none fall back silently."""
    ours = families(fontconfig=str(FONTS_CONF))
    assert {"DejaVu Sans", "DejaVu Sans Mono", "DejaVu Serif", "Noto Sans CJK JP"} <= ours
    assert {"Noto Color Emoji", "Lohit Devanagari"} <= ours


def test_fonts_outside_the_set_do_not_reach_chromium(page) -> None:
    """A font the machine has but test-setup does not install renders as the fallback."""
    extra = families(fontconfig=None) - families(fontconfig=str(FONTS_CONF))
    fallback = text_width(page, "monospace")
    assert text_width(page, "'DejaVu Serif', monospace") != fallback  # the probe can tell
    used = [name for name in sorted(extra) if text_width(page, f"'{name}', monospace") != fallback]
    assert used == [], f"fonts outside tests/browser/fonts.conf reached Chromium: {used}"
