"""Turn a candidate into display data: what a card shows, and how much of it.

No HTML here. This module decides truncation, "+N more" counts, the score band and which
links are safe, and words every phrase a reader reads (each phrase one function taking its
count, so a translation swaps them in one place); the templates and the text part only lay
them out. How much is shown of each field:

================  =====================================================================
field             shown
================  =====================================================================
skills            the first 8 as chips, then "+N more skills"
aiFitPoints       the first 4, then "+N more strengths"
aiRedFlags        the first 3, then "+N more concerns"
rationale         up to 600 characters, cut at a word and marked with "…"
aiDetailed…       the first 3 rows, then "+N more"
detailedExper…    the first 3 roles with up to 3 highlights each, then "+N earlier roles"
emails            the first 3, then "+N more e-mails"
================  =====================================================================

Each list shows an item once: items that differ only in case, surrounding or repeated
spaces, or Unicode form ("Python", "python ", "PYTHON") are one item, shown as first
spelled, and "+N more" counts what is left after that.

Score bands (on the score rounded to one decimal): 85 and up "Excellent match", 70 and up
"Strong match", 50 and up "Moderate match", below 50 "Weak match". No score, no badge.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import quote, urlsplit

from .i18n import Language, language, number, score_text

if TYPE_CHECKING:
    from .models import Candidate, DetailedRationale, Experience


VISIBLE = {
    "skills": 8,
    "fit_points": 4,
    "red_flags": 3,
    "why": 3,
    "experience": 3,
    "highlights": 3,
    "emails": 3,
}
RATIONALE_CHARS = 600

#: The score bands, best first; a theme gives each a background and a text colour.
BANDS = ("excellent", "strong", "moderate", "weak")


def N_(message: str) -> str:
    """Mark ``message`` for the catalog where it is defined; it is translated where shown."""
    return message


#: (lowest score, band, label), best first; the band names are the themes' (their colours).
SCORE_BANDS = tuple(
    zip(
        (85, 70, 50, 0),
        BANDS,
        (N_("Excellent match"), N_("Strong match"), N_("Moderate match"), N_("Weak match")),
        strict=True,
    )
)

#: Each band's label in one word, for the report's table (same order as ``SCORE_BANDS``).
BAND_WORDS = (N_("Excellent"), N_("Strong"), N_("Moderate"), N_("Weak"))
#: What the report's table shows for a candidate without a score.
NO_SCORE = N_("no score")
NO_SCORE_NUMBER = "\N{EN DASH}"

_EMAIL = re.compile(
    r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9-]+(?::\d+)?")
_UNSAFE_URL_CHARS = re.compile(r"[\s\"'<>`\\{}|^\x00-\x1f\x7f]")


class Link(NamedTuple):
    """Text to show and, only when it is safe, where it points."""

    text: str
    href: str | None = None


class Score(NamedTuple):
    """A score as the badge shows it: the number, its band, the band's label and short word."""

    text: str
    band: str
    label: str
    short: str


class Shortlist(NamedTuple):
    """The first items of a list, how many more there are, and the phrase that says so."""

    items: tuple[str, ...]
    more: int = 0
    more_text: str = ""


class WhyRow(NamedTuple):
    """One "why this profile" reason: where, and why it matters."""

    heading: str
    explanation: str


class Role(NamedTuple):
    """One past role: its title, company and duration, and its first highlights."""

    title: str
    details: str
    highlights: Shortlist


class CardView(NamedTuple):
    """Everything a card template needs, already decided.

    The views are named tuples: immutable like frozen dataclasses, and built in a tenth of
    the time (a card builds a dozen of them, per render).
    """

    profile_id: str
    name: str
    initials: str
    headline: str
    meta: str
    score: Score | None
    rationale: str
    skills: Shortlist
    fit_points: Shortlist
    red_flags: Shortlist
    why: tuple[WhyRow, ...]
    why_more: int
    experience: tuple[Role, ...]
    experience_more: int
    contacts: tuple[Link, ...]
    contacts_more: int
    why_more_text: str = ""
    experience_more_text: str = ""
    contacts_more_text: str = ""


