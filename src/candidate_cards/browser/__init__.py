"""The system's Chromium, through Playwright: ``chromium`` finds and launches it,
``capture`` prints reports to PDF and cards to PNG. Playwright is imported only when a
browser is launched."""

from .chromium import CHROMIUM_FLAGS, chromium, find_chromium

__all__ = ["CHROMIUM_FLAGS", "chromium", "find_chromium"]
