"""Text HTML can carry: code points it forbids are shown as U+FFFD, at render time.

Every value a template writes passes through :func:`html_text` (the render environment's
``finalize``), so a control character or a noncharacter in candidate data never reaches
the output, where it would make the document invalid or an e-mail body illegal.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

#: Code points HTML forbids in text (controls other than whitespace, noncharacters); NUL
#: is also illegal in an e-mail body. Shown as U+FFFD so the reader sees something was there.
_NONCHARACTERS = "".join(
    chr(plane | low) for plane in range(0, 0x110000, 0x10000) for low in (0xFFFE, 0xFFFF)
)
_NOT_HTML_TEXT = re.compile(f"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef{_NONCHARACTERS}]")
#: Quick screens for ``_NOT_HTML_TEXT``, whose 32 astral noncharacters make it ~15× slower
#: per character: the BMP part of the class, and "any astral code point at all".
_NOT_HTML_TEXT_BMP = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class RenderedHTML(str):
    """HTML that our autoescaping environment produced: every value in it was checked.

    Only the renderer makes one (a card, the cards of a result), and Jinja embeds it as is
    (``__html__``) while it escapes any other string: there is no filter that marks a plain
    string safe. It is a ``str`` so callers can still search, measure and serialise it, but
    anything built from it (``+``, slicing, ``join``) is a plain ``str`` again, escaped when
    embedded. :func:`html_text` passes it unscanned: a card embedded in a report or an
    e-mail is not searched again (70 µs a card).
    """

    __slots__ = ()

    def __html__(self) -> str:
        return str.__str__(self)


def html_text(value: Any) -> Any:
    """``value`` with code points HTML cannot carry as text replaced by U+FFFD."""
    if not isinstance(value, str) or type(value) is RenderedHTML:
        return value
    if not _has_non_html_text(value):
        return value
    replaced = _NOT_HTML_TEXT.sub("\ufffd", value)
    return Markup(replaced) if isinstance(value, Markup) else replaced


def _has_non_html_text(value: str) -> bool:
    """Whether ``_NOT_HTML_TEXT`` matches ``value``, screened by cheaper checks first."""
    if value.isprintable():  # every code point of _NOT_HTML_TEXT is unprintable
        return False
    if _NOT_HTML_TEXT_BMP.search(value):
        return True
    if value.isascii() or not _ASTRAL.search(value):
        return False
    return bool(_NOT_HTML_TEXT.search(value))