@dataclass(frozen=True, slots=True)
class RowView:
    """One row of the report's ranking table, every cell as the reader reads it."""

    profile_id: str
    name: str
    score: str
    band: str
    band_word: str
    role: str
    company: str
    location: str


def card_view(candidate: Candidate, lang: Language | None = None) -> CardView:
    """Decide what the card of ``candidate`` shows, its phrases in ``lang`` (English)."""
    lang = lang or language()
    emails = _texts(candidate.emails)
    rows = [row for row in map(_why_row, candidate.ai_detailed_rationale) if row]
    roles = [role for entry in candidate.detailed_experience if (role := _role(entry, lang))]
    contacts = [email_link(email) for email in emails[: VISIBLE["emails"]]]
    linkedin = web_link(candidate.linkedin_url, lang.gettext("LinkedIn profile"))
    if linkedin:
        contacts.append(linkedin)
    why_more = max(0, len(rows) - VISIBLE["why"])
    experience_more = max(0, len(roles) - VISIBLE["experience"])
    contacts_more = max(0, len(emails) - VISIBLE["emails"])
    headline = _text(candidate.headline)
    name = candidate.name
    return CardView(
        candidate.profile_id,
        name.strip(),
        initials(name),
        headline,
        " · ".join(_meta_parts(candidate, headline)),
        score_band(candidate.match_score, lang),
        clip(_text(candidate.rationale), RATIONALE_CHARS),
        _shortlist(candidate.skills, VISIBLE["skills"], more_skills, lang),
        _shortlist(candidate.ai_fit_points, VISIBLE["fit_points"], more_strengths, lang),
        _shortlist(candidate.ai_red_flags, VISIBLE["red_flags"], more_concerns, lang),
        tuple(rows[: VISIBLE["why"]]),
        why_more,
        tuple(roles[: VISIBLE["experience"]]),
        experience_more,
        tuple(contacts),
        contacts_more,
        more_rows(why_more, lang) if why_more else "",
        earlier_roles(experience_more, lang) if experience_more else "",
        more_emails(contacts_more, lang) if contacts_more else "",
    )


def row_view(candidate: Candidate, lang: Language | None = None) -> RowView:
    """What the report's ranking table shows of ``candidate``: plain text, no markup."""
    lang = lang or language()
    score = score_band(candidate.match_score, lang)
    return RowView(
        profile_id=candidate.profile_id,
        name=candidate.name.strip(),
        score=score.text if score else NO_SCORE_NUMBER,
        band=score.band if score else "",
        band_word=score.short if score else lang.gettext(NO_SCORE),
        role=_text(candidate.current_role),
        company=_text(candidate.current_company),
        location=_text(candidate.location),
    )


def score_band(score: float | None, lang: Language | None = None) -> Score | None:
    """The badge for a score: its text, band and label (in ``lang``); ``None`` for no score."""
    if score is None:
        return None
    return _band_of(repr(float(score) + 0.0), lang or language())  # + 0.0: -0.0 is 0.0


@lru_cache(maxsize=4096)
def _band_of(score: str, lang: Language) -> Score:
    """The badge of a score's ``repr``: the number as written, so ``84.95`` rounds up; cached
    per language, so a translated badge costs what an English one does."""
    rounded = Decimal(score).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = str(rounded.quantize(Decimal(1))) if rounded == rounded.to_integral() else str(rounded)
    for (lowest, band, label), short in zip(SCORE_BANDS, BAND_WORDS, strict=True):
        if rounded >= lowest:
            return Score(score_text(text, lang), band, lang.gettext(label), lang.gettext(short))
    raise ValueError(f"score {score!r} is below every band")


def initials(name: str) -> str:
    """One or two letters for the avatar: the first of the first and last words."""
    words = [word for word in name.split() if word.isalnum() or any(map(str.isalnum, word))]
    if not words:
        return "?"
    picked = words[:1] + words[1:][-1:]
    return "".join(_first_letter(word) for word in picked).upper()


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, marked with "…"."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    if cut < limit * 0.6:
        cut = limit
    while cut > 0 and (_extends_previous(text[cut]) or text[cut - 1] == "\u200d"):
        cut -= 1
    return text[:cut].rstrip() + "…"


