"""candidate-cards: self-contained, e-mail-safe HTML cards for recruiting candidates.

>>> from candidate_cards import render_cards
>>> result = render_cards([{"profileId": "p1", "name": "Jane Doe", "matchScore": 96}])
>>> result.cards[0].profile_id
'p1'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_getattr

if TYPE_CHECKING:
    from .apiconfig import ApiConfig, api_config
    from .brand import brand_theme
    from .cards import MAX_PROFILES, Card, Renderer, RenderResult, render_card, render_cards
    from .client import Accepted, RunResult, SourcingClient
    from .email import EmailDocument, EmailSizeWarning, render_email
    from .errors import (
        ApiBadRequest,
        ApiError,
        ApiForbidden,
        ApiPaymentRequired,
        ApiRateLimited,
        ApiRunBusy,
        ApiRunNotFound,
        ApiUnauthorized,
        ApiUnavailable,
        ApiUnprocessable,
        ApiWaitTimeout,
        BrowserUnavailable,
        CandidateCardsError,
        ErrorDetail,
        InputError,
        InsufficientScope,
        InternalError,
        InvalidApiConfig,
        InvalidApiRequest,
        InvalidEmailHeader,
        InvalidLocale,
        InvalidRenderPayload,
        InvalidServiceConfig,
        InvalidTemplate,
        InvalidTheme,
        MethodNotAllowed,
        MissingExtra,
        NotFound,
        OutputError,
        PayloadTooLarge,
        RequestTimeout,
        RunFailed,
        RunInProgress,
        RunNotCompleted,
        TemplateSourceError,
        TooManyProfiles,
        Unauthorized,
        UnsupportedMediaType,
    )
    from .htmltext import RenderedHTML
    from .i18n import LOCALES
    from .models import Candidate, DetailedRationale, Experience
    from .payloads import LoadResult, ProfileFailure, RunInfo, load_candidates, parse_json
    from .report import ReportSummary, write_report
    from .text import render_text
    from .themes import (
        Theme,
        contrast_ratio,
        get_theme,
        load_theme,
        register_theme,
        theme_names,
        theme_to_toml,
    )
    from .view import CardView, card_view

from ._version import __version__

__all__ = [
    "LOCALES",
    "MAX_PROFILES",
    "Accepted",
    "ApiBadRequest",
    "ApiConfig",
    "ApiError",
    "ApiForbidden",
    "ApiPaymentRequired",
    "ApiRateLimited",
    "ApiRunBusy",
    "ApiRunNotFound",
    "ApiUnauthorized",
    "ApiUnavailable",
    "ApiUnprocessable",
    "ApiWaitTimeout",
    "BrowserUnavailable",
    "Candidate",
    "CandidateCardsError",
    "Card",
    "CardView",
    "DetailedRationale",
    "EmailDocument",
    "EmailSizeWarning",
    "ErrorDetail",
    "Experience",
    "InputError",
    "InsufficientScope",
    "InternalError",
    "InvalidApiConfig",
    "InvalidApiRequest",
    "InvalidEmailHeader",
    "InvalidLocale",
    "InvalidRenderPayload",
    "InvalidServiceConfig",
    "InvalidTemplate",
    "InvalidTheme",
    "LoadResult",
    "MethodNotAllowed",
    "MissingExtra",
    "NotFound",
    "OutputError",
    "PayloadTooLarge",
    "ProfileFailure",
    "RenderResult",
    "RenderedHTML",
    "Renderer",
    "ReportSummary",
    "RequestTimeout",
    "RunFailed",
    "RunInProgress",
    "RunInfo",
    "RunNotCompleted",
    "RunResult",
    "SourcingClient",
    "TemplateSourceError",
    "Theme",
    "TooManyProfiles",
    "Unauthorized",
    "UnsupportedMediaType",
    "__version__",
    "api_config",
    "brand_theme",
    "card_view",
    "contrast_ratio",
    "get_theme",
    "load_candidates",
    "load_theme",
    "parse_json",
    "register_theme",
    "render_card",
    "render_cards",
    "render_email",
    "render_text",
    "theme_names",
    "theme_to_toml",
    "write_report",
]

#: Where each public name lives. Submodules are imported on first use (PEP 562), so
#: ``import candidate_cards`` does not load pydantic or Jinja until something needs them.
_EXPORTS = {
    "ApiConfig": "apiconfig",
    "api_config": "apiconfig",
    "Accepted": "client",
    "RunResult": "client",
    "SourcingClient": "client",
    "brand_theme": "brand",
    "MAX_PROFILES": "cards",
    "LOCALES": "i18n",
    "Card": "cards",
    "RenderResult": "cards",
    "Renderer": "cards",
    "RenderedHTML": "htmltext",
    "render_card": "cards",
    "render_cards": "cards",
    "EmailDocument": "email",
    "EmailSizeWarning": "email",
    "render_email": "email",
    "ApiBadRequest": "errors",
    "ApiError": "errors",
    "ApiForbidden": "errors",
    "ApiPaymentRequired": "errors",
    "ApiRateLimited": "errors",
    "ApiRunBusy": "errors",
    "ApiRunNotFound": "errors",
    "ApiUnauthorized": "errors",
    "ApiUnavailable": "errors",
    "ApiUnprocessable": "errors",
    "ApiWaitTimeout": "errors",
    "BrowserUnavailable": "errors",
    "CandidateCardsError": "errors",
    "ErrorDetail": "errors",
    "InputError": "errors",
    "InsufficientScope": "errors",
    "InternalError": "errors",
    "InvalidApiConfig": "errors",
    "InvalidApiRequest": "errors",
    "InvalidLocale": "errors",
    "InvalidEmailHeader": "errors",
    "InvalidRenderPayload": "errors",
    "InvalidServiceConfig": "errors",
    "InvalidTemplate": "errors",
    "InvalidTheme": "errors",
    "MethodNotAllowed": "errors",
    "MissingExtra": "errors",
    "NotFound": "errors",
    "OutputError": "errors",
    "PayloadTooLarge": "errors",
    "RequestTimeout": "errors",
    "RunFailed": "errors",
    "RunInProgress": "errors",
    "RunNotCompleted": "errors",
    "TemplateSourceError": "errors",
    "TooManyProfiles": "errors",
    "Unauthorized": "errors",
    "UnsupportedMediaType": "errors",
    "Candidate": "models",
    "DetailedRationale": "models",
    "Experience": "models",
    "LoadResult": "payloads",
    "ProfileFailure": "payloads",
    "RunInfo": "payloads",
    "load_candidates": "payloads",
    "parse_json": "payloads",
    "ReportSummary": "report",
    "write_report": "report",
    "render_text": "text",
    "Theme": "themes",
    "contrast_ratio": "themes",
    "get_theme": "themes",
    "load_theme": "themes",
    "register_theme": "themes",
    "theme_names": "themes",
    "theme_to_toml": "themes",
    "CardView": "view",
    "card_view": "view",
}


#: Imports the submodule that defines a public name on first access, then keeps the value.
__getattr__ = lazy_getattr(__name__, _EXPORTS, globals())


def __dir__() -> list[str]:
    """The public names, loaded or not."""
    return sorted(set(globals()) | set(__all__))
