"""Shared fixtures: the bundled payloads, and one Chromium for the whole session."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from candidate_cards.browser import chromium, find_chromium

FIXTURES = Path(__file__).parent / "fixtures"
#: The browser tests' fontconfig: only the fonts scripts/test-setup installs, on any machine.
FONTS_CONF = Path(__file__).parent / "browser" / "fonts.conf"
THEMES = ("dark", "light")

#: Fixtures whose candidates make good cards, by name: (file, how to pick the profiles).
CARD_FIXTURES = {
    "render-request": "render-request.json",
    "default-theme": "render-request-default-theme.json",
    "minimal": "edge/minimal.json",
    "long": "edge/long.json",
    "unicode": "edge/unicode.json",
    "scores": "edge/scores.json",
    "hostile": "edge/hostile.json",
    "enriched": "enrich-completed.json",
    "words": "edge/words.json",
}


def load_fixture(name: str) -> Any:
    """A fixture file, parsed."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sourcing_candidates() -> list[dict[str, Any]]:
    """The 14 candidates of the completed sourcing run."""
    return load_fixture("sourcing-completed.json")["candidates"]


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-screenshots``: rewrite the browser tests' baseline PNGs instead of comparing."""
    parser.addoption(
        "--update-screenshots",
        action="store_true",
        help="write tests/browser/baselines/*.png from this run instead of comparing with them",
    )


_SAVED_FONTCONFIG = pytest.StashKey[str | None]()


def pytest_configure(config: pytest.Config) -> None:
    """Every Chromium the tests start, in process or in a CLI subprocess, uses our fonts only."""
    config.stash[_SAVED_FONTCONFIG] = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(FONTS_CONF)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave FONTCONFIG_FILE as it was before the run."""
    saved = config.stash.get(_SAVED_FONTCONFIG, None)
    if saved is None:
        os.environ.pop("FONTCONFIG_FILE", None)
    else:
        os.environ["FONTCONFIG_FILE"] = saved


def missing_tool(reason: str) -> None:
    """Stop a test whose tool is missing: a failure in CI (CI=true), a skip elsewhere."""
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"{reason} (CI=true: tests needing it must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_installed() -> None:
    """Require the system's Chromium (skip outside CI when it is absent, fail in CI)."""
    if find_chromium() is None:
        missing_tool("Chromium is not installed (Debian: apt-get install chromium; make test does)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests that drive Chromium last: once started, Playwright's sync API keeps an
    event loop running in the main thread, which ``asyncio.run`` in other tests cannot share."""
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def browser(chromium_installed: None):
    """One headless Chromium for the session (see ``chromium_installed`` when it is absent)."""
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def firefox():
    """One headless Firefox ESR for the session, driven over WebDriver BiDi; missing, the
    tests skip, except in CI (``CI=true``), where they fail."""
    from tests.browser.firefox import Firefox, find_firefox

    executable = find_firefox()
    if executable is None:
        message = "Firefox ESR is not installed (Debian: apt-get install firefox-esr)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with Firefox(executable) as firefox:
        yield firefox


class HTMLFileSnapshot(SingleFileSnapshotExtension):
    """A snapshot stored as an .html file, exactly as rendered."""

    file_extension = "html"
    _write_mode = WriteMode.TEXT


class TextFileSnapshot(SingleFileSnapshotExtension):
    """A snapshot stored as a .txt file, exactly as rendered."""

    file_extension = "txt"
    _write_mode = WriteMode.TEXT


class HTMLSnapshot(HTMLFileSnapshot):
    """Snapshots stored as .html files that open in a browser, one tag per line for diffs."""

    def serialize(self, data: str, **kwargs: Any) -> str:
        return '<!doctype html>\n<meta charset="utf-8">\n' + data.replace("><", ">\n<") + "\n"


@pytest.fixture
def html_snapshot(snapshot):
    """A syrupy snapshot stored as a readable .html file."""
    return snapshot.use_extension(HTMLSnapshot)


@pytest.fixture
def page(browser):
    """A fresh page in its own context (no shared cookies, storage or zoom), closed after."""
    context = browser.new_context(
        viewport={"width": 600, "height": 600}, device_scale_factor=1, reduced_motion="reduce"
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def client_for(app: Any) -> httpx.AsyncClient:
    """An httpx client that calls the ASGI ``app`` in process, at http://cards.test."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://cards.test")


@pytest.fixture
def anyio_backend() -> str:
    """The service tests run on asyncio, as uvicorn does."""
    return "asyncio"


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client for the module's ``app`` fixture."""
    async with client_for(app) as client:
        yield client
