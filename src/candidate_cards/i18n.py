"""The languages the project writes in: its catalogs, choosing one, and Babel's formats.

Every word the project itself writes comes from a gettext catalog in ``locales/`` (English
is the source language and needs none). A :class:`Language` is built once per locale and
cached: templates read it when they are compiled, the view and the text part when they
need a count's plural form. Candidate-supplied text never passes through here.

Numbers, dates and durations are written with Babel's CLDR data: ``87,5`` in
Slovak, ``87.5`` in English, a report's times with the time zone named.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import InvalidLocale

if TYPE_CHECKING:
    from babel import Locale

#: Every language with a complete catalog; ``en`` is the source language.
LOCALES: tuple[str, ...] = ("en", "de", "fr", "es", "pt", "it", "nl", "pl", "cs", "sk", "ar", "ja")
DEFAULT_LOCALE = "en"
#: Where ``<locale>/LC_MESSAGES/messages.po`` and its compiled ``.mo`` live.
LOCALE_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"

Direction = Literal["ltr", "rtl"]
#: A BCP 47 language tag's shape (or the POSIX ``sk_SK`` spelling): language, then subtags.
_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


@dataclass(frozen=True, eq=False)
class Language:
    """One locale's catalog and writing direction, resolved once and shared: there is one
    per locale, so it is compared and hashed by identity (the phrase caches key on it)."""

    code: str
    translations: gettext.NullTranslations = field(repr=False, compare=False)
    direction: Direction

    def gettext(self, message: str) -> str:
        """``message`` in this language."""
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int, **values: str) -> str:
        """The form of ``singular``/``plural`` this language uses for ``count``, with
        ``%(n)s`` (the count, in this language's digits) and ``values`` filled in."""
        form = self.translations.ngettext(singular, plural, count)
        return form % {"n": number(count, self), **values}

    @property
    def rtl(self) -> bool:
        """Whether the language is written right to left."""
        return self.direction == "rtl"


def check_locale(value: str, where: str = "locale") -> str:
    """The available locale ``value`` names (``sk``, ``sk-SK``, ``sk_SK``), else
    :class:`InvalidLocale` naming ``where`` it was asked for and the available ones."""
    found = _match(value)
    if found is None:
        raise InvalidLocale.for_value(value, LOCALES, where)
    return found


def request_locale(requested: object, accept_language: str | None) -> str:
    """The locale a service request asks for: its body's ``locale`` when given (an unknown
    or non-string one is :class:`InvalidLocale`, never a silent fallback), else the best
    match for its ``Accept-Language`` header, else ``en``."""
    if requested is None:
        return negotiate(accept_language)
    if not isinstance(requested, str):
        raise InvalidLocale.for_value(repr(requested), LOCALES)
    return check_locale(requested)


def negotiate(accept_language: str | None) -> str:
    """The best available locale for an ``Accept-Language`` header; ``en`` when none fits.

    Ranges are tried by their ``q`` value (highest first, ties in header order); ``q=0``
    refuses a range; ``sk-SK`` matches ``sk``; ``*`` accepts the default.
    """
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag.strip() and quality > 0:
            ranked.append((-quality, index, tag.strip()))
    for _, _, tag in sorted(ranked):
        found = DEFAULT_LOCALE if tag == "*" else _match(tag)
        if found:
            return found
    return DEFAULT_LOCALE


def language(locale: str = DEFAULT_LOCALE) -> Language:
    """The :class:`Language` of an available ``locale`` (checked), loaded once."""
    return _load(check_locale(locale))


@cache
def _load(code: str) -> Language:
    """The one :class:`Language` of the available locale ``code``."""
    translations: gettext.NullTranslations
    if code == DEFAULT_LOCALE:
        translations = gettext.NullTranslations()
    else:
        path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
        with path.open("rb") as file:
            translations = gettext.GNUTranslations(file)
    rtl = _babel_locale(code).character_order == "right-to-left"
    direction: Direction = "rtl" if rtl else "ltr"
    return Language(code, translations, direction)


def number(value: int | float | Decimal, lang: Language) -> str:
    """A count or measure in ``lang``'s digits and separators (``1 234`` in Slovak)."""
    if isinstance(value, int) and 0 <= value < 1000:
        return str(value)  # every shipped locale writes small counts in ASCII digits
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_babel_locale(lang.code))


def score_text(text: str, lang: Language) -> str:
    """A score written as the view rounds it (``"87.5"``, ``"92"``), in ``lang``'s form."""
    from babel.numbers import format_decimal

    return format_decimal(Decimal(text), format="#,##0.#", locale=_babel_locale(lang.code))


def moment(when: datetime, lang: Language) -> str:
    """A date and time in ``lang``'s long form, in ``when``'s own time zone, the zone named."""
    from babel.dates import format_datetime

    return format_datetime(when, "long", tzinfo=when.tzinfo, locale=_babel_locale(lang.code))


def duration(span: timedelta, lang: Language) -> str:
    """A run's length in ``lang``'s short units, largest first: ``4 min 35 s``; hours
    and minutes from an hour on.

    The units are joined by a space, as CLDR's narrow unit lists do in most languages
    (Babel's list patterns repeat the last item for two-item Arabic lists).
    """
    from babel.units import format_unit

    locale = _babel_locale(lang.code)
    hours, rest = divmod(round(span.total_seconds()), 3600)
    minutes, seconds = divmod(rest, 60)
    amounts = [(hours, "hour"), (minutes, "minute")] if hours else [(minutes, "minute")]
    amounts.append((0 if hours else seconds, "second"))
    parts = [
        format_unit(amount, f"duration-{unit}", length="short", locale=locale)
        for amount, unit in amounts
        if amount
    ]
    return " ".join(parts) or format_unit(0, "duration-second", length="short", locale=locale)


@lru_cache(maxsize=256)
def _match(tag: str) -> str | None:
    """The available locale a well-formed language tag names (``sk``, ``sk-SK``, ``sk_SK``):
    exactly, or by its language alone; ``None`` for any other. Cached: a render asks once."""
    if not _TAG.fullmatch(tag.strip()):
        return None
    language = tag.strip().replace("_", "-").split("-")[0].lower()
    return language if language in LOCALES else None


@cache
def _babel_locale(code: str) -> Locale:
    """Babel's CLDR data for ``code``, imported on first use."""
    from babel import Locale

    return Locale.parse(code)
