"""Layout in a real browser: no sideways scrolling, no clipped text, right-to-left names."""

from __future__ import annotations

import re

import pytest

from candidate_cards.testing import horizontal_overflow
from tests.browser.checks import clipped_text, text_directions
from tests.browser.documents import CARD_PAGES, PAGES, THEMES, fixture_page

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


_MARKERS = """() => [...document.querySelectorAll('td[aria-hidden="true"]')]
  .filter((marker) => /^[✓!•]$/.test(marker.textContent.trim()))
  .map((marker) => {
    const item = marker.nextElementSibling, m = marker.getBoundingClientRect(),
          i = item.getBoundingClientRect(), rtl = getComputedStyle(item).direction === 'rtl';
    return {text: item.textContent.trim().slice(0, 30), rtl,
            gap: rtl ? m.left - i.right : i.left - m.right};
  })"""


@pytest.mark.parametrize("fixture", ["unicode", "words"])
@pytest.mark.parametrize("theme", THEMES)
def test_list_markers_sit_beside_their_text_in_either_direction(page, fixture: str, theme: str):
    """✓, ! and • sit at the start of their item: left of English, right of Arabic."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.set_content(fixture_page(fixture, theme))
    markers = page.evaluate(_MARKERS)
    assert any(marker["rtl"] for marker in markers) and any(not m["rtl"] for m in markers)
    assert all(-1 <= marker["gap"] <= 1 for marker in markers), markers


@pytest.mark.parametrize("name", CARD_PAGES)
def test_the_avatar_stays_a_circle_at_320px(page, name: str):
    """However long the name, the avatar keeps its width: never squeezed into an oval."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.set_content(CARD_PAGES[name]())
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('td[aria-hidden="true"][width="48"]')]
          .map((avatar) => [avatar.offsetWidth, avatar.offsetHeight])"""
    )
    assert sizes and all(size == [48, 48] for size in sizes), sizes


@pytest.mark.parametrize("width", [320, 600])
@pytest.mark.parametrize("theme", THEMES)
def test_the_ranking_table_reflows_instead_of_clipping(page, theme: str, width: int):
    """At phone and narrow widths every column of the ranking stays on screen, labelled."""
    page.set_viewport_size({"width": width, "height": 800})
    page.set_content(PAGES[f"report-{theme}"]())
    cells = page.evaluate(
        """() => [...document.querySelectorAll('.ranking tbody td, .ranking tbody th')]
          .filter((cell) => cell.textContent.trim())
          .map((cell) => [cell.textContent.trim(), cell.getBoundingClientRect().right])"""
    )
    assert cells and all(right <= width for _text, right in cells), cells
    wrap = page.evaluate(
        "() => [...document.querySelectorAll('.table-wrap')]"
        ".map((w) => w.scrollWidth - w.clientWidth)"
    )
    assert wrap and all(hidden <= 0 for hidden in wrap)
    labels = page.evaluate(
        """() => [...document.querySelectorAll('.ranking tbody td[data-label="Location"]')]
          .map((cell) => getComputedStyle(cell, '::before').content)"""
    )
    assert labels and all(label == '"Location: "' for label in labels)
