"""Drive the system's Chromium through Playwright: screenshots and PDFs.

Playwright is an optional dependency (``pip install 'candidate-cards[browser]'``) and is
imported only here. We never download a browser: Chromium comes from the system
(``/usr/bin/chromium`` on Debian), or from ``CANDIDATE_CARDS_CHROMIUM``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BrowserUnavailable, requires_extra

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def find_chromium() -> Path | None:
    """The Chromium binary to use, or ``None`` when there is none."""
    configured = os.environ.get("CANDIDATE_CARDS_CHROMIUM")
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium, closed on exit."""
    executable = find_chromium()
    if executable is None:
        raise BrowserUnavailable(
            "Chromium is not installed: install it (Debian: apt-get install chromium) "
            "or set CANDIDATE_CARDS_CHROMIUM to its path."
        )
    with requires_extra("browser"):
        from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(executable), args=list(CHROMIUM_FLAGS)
        )
        try:
            yield browser
        finally:
            browser.close()
