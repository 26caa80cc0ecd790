"""Reusable browser checks. Each takes any HTML document or a Playwright page showing one.

They know nothing about cards: the same functions check the cards, the e-mail document
and the report (see ``documents.py`` for the pages they run on).
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageOps
from pixelmatch.contrib.PIL import pixelmatch
from playwright.sync_api import Page

from candidate_cards import testing
from candidate_cards.testing import Evaluates

HERE = Path(__file__).parent
BASELINES = HERE / "baselines"
DIFF_DIR = HERE / "__diff__"
AXE_SCRIPT = HERE.parent / "js" / "node_modules" / "axe-core" / "axe.min.js"

#: The one command that rewrites every baseline from the current output.
REFRESH_COMMAND = "PYTHONPATH=src python -m pytest tests/browser --update-screenshots"
#: pixelmatch's per-pixel colour distance (0-1) under which two pixels count as equal.
PIXEL_THRESHOLD = 0.1
#: The share of pixels that may differ before a screenshot no longer matches its baseline.
MAX_MISMATCH_RATIO = 0.001
#: The largest differing area (in pixels) pixelmatch is run on; see ``compare_images``.
PIXELMATCH_MAX_AREA = 250_000
#: Baselines are stored with this many colours: a third of the size, and identical renders
#: still quantise identically (both sides of a comparison are quantised).
PALETTE_COLOURS = 256

_PAD_COLOUR = (255, 0, 255)


# -- Screenshots ---------------------------------------------------------------------------


def normalise(png: bytes) -> Image.Image:
    """A screenshot reduced to the palette baselines are stored in, so equal renders are equal."""
    return _palette(_decode(png)).convert("RGB")


def save_png(image: Image.Image, path: Path) -> None:
    """Write ``image`` as a small palette PNG, creating the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _palette(image).save(path, optimize=True)


def _palette(image: Image.Image) -> Image.Image:
    return image.quantize(
        PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )


@dataclass(frozen=True)
class Comparison:
    """How far a screenshot is from its baseline, with a picture of where."""

    mismatched: int
    total: int
    diff: Image.Image | None
    size_changed: bool

    @property
    def ratio(self) -> float:
        return self.mismatched / self.total

    @property
    def matches(self) -> bool:
        return not self.size_changed and self.ratio <= MAX_MISMATCH_RATIO


