"""candidate-cards: self-contained, e-mail-safe HTML cards for recruiting candidates.

>>> from candidate_cards import render_cards
>>> result = render_cards([{"profileId": "p1", "name": "Jane Doe", "matchScore": 96}])
>>> result.cards[0].profile_id
'p1'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .apiconfig import ApiConfig, api_config
    from .brand import brand_theme
    from .cards import MAX_PROFILES, Card, RenderResult, render_card, render_cards
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
        CandidateCardsError,
        ErrorDetail,
        InsufficientScope,
        InvalidApiConfig,
        InvalidApiRequest,
        InvalidRenderPayload,
        InvalidTemplate,
        InvalidTheme,
        InvalidWebhookPayload,
        InvalidWebhookSignature,
        PayloadTooLarge,
        RunFailed,
        RunInProgress,
        RunNotCompleted,
        SmtpDeliveryFailed,
        TooManyProfiles,
        Unauthorized,
        UnsupportedMediaType,
        WebhookQueueFull,
    )
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

__version__ = "0.1.0"

__all__ = [
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
    "Candidate",
    "CandidateCardsError",
    "Card",
    "CardView",
    "DetailedRationale",
    "EmailDocument",
    "EmailSizeWarning",
    "ErrorDetail",
    "Experience",
    "InsufficientScope",
    "InvalidApiConfig",
    "InvalidApiRequest",
    "InvalidRenderPayload",
    "InvalidTemplate",
    "InvalidTheme",
    "InvalidWebhookPayload",
    "InvalidWebhookSignature",
    "LoadResult",
    "PayloadTooLarge",
    "ProfileFailure",
    "RenderResult",
    "ReportSummary",
    "RunFailed",
    "RunInProgress",
    "RunInfo",
    "RunNotCompleted",
    "RunResult",
    "SmtpDeliveryFailed",
    "SourcingClient",
    "Theme",
    "TooManyProfiles",
    "Unauthorized",
    "UnsupportedMediaType",
    "WebhookQueueFull",
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
    "Card": "cards",
    "RenderResult": "cards",
    "render_card": "cards",
    "render_cards": "cards",
    "EmailDocument": "email",
    "EmailSizeWarning": "email",
    "render_email": "email",
    "CandidateCardsError": "errors",
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
    "InvalidApiConfig": "errors",
    "InvalidApiRequest": "errors",
    "ErrorDetail": "errors",
    "InsufficientScope": "errors",
    "InvalidRenderPayload": "errors",
    "InvalidTemplate": "errors",
    "InvalidTheme": "errors",
    "InvalidWebhookPayload": "errors",
    "InvalidWebhookSignature": "errors",
    "SmtpDeliveryFailed": "errors",
    "WebhookQueueFull": "errors",
    "PayloadTooLarge": "errors",
    "RunFailed": "errors",
    "RunInProgress": "errors",
    "RunNotCompleted": "errors",
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


def __getattr__(name: str) -> Any:
    """Import the submodule that defines ``name`` on first access, then keep the value."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, loaded or not."""
    return sorted(set(globals()) | set(__all__))
