"""Cards inside your own Jinja templates: ``install(env)`` adds a ``cards`` filter and global.

>>> from jinja2 import Environment
>>> from candidate_cards.jinja import install
>>> env = install(Environment(autoescape=True))
>>> html = env.from_string('<td>{{ people | cards(theme="light") }}</td>').render(
...     people=[{"profileId": "p1", "name": "Jane Doe", "matchScore": 96}]
... )
>>> html.count('data-profile-id="p1"')
1

The value is :class:`markupsafe.Markup`, so an autoescaping environment inserts the
cards as they are; every candidate value inside them was escaped by the card template.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .cards import render_cards
from .htmltext import RenderedHTML
from .models import Candidate
from .payloads import load_candidates
from .themes import DEFAULT_THEME, Theme

if TYPE_CHECKING:
    from jinja2 import Environment

Candidates = Candidate | Mapping[str, Any] | Iterable[Candidate | Mapping[str, Any]]


def cards(
    candidates: Candidates,
    theme: str | os.PathLike[str] | Theme | None = None,
    templates: str | os.PathLike[str] | None = None,
) -> Markup:
    """1 to 10 candidates as trusted HTML cards, for a template.

    ``candidates`` is a :class:`Candidate`, a list of models or of the API's camelCase
    dicts, or any payload :func:`load_candidates` reads (a render request, sourcing or
    enrichment results). ``theme`` defaults to the payload's own, else dark; ``templates``
    is a directory of your own card templates, as for :func:`render_cards`. Raises the
    library's errors (:class:`InvalidRenderPayload`, :class:`TooManyProfiles`,
    :class:`InvalidTheme`, :class:`InvalidTemplate`, :class:`RunNotCompleted`), never a
    half-rendered value.
    """
    if isinstance(candidates, Candidate):
        candidates = [candidates]
    elif isinstance(candidates, Mapping):
        loaded = load_candidates(candidates)
        candidates, theme = loaded.candidates, theme or loaded.theme
    result = render_cards(candidates, theme or DEFAULT_THEME, templates=templates)
    return trusted(result.html)


def trusted(html: RenderedHTML) -> Markup:
    """Mark HTML the card templates produced as safe: the one way into :class:`Markup`."""
    return Markup(html)


def install(env: Environment, name: str = "cards") -> Environment:
    """Add the ``cards`` filter and global to ``env`` (autoescaping or not); return ``env``."""
    env.filters[name] = cards
    env.globals[name] = cards
    return env
