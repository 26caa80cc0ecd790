"""Preview pages and cropped screenshots of rendered HTML, in the system's Chromium.

One code path for the README's pictures (scripts/readme-images) and the browser tests'
baselines, so the pictures never drift from the real output. Test tooling, not part of the
wheel; the page is :mod:`candidate_cards.canvas`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from candidate_cards.canvas import PAGE_PADDING

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: How far right and down the page's visible content reaches, in CSS pixels: text, and boxes
#: with a background, border or picture (not the empty extent of block containers).
_CONTENT_EXTENT = """() => {
  let right = 0, bottom = 0;
  const visible = (el, style) => /^(IMG|SVG|CANVAS|VIDEO)$/i.test(el.tagName) ||
    style.backgroundColor !== 'rgba(0, 0, 0, 0)' ||
    ['Top', 'Right', 'Bottom', 'Left'].some((side) => parseFloat(style[`border${side}Width`]));
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.height && visible(el, getComputedStyle(el))) {
      right = Math.max(right, box.right);
      bottom = Math.max(bottom, box.bottom);
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    right = Math.max(right, box.right);
    bottom = Math.max(bottom, box.bottom);
  }
  return [Math.ceil(right + window.scrollX), Math.ceil(bottom + window.scrollY)];
}"""


def screenshot(page: Page, html: str, width: int) -> bytes:
    """A PNG of ``html`` laid out ``width`` CSS pixels wide, cropped to its content.

    The page is shown at ``width`` (the height grows to fit), then cut ``PAGE_PADDING``
    beyond the rightmost and lowest visible content, so a card that stops at 600 px is not
    padded out to a wide viewport, nor a short card to the viewport's height.
    """
    page.set_viewport_size({"width": width, "height": 600})
    page.set_content(html, wait_until="load")
    right, bottom = page.evaluate(_CONTENT_EXTENT)
    full_height = page.evaluate("document.documentElement.scrollHeight")
    crop_width = max(1, min(width, right + PAGE_PADDING))
    crop_height = max(1, min(full_height, bottom + PAGE_PADDING))
    return page.screenshot(
        clip={"x": 0, "y": 0, "width": crop_width, "height": crop_height},
        full_page=True,
        animations="disabled",
        caret="hide",
    )
