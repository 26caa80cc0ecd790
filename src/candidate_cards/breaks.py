"""Break opportunities in words too long for the narrowest card, in any script.

A card is laid out with tables for e-mail clients, and Gmail and Outlook drop the CSS that
would wrap a long word (``overflow-wrap``, ``word-break``), so the text itself carries the
break opportunities. A word longer than what fits a line of its column in the narrowest card
(a 320 px screen) at the element's font size gets them:

- inside words, soft hyphens (U+00AD): invisible unless the browser breaks there, where they
  show as a hyphen; they join nothing apart, so Arabic letters keep their shapes;
- in anything else (URLs, e-mail addresses, code), zero-width spaces (U+200B) after
  ``/ . - _ @`` and the query punctuation, and between chunks of a long stretch without
  any, so no hyphen appears that is not in the address.

Each long stretch is cut into equal chunks no longer than a line, never inside a grapheme
(a letter and its marks, a joined emoji). Text in scripts the browser already breaks
between letters (Chinese, Japanese, Korean, Thai, Lao, Khmer, Myanmar) and emoji gets none.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache, partial
from typing import Literal

SOFT_HYPHEN = "\u00ad"
ZERO_WIDTH_SPACE = "\u200b"

#: The narrowest width of each text column of a card (a 320 px screen), in CSS pixels:
#: "header", the name's cell beside the avatar (320 - 2 x 16 page padding - 2 x 21 card
#: border and padding - 48 avatar - 14 gutter = 184), and "body", the sections below it
#: less a list marker (246 - 22 = 224); both rounded down.
COLUMNS = {"header": 180, "body": 220}
#: The widest a character of ordinary text is on average, in ems (capitals, bold, DejaVu).
CHARACTER_WIDTH = 0.7
#: The fewest characters a line is assumed to hold, however large the font.
MIN_LINE = 6

#: Characters a browser may already break between: CJK, kana, Hangul, fullwidth forms,
#: Thai, Lao, Myanmar, Khmer, and emoji and other pictographs.
_BREAKS_NATURALLY = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2600-\u27bf\u2e80-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U0001f000-\U0001faff"
    "\U00020000-\U0003ffff"
)
#: What may sit inside a word besides letters and marks: hyphens, apostrophes, joiners.
_IN_WORDS = "-\u2010\u2011'\u2019\u00ad\u200c\u200d"
_SEPARATOR = "/.-_@?&=#:"
_AFTER_SEPARATOR = re.compile(f"[{re.escape(_SEPARATOR)}]+(?=[^{re.escape(_SEPARATOR)}])")


Column = Literal["header", "body"]


def line_length(font_size: float, column: Column = "body") -> int:
    """How many characters of ``font_size`` px text safely fit ``column`` at its narrowest."""
    return max(MIN_LINE, int(COLUMNS[column] / (font_size * CHARACTER_WIDTH)))


def breakable(text: str, font_size: float = 15, column: Column = "body") -> str:
    """``text`` with break opportunities in every word longer than a line of ``column`` at
    ``font_size``."""
    return breakable_within(text, line_length(font_size, column))


def breakable_within(text: str, longest: int) -> str:
    """``text`` with break opportunities in every word longer than ``longest`` characters."""
    if len(text) <= longest or fits(longest)(text):
        return text  # no run between spaces outlasts a line: nothing to break
    return with_breaks(text, longest)


def with_breaks(text: str, longest: int) -> str:
    """:func:`breakable_within` once a run between spaces is known to outlast ``longest``."""
    return _long_run(longest).sub(partial(_break_run, longest=longest), text)


@cache
def fits(longest: int) -> Callable[[str], re.Match[str] | None]:
    """A match, or ``None`` when a run between spaces in the text is longer than
    ``longest``: whitespace and runs of at most ``longest``, each taken whole (possessive),
    so no character is looked at twice (a third faster than splitting into words)."""
    return re.compile(rf"(?:\s*+\S{{1,{longest}}}+(?!\S))*+\s*+").fullmatch


@cache
def _long_run(longest: int) -> re.Pattern[str]:
    """A run of more than ``longest`` characters with no whitespace and no natural break."""
    return re.compile(f"[^\\s{_BREAKS_NATURALLY}]{{{longest + 1},}}")


def _break_run(match: re.Match[str], longest: int) -> str:
    """One long run with its break opportunities: a word's inside it, other runs' (URLs,
    addresses, code) after their separators."""
    run = match.group()
    if _is_word(run):  # a hyphen is already a break opportunity: cut only what lies between
        return "-".join(_chunked(part, longest, SOFT_HYPHEN) for part in run.split("-"))
    pieces = _AFTER_SEPARATOR.sub(_separators_then_break, run)
    return ZERO_WIDTH_SPACE.join(
        _chunked(piece, longest, ZERO_WIDTH_SPACE) for piece in pieces.split(ZERO_WIDTH_SPACE)
    )


def _separators_then_break(match: re.Match[str]) -> str:
    """Separators, then a break opportunity (a function: faster than a template here)."""
    return match.group() + ZERO_WIDTH_SPACE


def _is_word(run: str) -> bool:
    """Whether ``run`` is a word: letters, marks, hyphens and apostrophes, perhaps with
    punctuation before or after ("(Rechtsschutzversicherungsgesellschaften),")."""
    start, end = 0, len(run)
    while start < end and unicodedata.category(run[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(run[end - 1]).startswith("P"):
        end -= 1
    return start < end and all(
        char.isalpha() or unicodedata.category(char).startswith("M") or char in _IN_WORDS
        for char in run[start:end]
    )


def _chunked(word: str, longest: int, mark: str) -> str:
    """``word`` cut into equal chunks of at most ``longest`` characters, joined by ``mark``."""
    if len(word) <= longest:
        return word
    size = -(-len(word) // -(-len(word) // longest))  # equal chunks, none longer than a line
    out, start = [], 0
    while len(word) - start > longest:
        cut = start + size
        while cut < len(word) and _belongs_to_previous(word, cut):
            cut += 1  # never between a letter and its mark, or inside a joined sequence
        out.append(word[start:cut])
        start = cut
    out.append(word[start:])
    return mark.join(part for part in out if part)


def _belongs_to_previous(word: str, index: int) -> bool:
    """Whether ``word[index]`` is drawn with the character before it."""
    char = word[index]
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or char in "\u200c\u200d\ufe0e\ufe0f"
        or word[index - 1] == "\u200d"
    )
