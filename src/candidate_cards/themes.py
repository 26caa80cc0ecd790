"""Load and validate theme files, and check the WCAG contrast of every text pair.

A theme is a TOML file of tokens (``themes/dark.toml`` is the reference). The loader
refuses a file with a missing or malformed token, or with any text/background pair the
card uses under WCAG 2.2 AA, naming the token in the error.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import ErrorDetail, InvalidTheme
from .resources import resource_dir
from .view import BANDS  # each band has ``<band>_background`` and ``<band>_text`` colours

#: The theme used when none is asked for (the sourcing API's default).
DEFAULT_THEME = "dark"

COLOR_TOKENS = (
    "canvas",
    "surface",
    "surface_alt",
    "border",
    "text",
    "text_muted",
    "link",
    "avatar_background",
    "avatar_text",
    "fit_marker",
    "flag_marker",
    *(f"{band}_{part}" for band in BANDS for part in ("background", "text")),
)
#: The print palette (``[print]``): every colour a printed page uses, on white paper.
PRINT_TOKENS = (
    "paper",
    "tint",
    "ink",
    "ink_muted",
    "link",
    "rule",
    "fit_marker",
    "flag_marker",
)
FONT_TOKENS = ("family", "size", "small", "name", "score", "line_height")
SHAPE_TOKENS = ("card_radius", "chip_radius", "badge_radius", "avatar_size", "padding", "gap")
#: Every key a theme file may hold, by table ("" is the top level).
KNOWN_TOKENS = {
    "": ("name", "color_scheme", "colors", "print", "font", "shape"),
    "colors": COLOR_TOKENS,
    "print": PRINT_TOKENS,
    "font": FONT_TOKENS,
    "shape": SHAPE_TOKENS,
}


class UnknownThemeTokens(UserWarning):
    """A theme holds keys no template reads (a typo, most likely): they are ignored."""


#: Every foreground colour the templates put on a background, as (text, background).
TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    ("text", "surface"),
    ("text_muted", "surface"),
    ("link", "surface"),
    ("fit_marker", "surface"),
    ("flag_marker", "surface"),
    ("text", "surface_alt"),
    ("text_muted", "surface_alt"),
    ("avatar_text", "avatar_background"),
    ("text", "canvas"),
    ("text_muted", "canvas"),
    ("link", "canvas"),
    *((f"{band}_text", f"{band}_background") for band in BANDS),
)

#: Every print ink on the paper and on the tint (chips, badges, rows) it may sit on.
PRINT_TEXT_PAIRS: tuple[tuple[str, str], ...] = tuple(
    (ink, ground)
    for ground in ("paper", "tint")
    for ink in ("ink", "ink_muted", "link", "fit_marker", "flag_marker")
)

AA_NORMAL_TEXT = 4.5

_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_FONT_FAMILY = re.compile(r"[A-Za-z0-9 ,'\-]+")


@dataclass(frozen=True, slots=True)
class ContrastCheck:
    """The contrast of one text colour on one background, against WCAG AA."""

    foreground: str
    background: str
    ratio: float
    required: float = AA_NORMAL_TEXT

    @property
    def passes(self) -> bool:
        return self.ratio >= self.required


@cache
def default_print_colors() -> Mapping[str, str]:
    """The print palette of a theme without ``[print]``: the built-in light theme's."""
    return get_theme("light").print_colors