def compare_images(actual: Image.Image, expected: Image.Image) -> Comparison:
    """Perceptual pixel diff (pixelmatch) of two RGB images; a size change always differs.

    Images of different sizes are padded to a common size, so the diff still shows where
    they part. pixelmatch runs only on the box where the images differ at all (plus a
    margin for its anti-aliasing detection): it is pure Python and takes seconds on a whole
    page. Past ``PIXELMATCH_MAX_AREA`` (content shifted, so the test fails anyway) a plain
    per-pixel difference counts and draws the changed pixels instead.
    """
    size = (max(actual.width, expected.width), max(actual.height, expected.height))
    padded = [_pad(actual, size), _pad(expected, size)]
    box = ImageChops.difference(*padded).getbbox()
    if box is None:
        return Comparison(0, size[0] * size[1], None, False)
    margin = 2
    box = (
        max(0, box[0] - margin),
        max(0, box[1] - margin),
        min(size[0], box[2] + margin),
        min(size[1], box[3] + margin),
    )
    diff = ImageOps.grayscale(padded[1]).point(lambda v: 255 - (255 - v) // 10).convert("RGBA")
    if (box[2] - box[0]) * (box[3] - box[1]) <= PIXELMATCH_MAX_AREA:
        crops = [image.crop(box) for image in padded]
        crop_diff = Image.new("RGBA", crops[0].size)
        mismatched = pixelmatch(*crops, crop_diff, threshold=PIXEL_THRESHOLD)
        diff.paste(crop_diff, box[:2])
    else:
        changed = (
            ImageChops.difference(*padded)
            .convert("L")
            .point(lambda v: 255 if v > PIXEL_THRESHOLD * 255 else 0)
        )
        mismatched = changed.histogram()[255]
        diff.paste((255, 0, 0, 255), mask=changed)
    return Comparison(mismatched, size[0] * size[1], diff, actual.size != expected.size)


def check_screenshot(
    png: bytes, baseline: Path, *, update: bool = False, diff_dir: Path = DIFF_DIR
) -> None:
    """Compare a screenshot with its baseline PNG, or (``update``) rewrite the baseline.

    On a mismatch, writes ``<name>.actual.png`` and ``<name>.diff.png`` (differing pixels in
    red over a faded baseline) to ``diff_dir`` and raises ``AssertionError`` naming them.
    """
    actual = normalise(png)
    if update:
        save_png(actual, baseline)
        return
    refresh = "If the change is intended: " + REFRESH_COMMAND
    if not baseline.is_file():
        save_png(actual, diff_dir / f"{baseline.stem}.actual.png")
        raise AssertionError(
            f"no baseline {baseline.name}; this run's picture is in {diff_dir}. "
            f"Look at it, then: {REFRESH_COMMAND}"
        )
    with Image.open(baseline) as stored:
        expected = stored.convert("RGB")
    _assert_matches(actual, expected, baseline.stem, diff_dir, refresh)


def assert_same_rendering(
    actual: bytes, expected: bytes, name: str, diff_dir: Path = DIFF_DIR
) -> None:
    """Two screenshots of one thing (say, on a host page and on a blank page) match.

    On a mismatch, writes ``<name>.actual.png``, ``<name>.expected.png`` and
    ``<name>.diff.png`` to ``diff_dir`` and raises ``AssertionError`` naming them.
    """
    images = [_decode(actual), _decode(expected)]
    if images[0].tobytes() == images[1].tobytes():
        return
    save_png(images[1], diff_dir / f"{name}.expected.png")
    _assert_matches(*images, name, diff_dir, "")


def _assert_matches(
    actual: Image.Image, expected: Image.Image, name: str, diff_dir: Path, hint: str
) -> None:
    comparison = compare_images(actual, expected)
    if comparison.matches:
        return
    actual_path = diff_dir / f"{name}.actual.png"
    diff_path = diff_dir / f"{name}.diff.png"
    save_png(actual, actual_path)
    assert comparison.diff is not None
    comparison.diff.save(diff_path, optimize=True)
    change = (
        f"size {expected.width}x{expected.height} -> {actual.width}x{actual.height}, "
        if comparison.size_changed
        else ""
    )
    raise AssertionError(
        f"{name}: {change}{comparison.mismatched} of {comparison.total} pixels differ "
        f"({comparison.ratio:.3%}, allowed {MAX_MISMATCH_RATIO:.3%}); "
        f"see {actual_path} and {diff_path}. {hint}".rstrip()
    )


def _decode(png: bytes) -> Image.Image:
    with Image.open(io.BytesIO(png)) as image:
        return image.convert("RGB")


def _pad(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if image.size == size:
        return image
    canvas = Image.new("RGB", size, _PAD_COLOUR)
    canvas.paste(image, (0, 0))
    return canvas


# -- Layout --------------------------------------------------------------------------------


_CLIPPED_TEXT = """(vertical) => {
  const problems = [];
  const describe = (el) => el.tagName.toLowerCase() + ' "' +
    el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40) + '"';
  const blockOf = (el) => {
    while (el && getComputedStyle(el).display.startsWith('inline')) el = el.parentElement;
    return el;
  };
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim()) continue;
    const parent = node.parentElement;
    const style = getComputedStyle(parent);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const block = blockOf(parent);
    const box = block.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      if (!rect.width) continue;
      if (rect.left < box.left - 1 || rect.right > box.right + 1 ||
          (vertical && (rect.top < box.top - 1 || rect.bottom > box.bottom + 1))) {
        problems.push('text outside its box: ' + describe(parent));
        break;
      }
    }
    if (!seen.has(block)) {
      seen.add(block);
      if (block.scrollWidth > block.clientWidth + 1 && block.clientWidth > 0)
        problems.push('content wider than its box: ' + describe(block));
      if (getComputedStyle(block).overflowY !== 'visible' &&
          block.scrollHeight > block.clientHeight + 1)
        problems.push('content taller than its clipping box: ' + describe(block));
    }
  }
  return problems;
}"""


def clipped_text(page: Evaluates, *, vertical: bool = True) -> list[str]:
    """Text that spills out of, or is cut off by, the block box that holds it.

    Every visible text run must lie inside its nearest non-inline ancestor (sideways, and
    with ``vertical`` also above and below), and no such box may be scrollable sideways
    (or downwards, where it clips).
    """
    return page.evaluate(_CLIPPED_TEXT, vertical)


def text_directions(page: Page, selector: str) -> list[dict[str, Any]]:
    """For each element matching ``selector``: its text, computed ``direction``, and whether
    its first character is drawn to the right of its last (text laid out right-to-left)."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map((el) => {
          const node = [...el.childNodes].find((n) => n.nodeType === 3 && n.data.trim());
          const text = node ? node.data.trim() : '';
          let flowsLeft = false;
          if (node && text.length > 1) {
            const start = node.data.indexOf(text), end = start + text.length;
            const at = (i) => { const r = document.createRange();
              r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect(); };
            flowsLeft = at(start).left > at(end - 1).left;
          }
          return {text, direction: getComputedStyle(el).direction, flowsLeft};
        })""",
        selector,
    )


# -- Webmail and host pages ----------------------------------------------------------------


class _WebmailStripper(HTMLParser):
    """Re-emits a document without ``<head>``, ``<style>``, ``<link>`` and ``class``."""

    _DROPPED = frozenset({"head", "style", "link"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping or tag in self._DROPPED:
            if tag in ("head", "style"):
                self._skipping.append(tag)
            return
        self.out.append(self._tag(tag, attrs, ">"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skipping and tag not in self._DROPPED:
            self.out.append(self._tag(tag, attrs, "/>"))

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.pop()
        elif tag not in self._DROPPED:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    @staticmethod
    def _tag(tag: str, attrs: list[tuple[str, str | None]], end: str) -> str:
        kept = "".join(
            f" {name}" if value is None else f' {name}="{html.escape(value, quote=True)}"'
            for name, value in attrs
            if name != "class"
        )
        return f"<{tag}{kept}{end}"


def strip_for_webmail(document: str) -> str:
    """``document`` as webmail clients that sanitise it show it: no ``<head>`` (and so no
    ``<title>``, ``<meta>`` or head styles), no ``<style>`` or ``<link>`` anywhere, no
    ``class`` attributes."""
    stripper = _WebmailStripper()
    stripper.feed(document)
    stripper.close()
    return "".join(stripper.out)


#: An ordinary but aggressive host stylesheet: the brief's rules plus what CSS resets and
#: frameworks (normalize, Bootstrap's reboot, Tailwind's preflight) and legacy sites set.
HOST_STYLESHEET = """
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 62.5%; }
body { margin: 0; padding: 24px; font: 20px/2 Georgia, serif; color: #222;
  background: #fffbe6; text-align: center; letter-spacing: 0.04em; word-spacing: 0.1em;
  font-weight: 300; }
h1, h2, h3, h4, h5, h6 { margin: 1em 0 0.5em; font-family: Georgia, serif; font-weight: 400;
  line-height: 1.1; color: #036; text-transform: none; }
h2 { font-size: 40px; } h3 { font-size: 28px; }
p { margin: 1em 0; font-size: 16px; line-height: 1.75; color: #444; }
a { color: red; text-decoration: none; font-weight: 700; }
a:hover { text-decoration: underline; }
table { border-collapse: separate; border-spacing: 6px; margin: 0 0 2em; }
td, th { padding: 24px; vertical-align: middle; }
"""

#: Host elements the card must not restyle, each marked ``data-host``.
_HOST_CONTENT = """
<h2 data-host>Shortlist for Senior Backend Engineer</h2>
<p data-host>Three candidates matched this week. <a data-host href="#all">See all</a></p>
<table data-host><tr><td data-host>Open roles</td><td data-host><span data-host>4</span></td>
</tr></table>
"""


def embed_in_host(fragment: str, width: int, background: str, *, hostile: bool) -> str:
    """A page holding ``fragment`` in a ``#embedded`` box ``width`` px wide on ``background``.

    With ``hostile``, the page also carries ``HOST_STYLESHEET`` and ordinary host content
    around the box; without, it is a blank page with the same box, for comparison.
    """
    box = (
        f'<div id="embedded" style="width:{width}px;margin:0;padding:0;border:0;'
        f'background-color:{background}">{fragment}</div>'
    )
    if not hostile:
        return (
            f'<!DOCTYPE html><html lang="en" dir="ltr"><body style="margin:0">{box}</body></html>'
        )
    return (
        '<!DOCTYPE html><html lang="en" dir="ltr"><head><meta charset="utf-8">'
        f"<style>{HOST_STYLESHEET}</style></head><body>{_HOST_CONTENT}{box}{_HOST_CONTENT}"
        "</body></html>"
    )


def host_styles(page: Page) -> list[dict[str, str]]:
    """The full computed style of every ``data-host`` element on the page, in order."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-host]')].map((el) => {
          const style = getComputedStyle(el), out = {};
          for (const name of style) out[name] = style.getPropertyValue(name);
          return out;
        })"""
    )


# -- Accessibility -------------------------------------------------------------------------


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.x A/AA violations on the page, with the test tools' axe-core."""
    return testing.axe_violations(page, AXE_SCRIPT)
