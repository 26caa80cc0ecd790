"""``render_cards``: 1 to 10 candidates into self-contained HTML cards, under the contract."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import ErrorDetail, InvalidRenderPayload, TooManyProfiles
from .htmltext import RenderedHTML
from .i18n import DEFAULT_LOCALE, Language, check_locale, language
from .templates import DEFAULT_TEMPLATES, TemplateCache
from .themes import DEFAULT_THEMES, Theme, ThemeRegistry
from .view import CardView, card_view

if TYPE_CHECKING:
    from jinja2 import Template

    from .models import Candidate
    from .usertemplates import TemplateDir

MAX_PROFILES = 10

CARD_TEMPLATE = "card.html"
CARD_STYLESHEET = "card.css"


@dataclass(frozen=True, slots=True)
class Card:
    """One rendered card."""

    profile_id: str
    html: RenderedHTML


@dataclass(frozen=True, slots=True)
class RenderResult:
    """The cards in request order, all of them joined, and the theme's name."""

    cards: tuple[Card, ...]
    theme: str

    @property
    def html(self) -> RenderedHTML:
        """Every card, in order, one per line: rendered HTML, ready to embed."""
        return RenderedHTML("\n".join(card.html for card in self.cards))

    def to_dict(self) -> dict[str, Any]:
        """The contract's success body, without ``requestId``."""
        return {
            "success": True,
            "theme": self.theme,
            "count": len(self.cards),
            "cards": [{"profileId": c.profile_id, "html": c.html} for c in self.cards],
            "html": self.html,
        }


@dataclass(frozen=True, slots=True)
class Renderer:
    """One configuration's themes and compiled templates; what ``render_cards`` runs on.

    The module-level functions use :data:`DEFAULT_RENDERER`. A service or a test that
    registers its own themes makes its own ``Renderer()``, so nothing leaks between them.
    """

    themes: ThemeRegistry = field(default_factory=ThemeRegistry)
    templates: TemplateCache = field(default_factory=TemplateCache)

    def theme(self, theme: str | os.PathLike[str] | Theme) -> Theme:
        """Resolve ``theme`` in this renderer's registry."""
        return self.themes.get(theme)

    def card_template(
        self, theme: Theme, locale: str = DEFAULT_LOCALE, *, embedded: bool = False
    ) -> Template:
        """The card template for ``theme`` and ``locale``: inlined at its first use, then
        cached. ``embedded`` cards leave ``lang`` and ``dir`` to the e-mail or report
        around them."""
        return self.templates.inlined(
            CARD_TEMPLATE, CARD_STYLESHEET, theme, locale=locale, embedded=embedded
        )

    def card_html(
        self,
        view: CardView,
        theme: Theme,
        locale: str = DEFAULT_LOCALE,
        *,
        embedded: bool = False,
    ) -> RenderedHTML:
        """The card of a view already built: the one place a card's HTML is made."""
        template = self.card_template(theme, locale, embedded=embedded)
        return RenderedHTML(template.render(card=view))

    def render_card(
        self,
        candidate: Candidate,
        theme: Theme,
        lang: Language | None = None,
        *,
        embedded: bool = False,
        templates: TemplateDir | None = None,
    ) -> Card:
        """One card, with no limit checks: for reports, which hold any number of cards;
        ``templates``: a user's directory, already checked."""
        lang = lang or language()
        view = card_view(candidate, lang)
        if templates is None:
            html = self.card_html(view, theme, lang.code, embedded=embedded)
        else:
            from .usertemplates import compile_user_inlined

            template = compile_user_inlined(
                templates, CARD_TEMPLATE, CARD_STYLESHEET, theme, lang.code, embedded=embedded
            )
            html = RenderedHTML(template.render(card=view))
        return Card(candidate.profile_id, html)

    def render_cards(
        self,
        profiles: Iterable[Candidate | Mapping[str, Any]],
        theme: str | os.PathLike[str] | Theme = "dark",
        *,
        templates: str | os.PathLike[str] | TemplateDir | None = None,
        allow_css: Collection[str] = (),
        locale: str = DEFAULT_LOCALE,
    ) -> RenderResult:
        """:func:`render_cards` with this renderer's themes and templates."""
        lang = language(check_locale(locale))
        candidates = validate_profiles(profiles)
        resolved = self.theme(theme)
        overrides = None if templates is None else user_templates(templates, allow_css)
        cards = tuple(self.render_card(c, resolved, lang, templates=overrides) for c in candidates)
        return RenderResult(cards, resolved.name)


#: The renderer the module-level functions use: the default theme registry and cache.
DEFAULT_RENDERER = Renderer(DEFAULT_THEMES, DEFAULT_TEMPLATES)


