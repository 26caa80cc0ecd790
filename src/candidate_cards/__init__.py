"""candidate-cards: self-contained, e-mail-safe HTML cards for recruiting candidates.

>>> from candidate_cards import render_cards
>>> result = render_cards([{"profileId": "p1", "name": "Jane Doe", "matchScore": 96}])
>>> result.cards[0].profile_id
'p1'
"""

from .cards import MAX_PROFILES, Card, RenderResult, render_card, render_cards
from .email import EmailDocument, EmailSizeWarning, render_email
from .errors import (
    CandidateCardsError,
    ErrorDetail,
    InsufficientScope,
    InvalidRenderPayload,
    InvalidTheme,
    PayloadTooLarge,
    RunFailed,
    RunInProgress,
    RunNotCompleted,
    TooManyProfiles,
    Unauthorized,
    UnsupportedMediaType,
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
)
from .view import CardView, card_view

__version__ = "0.1.0"

__all__ = [
    "MAX_PROFILES",
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
    "InvalidRenderPayload",
    "InvalidTheme",
    "LoadResult",
    "PayloadTooLarge",
    "ProfileFailure",
    "RenderResult",
    "ReportSummary",
    "RunFailed",
    "RunInProgress",
    "RunInfo",
    "RunNotCompleted",
    "Theme",
    "TooManyProfiles",
    "Unauthorized",
    "UnsupportedMediaType",
    "__version__",
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
    "write_report",
]
