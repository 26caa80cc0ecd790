"""The plain-text alternative of an e-mail: the cards' facts, wrapped at 78 columns.

It reads the same ``view.CardView`` as the HTML card, so both parts show the same facts,
limits and "+N more" phrases (worded by the view; this module only lays them out).
Plain text needs no escaping: nothing here is HTML.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from functools import cache

from .i18n import Language, language
from .view import CardView, Link, Shortlist

WIDTH = 78
INDENT = "   "
#: Whitespace other than a single space: text with it is left to textwrap.
_NOT_SINGLE_SPACES = re.compile(r"[^\S ]|  ")


def render_text(
    cards: Iterable[CardView],
    *,
    subject: str | None = None,
    intro: str | None = None,
    lang: Language | None = None,
) -> str:
    """The text/plain part for ``cards``: name, score, role, fit, flags and contacts, its
    headings in ``lang`` (English by default; the cards' phrases are worded by their view)."""
    lang = lang or language()
    blocks = [_paragraph(part) for part in (subject, intro) if part]
    blocks.extend(_card(number, card, lang) for number, card in enumerate(cards, start=1))
    return "\n\n".join(blocks) + "\n"


def _card(number: int, card: CardView, lang: Language) -> str:
    lines = [_paragraph(f"{number}. {card.name}", "", INDENT)]
    if card.score:
        match = lang.gettext("Match: %(score)s · %(label)s")
        line = match % {"score": card.score.text, "label": card.score.label}
        lines.append(_paragraph(line, INDENT, INDENT))
    for fact in (card.headline, card.meta):
        if fact:
            lines.append(_paragraph(fact, INDENT, INDENT))
    if card.rationale:
        lines.extend(("", _paragraph(card.rationale, INDENT, INDENT)))
    lines.extend(_list(lang.gettext("Strengths"), card.fit_points, lang))
    lines.extend(_list(lang.gettext("Concerns"), card.red_flags, lang))
    if card.skills.items:
        skills = ", ".join(card.skills.items)
        if card.skills.more:
            skills += ", " + card.skills.more_text
        line = lang.gettext("Skills: %(skills)s") % {"skills": skills}
        lines.extend(("", _paragraph(line, INDENT, INDENT + "  ")))
    contacts = [_contact(link, lang) for link in card.contacts]
    if card.contacts_more:
        contacts.append(card.contacts_more_text)
    if contacts:
        lines.append("")
        lines.extend(_paragraph(contact, INDENT, INDENT + "  ") for contact in contacts)
    return "\n".join(lines)


def _contact(link: Link, lang: Language) -> str:
    """An e-mail address or the LinkedIn URL; text the card shows unlinked stays as it is."""
    if link.href is None:
        return lang.gettext("Contact: %(value)s") % {"value": link.text}
    if link.href.startswith("mailto:"):
        return lang.gettext("E-mail: %(address)s") % {"address": link.text}
    return lang.gettext("LinkedIn: %(url)s") % {"url": link.href}


def _list(title: str, shortlist: Shortlist, lang: Language) -> list[str]:
    if not shortlist.items:
        return []
    # TRANSLATORS: a heading over a list in the plain-text e-mail ("Strengths:").
    heading = lang.gettext("%(title)s:") % {"title": title}
    lines = ["", INDENT + heading]
    lines.extend(_paragraph(f"- {item}", INDENT, INDENT + "  ") for item in shortlist.items)
    if shortlist.more:
        lines.append(INDENT + shortlist.more_text)
    return lines


def _paragraph(text: str, first: str = "", rest: str = "") -> str:
    """``text`` wrapped at 78 columns; a word longer than a line (a URL) stays whole.

    The result is ``textwrap.fill``'s. Text whose only whitespace is single spaces between
    words (nearly all of it) is packed here greedily, as textwrap does, without its
    per-chunk loop; anything else goes through textwrap itself.
    """
    rest = rest or first
    if not text or text[0] == " " or text[-1] == " " or _NOT_SINGLE_SPACES.search(text):
        return _wrapper(first, rest).fill(text)
    lines = []
    indent, start, end = first, 0, len(text)
    while end - start > WIDTH - len(indent):
        # The last space that leaves at most a line's worth before it ends the line; with
        # none, the first word is longer than a line and stays whole, on a line of its own.
        cut = text.rfind(" ", start, start + WIDTH - len(indent) + 1)
        if cut < 0:
            cut = text.find(" ", start)
            if cut < 0:
                break
        lines.append(indent + text[start:cut])
        indent, start = rest, cut + 1
    lines.append(indent + text[start:])
    return "\n".join(lines)


@cache
def _wrapper(first: str, rest: str) -> textwrap.TextWrapper:
    """One reusable wrapper per pair of indents."""
    return textwrap.TextWrapper(
        width=WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