def render_cards(
    profiles: Iterable[Candidate | Mapping[str, Any]],
    theme: str | os.PathLike[str] | Theme = "dark",
    *,
    templates: str | os.PathLike[str] | TemplateDir | None = None,
    allow_css: Collection[str] = (),
    locale: str = DEFAULT_LOCALE,
) -> RenderResult:
    """Render 1 to 10 candidates (models or the API's camelCase dicts) as HTML cards.

    Raises :class:`TooManyProfiles` over 10, :class:`InvalidRenderPayload` for no profiles,
    an invalid profile (every problem named by its path, ``profiles[3].matchScore``) or a
    repeated ``profileId``, and :class:`InvalidTheme` for an unknown or invalid theme.

    ``templates`` is a directory of your own templates overriding ours (``card.html``,
    ``card.css``…), linted first: :class:`InvalidTemplate` lists each problem and its line.
    ``allow_css`` names caniemail CSS features you accept although a mail client drops them.
    ``locale`` is the language of the cards' own words (``"sk"``, ``"ar"``…; see
    :data:`LOCALES`); candidate text is never translated. An unknown one is
    :class:`InvalidLocale`.
    """
    return DEFAULT_RENDERER.render_cards(
        profiles, theme, templates=templates, allow_css=allow_css, locale=locale
    )


def user_templates(
    templates: str | os.PathLike[str] | TemplateDir, allow_css: Collection[str]
) -> TemplateDir:
    """A directory checked once (a :class:`TemplateDir`, as the service holds) or now."""
    from .usertemplates import TemplateDir, template_dir  # their lint, on first use

    return templates if isinstance(templates, TemplateDir) else template_dir(templates, allow_css)


def render_card(
    candidate: Candidate,
    theme: Theme,
    lang: Language | None = None,
    *,
    embedded: bool = False,
    templates: TemplateDir | None = None,
) -> Card:
    """One card, with no limit checks: for reports, which hold any number of cards."""
    return DEFAULT_RENDERER.render_card(
        candidate, theme, lang, embedded=embedded, templates=templates
    )


def card_html(
    view: CardView, theme: Theme, locale: str = DEFAULT_LOCALE, *, embedded: bool = False
) -> RenderedHTML:
    """The card of a view already built (the e-mail builds views for its text part too)."""
    return DEFAULT_RENDERER.card_html(view, theme, locale, embedded=embedded)


def card_template(
    theme: Theme, locale: str = DEFAULT_LOCALE, *, embedded: bool = False
) -> Template:
    """The card template for ``theme`` and ``locale``: inlined at its first use, then cached."""
    return DEFAULT_RENDERER.card_template(theme, locale, embedded=embedded)


def validate_profiles(profiles: Iterable[Candidate | Mapping[str, Any]]) -> list[Candidate]:
    """Apply the contract's rules to a render request's ``profiles``."""
    from .payloads import invalid_payload, validate_candidate  # pydantic, on the first call

    if isinstance(profiles, Mapping | str | bytes) or not isinstance(profiles, Iterable):
        raise InvalidRenderPayload(
            "Validation failed: profiles must be a list of candidate objects.",
            [ErrorDetail("profiles", "expected an array of candidate objects")],
        )
    items = list(profiles)
    if not items:
        raise InvalidRenderPayload(
            "Validation failed: profiles must hold 1 to 10 profiles, got none.",
            [ErrorDetail("profiles", "must not be empty")],
        )
    if len(items) > MAX_PROFILES:
        raise TooManyProfiles.for_count(len(items), MAX_PROFILES)
    candidates: list[Candidate] = []
    problems: list[ErrorDetail] = []
    first_index: dict[str, int] = {}
    for index, item in enumerate(items):
        candidate, errors = validate_candidate(item, f"profiles[{index}]")
        problems.extend(errors)
        profile_id = candidate.profile_id if candidate else _raw_profile_id(item)
        if profile_id in first_index:
            problems.append(
                ErrorDetail(
                    f"profiles[{index}].profileId",
                    f"duplicate of profiles[{first_index[profile_id]}].profileId",
                )
            )
        if profile_id:
            first_index.setdefault(profile_id, index)
        if candidate:
            candidates.append(candidate)
    if problems:
        raise invalid_payload(problems)
    return candidates


def _raw_profile_id(item: Any) -> str | None:
    """The ``profileId`` of a profile that failed validation, so duplicates are still named."""
    profile_id = item.get("profileId") if isinstance(item, Mapping) else None
    return profile_id if isinstance(profile_id, str) and profile_id else None
