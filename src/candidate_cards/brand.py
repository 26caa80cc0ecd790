"""Derive a complete theme from one brand colour, meeting WCAG AA by construction.

Every colour is built in OKLCH (coloraide): the brand's hue tints the neutrals and gives
the link and avatar, the score bands keep their meaning (green, blue, amber, red) on a
lightness ramp so they stay apart under red-green colour blindness, and each text colour
is moved away from its backgrounds until the project's own contrast check passes.

>>> from candidate_cards.brand import brand_theme
>>> brand_theme("#0a66c2", base="light").colors["avatar_background"]
'#0a66c2'
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from coloraide import Color

from .errors import ErrorDetail, InvalidTheme
from .themes import AA_NORMAL_TEXT, Theme, contrast_ratio, get_theme, theme_from_dict
from .view import BANDS

Base = Literal["dark", "light"]
BASES: tuple[Base, ...] = ("dark", "light")

#: OKLCH hues that keep each score band's meaning whatever the brand: best is green.
BAND_HUES = {"excellent": 150.0, "strong": 250.0, "moderate": 80.0, "weak": 25.0}
FIT_HUE = 150.0
FLAG_HUE = 70.0
#: The colour-vision deficiencies the bands are checked under (coloraide filter names).
DEFICIENCIES = ("deutan", "protan")
#: Smallest OKLab distance between two band fills, seen normally or under a deficiency.
MIN_BAND_DISTANCE = 0.04
#: Below this OKLCH chroma a brand colour is grey: its hue means nothing, so none is used.
ACHROMATIC = 0.02
_STEP = 0.005


@dataclass(frozen=True, slots=True)
class _Base:
    """Starting lightness of each role in one base; text moves from here until it passes."""

    scheme: Base
    canvas: float
    surface: float
    surface_alt: float
    border: float
    text: float
    text_muted: float
    accent: float
    marker: float
    band_fills: tuple[float, ...]  # best band first: a ramp, so bands differ in lightness
    band_text: float
    band_chroma: float
    tint: float  # the most chroma a neutral (page, card, chip) takes from the brand

    @property
    def toward(self) -> float:
        """The lightness text moves to for more contrast: white on dark, black on light."""
        return 1.0 if self.scheme == "dark" else 0.0


_BASES = {
    "dark": _Base(
        scheme="dark",
        canvas=0.165,
        surface=0.215,
        surface_alt=0.265,
        border=0.32,
        text=0.95,
        text_muted=0.78,
        accent=0.78,
        marker=0.8,
        band_fills=(0.47, 0.41, 0.35, 0.29),
        band_text=0.9,
        band_chroma=0.09,
        tint=0.03,
    ),
    "light": _Base(
        scheme="light",
        canvas=0.965,
        surface=1.0,
        surface_alt=0.955,
        border=0.9,
        text=0.22,
        text_muted=0.45,
        accent=0.5,
        marker=0.5,
        band_fills=(0.82, 0.87, 0.92, 0.97),
        band_text=0.42,
        band_chroma=0.07,
        tint=0.02,
    ),
}


def parse_color(value: str, field: str = "brand") -> Color:
    """An opaque CSS colour (``#0a66c2``, ``rgb(…)``, ``oklch(…)``, a name), or a typed
    error naming ``field``."""
    try:
        color = Color(value.strip()) if isinstance(value, str) else None
    except ValueError:
        color = None
    if color is None or math.isnan(color.alpha()) or color.alpha() < 1:
        problem = "must be an opaque CSS colour such as #0a66c2"
        raise InvalidTheme(f"{field}: {value!r} {problem}.", [ErrorDetail(field, problem)])
    return color


def brand_theme(
    brand: str,
    base: Base = "dark",
    *,
    font: str | None = None,
    name: str = "brand",
) -> Theme:
    """A validated theme in ``base`` built around ``brand`` (any CSS colour).

    Fonts and shapes come from the built-in theme of the same base; ``font`` replaces the
    font family. Raises :class:`InvalidTheme` for a malformed colour, base, font or name.
    """
    if base not in _BASES:
        problem = 'must be "dark" or "light"'
        raise InvalidTheme(f"base: {base!r} {problem}.", [ErrorDetail("base", problem)])
    reference = get_theme(base)
    fonts = {**reference.font, **({"family": font} if font is not None else {})}
    data = {
        "name": name,
        "color_scheme": base,
        "colors": palette(parse_color(brand), _BASES[base]),
        "font": fonts,
        "shape": dict(reference.shape),
    }
    return theme_from_dict(data, source=repr(name))


def palette(brand: Color, base: _Base) -> dict[str, str]:
    """Every colour token, each text colour readable on every background it can sit on."""
    _, chroma, hue = brand.convert("oklch").coords(nans=False)
    if chroma < ACHROMATIC:
        chroma, hue = 0.0, 0.0
    tint = min(chroma, base.tint)

    def neutral(level: float, chroma: float = tint) -> str:
        return _hex(level, chroma, hue)

    colors = {
        "canvas": neutral(base.canvas, tint * 0.6),
        "surface": neutral(base.surface, tint * 0.6 if base.scheme == "dark" else 0.0),
        "surface_alt": neutral(base.surface_alt),
        "border": neutral(base.border),
    }
    grounds = (colors["canvas"], colors["surface"], colors["surface_alt"])
    accent = min(chroma, 0.2)
    colors |= {
        "text": _readable(base.text, min(tint, 0.012), hue, grounds, base.toward),
        "text_muted": _readable(base.text_muted, min(tint, 0.02), hue, grounds, base.toward),
        "link": _readable(base.accent, accent, hue, grounds, base.toward),
        "fit_marker": _readable(base.marker, 0.14, FIT_HUE, grounds, base.toward),
        "flag_marker": _readable(base.marker, 0.14, FLAG_HUE, grounds, base.toward),
    }
    colors |= _avatar(brand, tint, hue)
    for band, fill in zip(BANDS, base.band_fills, strict=True):
        background = _hex(fill, base.band_chroma, BAND_HUES[band])
        colors[f"{band}_background"] = background
        colors[f"{band}_text"] = _readable(
            base.band_text, 0.12, BAND_HUES[band], (background,), base.toward
        )
    return colors


def band_distance(colors: Mapping[str, str]) -> float:
    """The smallest OKLab distance between two score-band fills, seen with normal vision or
    simulated deuteranopia or protanopia: how far apart the bands look at worst."""
    fills = [Color(colors[f"{band}_background"]) for band in BANDS]
    views: list[list[Color]] = [fills]
    views += [[fill.filter(kind).clip() for fill in fills] for kind in DEFICIENCIES]
    return min(
        first.delta_e(second, method="ok")
        for view in views
        for first, second in itertools.combinations(view, 2)
    )


def hue_of(color: str) -> float:
    """The OKLCH hue of a ``#rrggbb`` colour in degrees (0 for a grey)."""
    return float(Color(color).convert("oklch").coords(nans=False)[2])


def _avatar(brand: Color, tint: float, hue: float) -> dict[str, str]:
    """The brand colour itself behind the initials, in white or black ink, whichever reads."""
    background = _in_srgb(brand)
    toward = 1.0 if _readability(1.0, background) >= _readability(0.0, background) else 0.0
    start = 0.97 if toward else 0.2
    return {
        "avatar_background": background,
        "avatar_text": _readable(start, min(tint, 0.02), hue, (background,), toward),
    }


def _readable(
    lightness: float, chroma: float, hue: float, grounds: Iterable[str], toward: float
) -> str:
    """The colour nearest ``lightness`` (towards white or black) that meets WCAG AA on every
    background in ``grounds``; white or black themselves if nothing nearer does."""
    backgrounds = tuple(grounds)
    step = _STEP if toward > lightness else -_STEP
    while 0.0 <= lightness <= 1.0:
        color = _hex(lightness, chroma, hue)
        if all(contrast_ratio(color, ground) >= AA_NORMAL_TEXT for ground in backgrounds):
            return color
        lightness += step
    return "#ffffff" if toward else "#000000"


def _readability(toward: float, background: str) -> float:
    return contrast_ratio("#ffffff" if toward else "#000000", background)


def _hex(lightness: float, chroma: float, hue: float) -> str:
    """An OKLCH colour as ``#rrggbb``."""
    return _in_srgb(Color("oklch", [min(max(lightness, 0.0), 1.0), chroma, hue]))


def _in_srgb(color: Color) -> str:
    """``color`` as ``#rrggbb``, its chroma reduced along its own hue if sRGB cannot show it."""
    return color.convert("srgb").fit(method="raytrace", pspace="oklch").to_string(hex=True)