@dataclass(frozen=True, slots=True)
class Theme:
    """A validated set of design tokens; ``fingerprint`` is a stable hash of them, so equal
    themes share compiled templates."""

    name: str
    color_scheme: str
    colors: Mapping[str, str]
    font: Mapping[str, Any]
    shape: Mapping[str, int]
    print_colors: Mapping[str, str] = field(default_factory=lambda: default_print_colors())
    fingerprint: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        tokens = {
            "colors": dict(self.colors),
            "font": dict(self.font),
            "shape": dict(self.shape),
            "print": dict(self.print_colors),
        }
        canonical = json.dumps([self.name, self.color_scheme, tokens], sort_keys=True)
        digest = hashlib.sha256(canonical.encode()).hexdigest()[:16]
        object.__setattr__(self, "fingerprint", digest)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its tokens, so a theme can travel to a worker process."""
        tokens = (self.colors, self.font, self.shape, self.print_colors)
        return (_frozen_theme, (self.name, self.color_scheme, *map(dict, tokens)))

    def contrast(self) -> tuple[ContrastCheck, ...]:
        """WCAG contrast of every text/background pair the card and its printout use."""
        on_screen = (
            ContrastCheck(fg, bg, contrast_ratio(self.colors[fg], self.colors[bg]))
            for fg, bg in TEXT_PAIRS
        )
        printed = (
            ContrastCheck(
                f"print.{fg}",
                f"print.{bg}",
                contrast_ratio(self.print_colors[fg], self.print_colors[bg]),
            )
            for fg, bg in PRINT_TEXT_PAIRS
        )
        return (*on_screen, *printed)


def _frozen_theme(
    name: str,
    scheme: str,
    colors: dict[str, str],
    font: dict[str, Any],
    shape: dict[str, int],
    print_colors: dict[str, str],
) -> Theme:
    """A ``Theme`` of tokens already checked, each section read-only."""
    return Theme(
        name=name,
        color_scheme=scheme,
        colors=MappingProxyType(colors),
        font=MappingProxyType(font),
        shape=MappingProxyType(shape),
        print_colors=MappingProxyType(print_colors),
    )


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio of two ``#rrggbb`` colours, from 1.0 to 21.0."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def theme_to_toml(theme: Theme, comment: str = "") -> str:
    """``theme`` as a theme file that :func:`load_theme` reads back to an equal theme."""
    header = "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines())
    lines = [
        f"name = {_toml_value(theme.name)}",
        f"color_scheme = {_toml_value(theme.color_scheme)}",
    ]
    for section, tokens in (("colors", theme.colors), ("font", theme.font), ("shape", theme.shape)):
        lines += ["", f"[{section}]", *(f"{k} = {_toml_value(v)}" for k, v in tokens.items())]
    return header + ("\n" if header else "") + "\n".join(lines) + "\n"


def load_theme(path: str | os.PathLike[str]) -> Theme:
    """Read and validate a theme file; raise :class:`InvalidTheme` naming what is wrong."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidTheme(f"Theme file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidTheme(f"Theme file {path} cannot be read: {exc}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidTheme(f"Theme file {path} is not valid TOML: {exc}.") from None
    return theme_from_dict(data, source=str(path))


def theme_from_dict(data: Mapping[str, Any], source: str = "theme") -> Theme:
    """Validate theme tokens given as a mapping (the parsed TOML)."""
    problems: list[ErrorDetail] = []
    name = data.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", name):
        problems.append(ErrorDetail("name", "must be 1-40 lowercase letters, digits, - or _"))
    scheme = data.get("color_scheme")
    if scheme not in ("light", "dark"):
        problems.append(ErrorDetail("color_scheme", 'must be "light" or "dark"'))
    colors = _colors(data, "colors", COLOR_TOKENS, problems)
    font = _section(data, "font", FONT_TOKENS, _check_font, problems)
    shape = _section(data, "shape", SHAPE_TOKENS, _check_size, problems)
    print_colors = (
        _colors(data, "print", PRINT_TOKENS, problems)
        if "print" in data
        else dict(default_print_colors())
    )
    if problems:
        raise _theme_error(source, "is malformed", problems)
    assert isinstance(name, str) and isinstance(scheme, str)  # checked above
    theme = _frozen_theme(name, scheme, colors, font, shape, print_colors)
    failing = [
        ErrorDetail(
            f"{_qualified(check.foreground)} on {_qualified(check.background)}",
            f"contrast {check.ratio:.2f}:1 is below WCAG AA {check.required}:1",
        )
        for check in theme.contrast()
        if not check.passes
    ]
    if failing:
        raise _theme_error(source, "fails WCAG AA contrast", failing)
    unknown = unknown_tokens(data)
    if unknown:
        warnings.warn(
            f"Theme {source} has unknown tokens, ignored: {', '.join(unknown)}.",
            UnknownThemeTokens,
            stacklevel=2,
        )
    return theme


def _qualified(token: str) -> str:
    """A colour token as its theme file names it: ``colors.text``, ``print.ink``."""
    return token if token.startswith("print.") else f"colors.{token}"


def unknown_tokens(data: Mapping[str, Any]) -> list[str]:
    """The keys of a theme mapping that are not theme tokens, as ``table.key``."""
    unknown = [key for key in data if key not in KNOWN_TOKENS[""]]
    for table, tokens in KNOWN_TOKENS.items():
        values = data.get(table) if table else None
        if isinstance(values, Mapping):
            unknown.extend(f"{table}.{key}" for key in values if key not in tokens)
    return unknown


@cache
def builtin_theme_names() -> tuple[str, ...]:
    """Names of the themes that ship in ``themes/`` (read once: they are part of the install)."""
    return tuple(sorted(path.stem for path in resource_dir("themes").glob("*.toml")))


class ThemeRegistry:
    """Themes by name, and theme files by path, for one configuration.

    A renderer holds one, so two services (or two tests) registering themes never see each
    other's. A theme file is read again only when its modification time or size changes:
    rendering with ``theme=Path("brand.toml")`` reads and validates it once.
    """

    def __init__(self) -> None:
        self._named: dict[str, Theme] = {}
        self._files: dict[str, tuple[int, int, Theme]] = {}

    def names(self) -> tuple[str, ...]:
        """Every name :meth:`get` accepts: built-in and registered themes."""
        return tuple(sorted({*builtin_theme_names(), *self._named}))

    def register(self, theme: Theme, name: str | None = None) -> None:
        """Make ``theme`` available by name."""
        self._named[name or theme.name] = theme

    def unregister(self, name: str) -> None:
        """Forget a registered theme (a built-in one is simply read again)."""
        self._named.pop(name, None)

    def get(self, theme: str | os.PathLike[str] | Theme) -> Theme:
        """Resolve a theme: a :class:`Theme`, a registered or built-in name, or a file path."""
        if isinstance(theme, Theme):
            return theme
        if isinstance(theme, os.PathLike):
            return self._file(theme)
        if not isinstance(theme, str):
            raise InvalidTheme(f"A theme is a name or a path, not {type(theme).__name__}.")
        if theme not in self._named:
            if theme not in builtin_theme_names():
                known = ", ".join(self.names())
                raise InvalidTheme(f"Unknown theme {theme!r}; known themes: {known}.")
            self._named[theme] = load_theme(resource_dir("themes") / f"{theme}.toml")
        return self._named[theme]

    def _file(self, path: os.PathLike[str]) -> Theme:
        """The theme in file ``path``, read again only when its mtime or size changed."""
        try:
            stat = os.stat(path)
        except OSError:
            return load_theme(path)  # raises InvalidTheme naming the file
        key = os.path.abspath(os.fspath(path))
        cached = self._files.get(key)
        if cached is not None and cached[:2] == (stat.st_mtime_ns, stat.st_size):
            return cached[2]
        theme = load_theme(path)
        self._files[key] = (stat.st_mtime_ns, stat.st_size, theme)
        return theme


#: The registry the module-level functions use.
DEFAULT_THEMES = ThemeRegistry()


def theme_names() -> tuple[str, ...]:
    """Every name :func:`get_theme` accepts: built-in and registered themes."""
    return DEFAULT_THEMES.names()


def register_theme(theme: Theme, name: str | None = None) -> None:
    """Make ``theme`` available by name to :func:`get_theme` (and so to the service)."""
    DEFAULT_THEMES.register(theme, name)


def unregister_theme(name: str) -> None:
    """Forget a theme :func:`register_theme` added (a built-in one is simply read again)."""
    DEFAULT_THEMES.unregister(name)


def get_theme(theme: str | os.PathLike[str] | Theme) -> Theme:
    """Resolve a theme: a :class:`Theme`, a registered or built-in name, or a file path."""
    return DEFAULT_THEMES.get(theme)


def _section(
    data: Mapping[str, Any],
    section: str,
    tokens: tuple[str, ...],
    check: Any,
    problems: list[ErrorDetail],
) -> dict[str, Any]:
    table = data.get(section)
    if not isinstance(table, Mapping):
        problems.append(ErrorDetail(section, "missing table"))
        return {}
    values = {}
    for token in tokens:
        field = f"{section}.{token}"
        if token not in table:
            problems.append(ErrorDetail(field, "missing"))
            continue
        problem = check(token, table[token])
        if problem:
            problems.append(ErrorDetail(field, problem))
        else:
            values[token] = table[token]
    return values


def _colors(
    data: Mapping[str, Any], section: str, tokens: tuple[str, ...], problems: list[ErrorDetail]
) -> dict[str, str]:
    """A section of colours, lower-cased: "#0B1220" and "#0b1220" are one colour, and one
    fingerprint."""
    return {
        token: value.lower()
        for token, value in _section(data, section, tokens, _check_color, problems).items()
    }


def _check_color(_token: str, value: Any) -> str | None:
    if isinstance(value, str) and _HEX_COLOR.fullmatch(value):
        return None
    return f"must be a #rrggbb colour, got {value!r}"


def _check_font(token: str, value: Any) -> str | None:
    if token == "family":
        if isinstance(value, str) and _FONT_FAMILY.fullmatch(value):
            return None
        return "must be a comma-separated font list (letters, digits, spaces, quotes, -)"
    if token == "line_height":
        if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value <= 3:
            return None
        return f"must be a number from 1 to 3, got {value!r}"
    return _check_size(token, value)


def _check_size(_token: str, value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 200:
        return None
    return f"must be a whole number of pixels from 0 to 200, got {value!r}"


def _theme_error(source: str, what: str, problems: list[ErrorDetail]) -> InvalidTheme:
    listed = "; ".join(f"{p.field}: {p.message}" for p in problems)
    return InvalidTheme(f"Theme {source} {what}: {listed}.", problems)


def _toml_value(value: str | float) -> str:
    """A validated token as TOML: JSON's string and number syntax are valid TOML for them."""
    return json.dumps(value)


def _luminance(color: str) -> float:
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
