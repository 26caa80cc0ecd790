"""Layout in a real browser: no sideways scrolling, no clipped text, right-to-left names."""

from __future__ import annotations

import re

import pytest

from tests.browser.checks import clipped_text, horizontal_overflow, text_directions
from tests.browser.documents import PAGES, THEMES, fixture_page

pytestmark = pytest.mark.browser

RTL_SCRIPT = re.compile("[\u0590-\u08ff]")


@pytest.mark.parametrize("name", PAGES)
def test_no_horizontal_overflow_at_320px(page, name: str) -> None:
    """The narrowest phone never needs a sideways scroll, even for the longest fixture."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.set_content(PAGES[name]())
    assert horizontal_overflow(page) == 0


@pytest.mark.parametrize("width", [320, 600])
@pytest.mark.parametrize("name", PAGES)
def test_no_text_is_clipped(page, name: str, width: int) -> None:
    """Every text run stays inside its box: long words, URLs and scripts wrap instead."""
    page.set_viewport_size({"width": width, "height": 640})
    page.set_content(PAGES[name]())
    assert clipped_text(page) == []


def test_clipped_text_is_detected(page) -> None:
    """The clipping check catches text cut off by a fixed-size box."""
    page.set_content(
        '<!DOCTYPE html><html lang="en"><body><div style="width:60px;overflow:hidden;'
        'white-space:nowrap">a sentence much too long for its box</div></body></html>'
    )
    assert clipped_text(page)


@pytest.mark.parametrize("theme", THEMES)
def test_rtl_names_lay_out_right_to_left(page, theme: str) -> None:
    """dir="auto" resolves to rtl for the Arabic and Hebrew names, drawn right to left."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.set_content(fixture_page("unicode", theme))
    names = text_directions(page, "h2[dir]")
    rtl = [name for name in names if RTL_SCRIPT.search(name["text"])]
    assert len(rtl) == 2
    assert all(name["direction"] == "rtl" and name["flowsLeft"] for name in rtl), rtl
    ltr = [name for name in names if not RTL_SCRIPT.search(name["text"])]
    assert ltr and all(name["direction"] == "ltr" and not name["flowsLeft"] for name in ltr)
