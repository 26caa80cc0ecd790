"""``render_email``: 1 to 10 candidates as a complete, e-mail-safe HTML document plus text.

The document template (``templates/email.html`` + ``email.css``) goes through premailer
once per theme, when it is first used; the cards inside it are the card template, inlined
once per theme by css-inline. Per call there are only Jinja renders: no inliner runs.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, localtime, make_msgid
from typing import Any, NoReturn

from .cards import CARD_STYLESHEET, CARD_TEMPLATE, card_html, user_templates, validate_profiles
from .errors import ErrorDetail, InvalidEmailHeader, InvalidRenderPayload
from .htmltext import RenderedHTML
from .i18n import DEFAULT_LOCALE, check_locale, language
from .models import Candidate
from .templates import compile_inlined
from .text import render_text
from .themes import Theme, get_theme
from .usertemplates import TemplateDir, compile_user_inlined
from .view import N_, CardView, card_view, clip

EMAIL_TEMPLATE = "email.html"
EMAIL_STYLESHEET = "email.css"

#: Gmail clips a message's HTML at about 102 KB and hides the rest behind a link.
GMAIL_CLIP_BYTES = 102 * 1024
#: ``render_email`` warns from this size on: close enough to the clip to act on.
NEAR_CLIP_BYTES = 90 * 1024
#: What a 10-card e-mail of realistic profiles is held to (a test checks it).
SIZE_BUDGET_BYTES = 75 * 1024

DEFAULT_SUBJECT = N_("Candidate shortlist")
PREHEADER_CHARS = 140

#: What :meth:`EmailDocument.as_message` accepts for one address header.
Addresses = str | Address | Sequence[str | Address]


class EmailSizeWarning(UserWarning):
    """An e-mail document is near (or over) the size at which Gmail clips it."""


@dataclass(frozen=True, slots=True)
class EmailDocument:
    """A rendered e-mail: the HTML document, its plain-text alternative and its subject."""

    html: str
    text: str
    subject: str
    theme: str
    count: int

    @property
    def size_bytes(self) -> int:
        """The HTML's size in UTF-8 bytes, the measure Gmail's clipping applies to."""
        return len(self.html.encode("utf-8"))

    @property
    def near_clip(self) -> bool:
        """Whether the HTML is within reach of Gmail's ~102 KB clip."""
        return self.size_bytes >= NEAR_CLIP_BYTES

    def as_message(
        self,
        *,
        sender: str | Address,
        to: Addresses,
        subject: str | None = None,
        cc: Addresses = (),
        reply_to: Addresses = (),
        date: datetime | None = None,
        message_id: str | None = None,
    ) -> EmailMessage:
        """A complete, sendable message: text and HTML as multipart/alternative, in UTF-8.

        Carries ``Date`` (now, unless ``date``) and a ``Message-ID`` in the sender's domain
        (unless ``message_id``), which spam filters expect. ``subject`` defaults to the
        document's. Send it with ``smtplib.SMTP.send_message`` or save ``bytes(message)``
        as an ``.eml``. Raises :class:`InvalidEmailHeader` naming the argument that cannot
        be a header: no address, a line break, a missing domain.
        """
        message = EmailMessage()
        _set_addresses(message, "From", "sender", sender)
        _set_addresses(message, "To", "to", to)
        for header, field, value in (("Cc", "cc", cc), ("Reply-To", "reply_to", reply_to)):
            if value:
                _set_addresses(message, header, field, value)
        _set_header(message, "Subject", "subject", self.subject if subject is None else subject)
        _set_header(message, "Date", "date", format_datetime(date or localtime()))
        domain = message["From"].addresses[0].domain
        _set_header(message, "Message-ID", "message_id", message_id or make_msgid(domain=domain))
        message.set_content(self.text, charset="utf-8")
        message.add_alternative(self.html, subtype="html", charset="utf-8")
        return message


def _set_header(message: EmailMessage, header: str, field: str, value: str) -> None:
    """Set one header, or raise :class:`InvalidEmailHeader` naming ``field``."""
    if not isinstance(value, str) or "\r" in value or "\n" in value:
        _refuse(field, "must be a string on one line")
    try:
        message[header] = value
    except (ValueError, TypeError, IndexError) as exc:
        _refuse(field, str(exc))