def email_link(address: str) -> Link:
    """A ``mailto:`` link for a well-formed address; anything else stays plain text.

    The address is percent-encoded (RFC 6068), so ``a%40evil.example@example.com`` links to
    the address it shows rather than to ``a@evil.example``.
    """
    if _EMAIL.fullmatch(address) and len(address) <= 254:
        return Link(address, f"mailto:{quote(address, safe='@+')}")
    return Link(address)


def web_link(url: str | None, label: str) -> Link | None:
    """A link for an absolute ``http``/``https`` URL; anything else is shown as text."""
    url = _text(url)
    if not url:
        return None
    if _UNSAFE_URL_CHARS.search(url):
        return Link(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return Link(url)
    if parts.scheme.lower() in ("http", "https") and _HOST.fullmatch(parts.netloc):
        return Link(label, url)
    return Link(url)


def is_rtl(text: str) -> bool:
    """Whether ``text`` reads right to left: its first strong character is Arabic or Hebrew
    (what ``dir="auto"`` decides in a browser)."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def _extends_previous(char: str) -> bool:
    """Whether ``char`` belongs to the character before it (a mark, joiner or selector)."""
    return unicodedata.category(char).startswith("M") or char in "\u200d\ufe0e\ufe0f"


def _first_letter(word: str) -> str:
    for index, char in enumerate(word):
        if char.isalnum():
            end = index + 1
            while end < len(word) and unicodedata.category(word[end]).startswith("M"):
                end += 1
            return word[index:end]
    return ""


def _meta_parts(candidate: Candidate, headline: str) -> list[str]:
    """Role, company and location, leaving out what the ``headline`` already says."""
    said = headline.casefold()
    parts = [
        part
        for part in (_text(candidate.current_role), _text(candidate.current_company))
        if part and part.casefold() not in said
    ]
    location = _text(candidate.location)
    return [*parts, location] if location else parts


def _why_row(row: DetailedRationale) -> WhyRow | None:
    heading = " · ".join(_texts([row.title, row.company, row.duration]))
    explanation = _text(row.relevance_explanation)
    return WhyRow(heading, explanation) if heading or explanation else None


def _role(entry: Experience, lang: Language) -> Role | None:
    title = _text(entry.role)
    details = " · ".join(_texts([entry.company, entry.duration]))
    highlights = _shortlist(entry.highlights, VISIBLE["highlights"], more_highlights, lang)
    if not (title or details or highlights.items):
        return None
    return Role(title, details, highlights)


def _shortlist(
    values: list[str], limit: int, phrase: Callable[[int, Language], str], lang: Language
) -> Shortlist:
    """The first ``limit`` distinct ``values``, how many more, and ``phrase`` saying so."""
    texts = _texts(values)
    more = len(texts) - limit
    if more > 0:
        return Shortlist(tuple(texts[:limit]), more, phrase(more, lang))
    return Shortlist(tuple(texts))


def _texts(values: Iterable[str | None]) -> list[str]:
    """The non-blank ``values``, trimmed, each once (the first spelling of equal ones)."""
    return distinct([text for value in values if value and (text := value.strip())])


def distinct(texts: Iterable[str]) -> list[str]:
    """``texts`` without repeats: equal after Unicode normalisation, case folding and
    collapsing whitespace; the first spelling is kept."""
    texts = list(texts)
    if len(texts) < 2:
        return texts
    normalize = unicodedata.normalize
    keys = [" ".join(normalize("NFKC", text).casefold().split()) for text in texts]  # same_text_key
    if len(set(keys)) == len(keys):
        return texts  # nothing repeats: the usual case, without the loop below
    seen: set[str] = set()
    kept = []
    for text, key in zip(texts, keys, strict=True):
        if key not in seen:
            seen.add(key)
            kept.append(text)
    return kept


def same_text_key(text: str) -> str:
    """What two spellings of one item share: "Python ", "PYTHON" and "python" are equal."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _text(value: str | None) -> str:
    return value.strip() if value else ""


# Phrases. Each is one function of its count and language, cached: a translated phrase is
# looked up once per count, so rendering in Slovak costs what rendering in English does.


@lru_cache(maxsize=1024)
def more_skills(count: int, lang: Language) -> str:
    """ "+2 more skills": the skills a card leaves out."""
    return lang.ngettext("+%(n)s more skill", "+%(n)s more skills", count)


@lru_cache(maxsize=1024)
def more_strengths(count: int, lang: Language) -> str:
    """ "+2 more strengths": the fit points a card leaves out."""
    return lang.ngettext("+%(n)s more strength", "+%(n)s more strengths", count)


@lru_cache(maxsize=1024)
def more_concerns(count: int, lang: Language) -> str:
    """ "+2 more concerns": the red flags a card leaves out."""
    return lang.ngettext("+%(n)s more concern", "+%(n)s more concerns", count)


@lru_cache(maxsize=1024)
def more_highlights(count: int, lang: Language) -> str:
    """ "+2 more highlights": the highlights of a role a card leaves out."""
    return lang.ngettext("+%(n)s more highlight", "+%(n)s more highlights", count)


@lru_cache(maxsize=1024)
def earlier_roles(count: int, lang: Language) -> str:
    """ "+2 earlier roles": the roles a card leaves out."""
    return lang.ngettext("+%(n)s earlier role", "+%(n)s earlier roles", count)


@lru_cache(maxsize=1024)
def more_rows(count: int, lang: Language) -> str:
    """ "+2 more": the "why this profile" reasons a card leaves out."""
    # TRANSLATORS: more reasons under "Why this profile"; English leaves the noun out.
    return lang.ngettext("+%(n)s more", "+%(n)s more", count)


@lru_cache(maxsize=1024)
def more_emails(count: int, lang: Language) -> str:
    """ "+2 more e-mails": the addresses a card leaves out."""
    return lang.ngettext("+%(n)s more e-mail", "+%(n)s more e-mails", count)


def report_lede(total: int, shown: int, inputs: int, new: int, lang: Language) -> str:
    """The report's opening sentence: how many candidates, from how many inputs, how many new."""
    if not total:
        held = lang.gettext("No candidates to show")
    elif shown < total:
        held = lang.ngettext(
            "%(n)s candidate, the best %(shown)s shown",
            "%(n)s candidates, the best %(shown)s shown",
            total,
            shown=number(shown, lang),
        )
    else:
        held = lang.ngettext("%(n)s candidate", "%(n)s candidates", total)
    sources = lang.ngettext("%(n)s input", "%(n)s inputs", inputs)
    if inputs > 1 and new:
        fresh = lang.ngettext("%(n)s new since input 1", "%(n)s new since input 1", new)
        return lang.gettext("%(held)s from %(inputs)s; %(new)s.") % {
            "held": held,
            "inputs": sources,
            "new": fresh,
        }
    return lang.gettext("%(held)s from %(inputs)s.") % {"held": held, "inputs": sources}


def runs_heading(count: int, lang: Language) -> str:
    """The heading over a report's inputs: "Run" or "Runs"."""
    return lang.ngettext("Run", "Runs", count)


def input_kind(shape: str, lang: Language) -> str:
    """What an input of a report is, by its payload shape."""
    if shape == "enrichment":
        return lang.gettext("Enrichment run")
    if shape == "sourcing":
        return lang.gettext("Sourcing run")
    return lang.gettext("Candidates")


def band_legend(lang: Language) -> list[tuple[str, str]]:
    """Each score band's label and range, best first: "Strong match", "70 to under 85"."""
    legend = []
    upper = None
    for lowest, _band, label in SCORE_BANDS:
        if upper is None:
            span = lang.gettext("%(low)s and up") % {"low": number(lowest, lang)}
        elif lowest == 0:
            span = lang.gettext("below %(high)s") % {"high": number(upper, lang)}
        else:
            span = lang.gettext("%(low)s to under %(high)s") % {
                "low": number(lowest, lang),
                "high": number(upper, lang),
            }
        legend.append((lang.gettext(label), span))
        upper = lowest
    return legend