def _set_addresses(message: EmailMessage, header: str, field: str, value: Addresses) -> None:
    """Set an address header: every address must have a local part and a domain."""
    items = [value] if isinstance(value, str | Address) else list(value)
    texts = [str(item) if isinstance(item, Address) else item for item in items]
    if not texts or not all(isinstance(text, str) for text in texts):
        _refuse(field, "needs one or more addresses, as strings or Address objects")
    _set_header(message, header, field, ", ".join(texts))
    parsed = message[header]
    addresses = getattr(parsed, "addresses", ())
    if parsed.defects or not addresses or any(not a.username or not a.domain for a in addresses):
        _refuse(field, f"is not a list of e-mail addresses: {', '.join(map(str, texts))!r}")


def _refuse(field: str, problem: str) -> NoReturn:
    """Raise :class:`InvalidEmailHeader` for ``field``."""
    raise InvalidEmailHeader(
        f"Invalid e-mail header: {field} {problem}.", [ErrorDetail(field, problem)]
    )


@dataclass(frozen=True, slots=True)
class EmailView:
    """What the document template shows around the cards."""

    subject: str
    preheader: str
    intro: str


def render_email(
    profiles: Iterable[Candidate | Mapping[str, Any]],
    theme: str | os.PathLike[str] | Theme = "dark",
    *,
    subject: str | None = None,
    preheader: str | None = None,
    intro: str | None = None,
    locale: str = DEFAULT_LOCALE,
    templates: str | os.PathLike[str] | TemplateDir | None = None,
    allow_css: Collection[str] = (),
) -> EmailDocument:
    """Render 1 to 10 candidates as an HTML e-mail with a plain-text alternative.

    ``subject`` becomes the ``<title>`` (default "Candidate shortlist"); ``preheader`` is
    the inbox preview (default: the candidates' names); ``intro`` is a paragraph above the
    cards; ``locale`` is the language of the project's own words and of the document's
    ``lang``/``dir``, in both parts. Raises the errors of :func:`render_cards`,
    :class:`InvalidLocale`, and :class:`InvalidRenderPayload`
    naming the argument when one is not a string. Warns with :class:`EmailSizeWarning`
    when the document nears Gmail's clip.

    ``templates`` is a directory of your own templates (``email.html``, ``email.css``, the
    card's…), checked and compiled as for :func:`render_cards`; ``allow_css`` likewise.
    """
    options = {"subject": subject, "preheader": preheader, "intro": intro}
    wrong = [
        ErrorDetail(name, f"must be a string, got {type(value).__name__}")
        for name, value in options.items()
        if value is not None and not isinstance(value, str)
    ]
    if wrong:
        raise InvalidRenderPayload(
            "Validation failed: " + "; ".join(f"{d.field} {d.message}" for d in wrong) + ".", wrong
        )
    lang = language(check_locale(locale))
    candidates = validate_profiles(profiles)
    resolved = get_theme(theme)
    views = [card_view(candidate, lang) for candidate in candidates]
    view = EmailView(
        subject=" ".join((subject or "").split()) or lang.gettext(DEFAULT_SUBJECT),
        preheader=" ".join((preheader or "").split())
        or clip(", ".join(v.name for v in views), PREHEADER_CHARS),
        intro=(intro or "").strip(),
    )
    if templates is None:
        cards = [card_html(card, resolved, lang.code, embedded=True) for card in views]
        page = compile_inlined(EMAIL_TEMPLATE, EMAIL_STYLESHEET, resolved, "premailer", lang.code)
        html = page.render(email=view, cards=cards)
    else:
        html = _render_user_email(templates, allow_css, resolved, lang.code, view, views)
    document = EmailDocument(
        html=html,
        text=render_text(views, subject=view.subject, intro=view.intro, lang=lang),
        subject=view.subject,
        theme=resolved.name,
        count=len(views),
    )
    if document.near_clip:
        warnings.warn(
            f"The e-mail is {document.size_bytes:,} bytes; Gmail clips messages at about "
            f"{GMAIL_CLIP_BYTES:,} bytes. Send fewer candidates per message.",
            EmailSizeWarning,
            stacklevel=2,
        )
    return document


def _render_user_email(
    templates: str | os.PathLike[str] | TemplateDir,
    allow_css: Collection[str],
    theme: Theme,
    locale: str,
    view: EmailView,
    views: list[CardView],
) -> str:
    """The e-mail document through a user's template directory: its files before ours,
    compiled for ``theme`` and ``locale`` like ours."""
    overrides = user_templates(templates, allow_css)
    card = compile_user_inlined(
        overrides, CARD_TEMPLATE, CARD_STYLESHEET, theme, locale, embedded=True
    )
    document = compile_user_inlined(
        overrides, EMAIL_TEMPLATE, EMAIL_STYLESHEET, theme, locale, "premailer"
    )
    cards = [RenderedHTML(card.render(card=v)) for v in views]
    return document.render(email=view, cards=cards)
