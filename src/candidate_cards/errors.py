"""Every error the library raises, in one place.

Each class carries a stable ``code`` (the render-html contract's ``error`` values) and the
HTTP ``status_code`` the service answers with, so the library, CLI and service report a
problem the same way. Every class is exported from ``candidate_cards``; no two share a code.
A status in parentheses is never sent: that error stops the CLI or the service's start,
or is raised by the client to its caller::

    CandidateCardsError           CANDIDATE_CARDS_ERROR    (400)
    ├── InvalidRenderPayload      INVALID_RENDER_PAYLOAD   400
    ├── TooManyProfiles           TOO_MANY_PROFILES        400
    ├── InvalidTheme              INVALID_THEME            400
    ├── InvalidTemplate           INVALID_TEMPLATE         400   (a user's template directory)
    ├── InvalidLocale             INVALID_LOCALE           400   (a language we have no catalog for)
    ├── TemplateSourceError       TEMPLATE_SOURCE_ERROR    (400) (an inlining rule broken)
    ├── InputError                INPUT_UNREADABLE         (400) (CLI: input unreadable)
    ├── OutputError               OUTPUT_ERROR             (400) (CLI: output unwritable)
    ├── RunNotCompleted           RUN_NOT_COMPLETED        409   (a payload holds no results yet)
    │   ├── RunInProgress         RUN_IN_PROGRESS          409
    │   └── RunFailed             RUN_FAILED               422
    ├── Unauthorized              UNAUTHORIZED             401
    ├── InsufficientScope         INSUFFICIENT_SCOPE       403
    ├── PayloadTooLarge           PAYLOAD_TOO_LARGE        413
    ├── RequestTimeout            REQUEST_TIMEOUT          408   (service: body too slow)
    ├── UnsupportedMediaType      UNSUPPORTED_MEDIA_TYPE   415
    ├── NotFound                  NOT_FOUND                404   (service: no such route)
    ├── MethodNotAllowed          METHOD_NOT_ALLOWED       405   (service: wrong method)
    ├── InternalError             INTERNAL_ERROR           500   (service: a fault of ours)
    ├── InvalidServiceConfig      INVALID_SERVICE_CONFIG   (500) (the service will not start)
    ├── BrowserUnavailable        BROWSER_UNAVAILABLE      (503) (no Chromium for PDFs)
    ├── InvalidEmailHeader        INVALID_EMAIL_HEADER     (400) (EmailDocument.as_message)
    ├── MissingExtra              MISSING_EXTRA            (503) (an optional extra is absent)
    ├── InvalidApiRequest         INVALID_API_REQUEST      (400) (client: body refused unsent)
    ├── InvalidApiConfig          INVALID_API_CONFIG       (400) (client: no usable key or API URL)
    └── ApiError                  API_ERROR                (502) (client: the API said no)
        ├── ApiUnauthorized       API_UNAUTHORIZED         (401)
        ├── ApiForbidden          API_FORBIDDEN            (403) (names the scope needed)
        ├── ApiRunNotFound        API_RUN_NOT_FOUND        (404) (the API's REQUEST_NOT_FOUND)
        ├── ApiPaymentRequired    API_PAYMENT_REQUIRED     (402)
        ├── ApiRunBusy            API_RUN_BUSY             (409) (the API's RUN_IN_PROGRESS)
        ├── ApiUnprocessable      API_UNPROCESSABLE        (422)
        ├── ApiBadRequest         API_BAD_REQUEST          (400)
        ├── ApiRateLimited        API_RATE_LIMITED         (429) (still refused after retries)
        ├── ApiUnavailable        API_UNAVAILABLE          (503) (network or 5xx, retried)
        └── ApiWaitTimeout        API_WAIT_TIMEOUT         (504) (still processing at deadline)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from .payloads import RunInfo


@dataclass(frozen=True, slots=True)
class ErrorDetail:
    """One field-level problem: where (``profiles[3].matchScore``) and what."""

    field: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class CandidateCardsError(Exception):
    """Base class of every error raised by candidate-cards."""

    code: ClassVar[str] = "CANDIDATE_CARDS_ERROR"
    status_code: ClassVar[int] = 400

    def __init__(self, message: str, details: tuple[ErrorDetail, ...] | list[ErrorDetail] = ()):
        super().__init__(message)
        self.message = message
        self.details: tuple[ErrorDetail, ...] = tuple(details)

    def to_dict(self) -> dict[str, Any]:
        """The contract's error envelope."""
        return {
            "statusCode": self.status_code,
            "error": self.code,
            "message": self.message,
            "details": [detail.to_dict() for detail in self.details],
        }


class InvalidRenderPayload(CandidateCardsError):
    """The payload is not a valid set of candidates (each problem is in ``details``)."""

    code = "INVALID_RENDER_PAYLOAD"


class TooManyProfiles(CandidateCardsError):
    """More profiles than the contract's limit of 10 per render."""

    code = "TOO_MANY_PROFILES"

    @classmethod
    def for_count(cls, count: int, limit: int = 10) -> TooManyProfiles:
        """The error for ``count`` profiles where at most ``limit`` are allowed."""
        return cls(
            f"Validation failed: at most {limit} profiles per request, got {count}.",
            [ErrorDetail("profiles", f"at most {limit} items, got {count}")],
        )


class InvalidTheme(CandidateCardsError):
    """An unknown theme name, or a theme file that is malformed or fails WCAG AA."""

    code = "INVALID_THEME"


class InvalidTemplate(CandidateCardsError):
    """A user's template directory that is missing, unreadable or unsafe: ``details`` name
    each problem as ``file:line``."""

    code = "INVALID_TEMPLATE"


class InvalidLocale(CandidateCardsError):
    """A requested language that has no catalog; the message lists the available ones."""

    code = "INVALID_LOCALE"

    @classmethod
    def for_value(
        cls, value: str, available: tuple[str, ...], field: str = "locale"
    ) -> InvalidLocale:
        """The error for ``value`` asked for in ``field``, naming every available locale."""
        listed = ", ".join(available)
        return cls(
            f"Validation failed: no catalog for locale {value!r}; available: {listed}.",
            [ErrorDetail(field, f"must be one of {listed}, got {value!r}")],
        )


class TemplateSourceError(CandidateCardsError, ValueError):
    """A template breaks a rule that load-time inlining depends on (a statement in a tag)."""

    code = "TEMPLATE_SOURCE_ERROR"


class InputError(CandidateCardsError):
    """An input that is not a readable file: a directory, a missing or unreadable path."""

    code = "INPUT_UNREADABLE"


class OutputError(CandidateCardsError):
    """An output file that cannot be written."""

    code = "OUTPUT_ERROR"


class RunNotCompleted(CandidateCardsError):
    """A sourcing or enrichment payload whose run has no results to render.

    Carries the run's ``request_id`` and ``status`` and, for failed runs, the API's own
    ``api_error_code`` and ``api_error_message``.
    """

    code = "RUN_NOT_COMPLETED"
    status_code = 409

    def __init__(
        self,
        message: str,
        *,
        request_id: str | None,
        status: str,
        api_error_code: str | None = None,
        api_error_message: str | None = None,
        run: RunInfo | None = None,
    ):
        super().__init__(message)
        self.request_id = request_id
        self.status = status
        self.api_error_code = api_error_code
        self.api_error_message = api_error_message
        self.run = run


class RunInProgress(RunNotCompleted):
    """The run is still ``processing``: poll again later."""

    code = "RUN_IN_PROGRESS"


class RunFailed(RunNotCompleted):
    """The run ended with ``status: "failed"``."""

    code = "RUN_FAILED"
    status_code = 422


class Unauthorized(CandidateCardsError):
    """Missing, malformed or unknown bearer key."""

    code = "UNAUTHORIZED"
    status_code = 401


class InsufficientScope(CandidateCardsError):
    """The key is valid but lacks the ``enrich:write`` scope."""

    code = "INSUFFICIENT_SCOPE"
    status_code = 403


class PayloadTooLarge(CandidateCardsError):
    """The request body or input file is over the size limit."""

    code = "PAYLOAD_TOO_LARGE"
    status_code = 413


class RequestTimeout(CandidateCardsError):
    """The request body did not arrive in full within the service's body-read timeout."""

    code = "REQUEST_TIMEOUT"
    status_code = 408


class UnsupportedMediaType(CandidateCardsError):
    """The request body is not ``application/json``."""

    code = "UNSUPPORTED_MEDIA_TYPE"
    status_code = 415


class NotFound(CandidateCardsError):
    """The service has no route at the requested path."""

    code = "NOT_FOUND"
    status_code = 404


class MethodNotAllowed(CandidateCardsError):
    """The route exists but does not answer the request's method."""

    code = "METHOD_NOT_ALLOWED"
    status_code = 405


class InternalError(CandidateCardsError):
    """An unexpected fault in the service itself; the client sees only this envelope."""

    code = "INTERNAL_ERROR"
    status_code = 500


class InvalidServiceConfig(CandidateCardsError):
    """The service cannot start: no API keys, or a keys file that is missing or malformed."""

    code = "INVALID_SERVICE_CONFIG"
    status_code = 500


class BrowserUnavailable(CandidateCardsError):
    """Chromium is not installed (a missing Playwright is :class:`MissingExtra`)."""

    code = "BROWSER_UNAVAILABLE"
    status_code = 503


class InvalidApiRequest(CandidateCardsError):
    """A sourcing-API request body refused before sending (each problem is in ``details``)."""

    code = "INVALID_API_REQUEST"


class InvalidApiConfig(CandidateCardsError):
    """No usable API key (``INSTAVIEW_API_KEY`` or a key file), or an API URL that is not one."""

    code = "INVALID_API_CONFIG"


class ApiError(CandidateCardsError):
    """The sourcing API refused a request, or could not be reached.

    Carries the run it was about (``request_id``), the HTTP status (``http_status``, ``None``
    when no answer came) and the API's own ``api_code`` and ``api_message``.
    """

    code = "API_ERROR"
    status_code = 502

    def __init__(
        self,
        message: str,
        *,
        request_id: str | None = None,
        http_status: int | None = None,
        api_code: str | None = None,
        api_message: str | None = None,
    ):
        super().__init__(message)
        self.request_id = request_id
        self.http_status = http_status
        self.api_code = api_code
        self.api_message = api_message


class ApiUnauthorized(ApiError):
    """401: the API key is missing, malformed, revoked or unknown."""

    code = "API_UNAUTHORIZED"
    status_code = 401


class ApiForbidden(ApiError):
    """403: the key may not do this; ``scope`` names the scope the endpoint needs."""

    code = "API_FORBIDDEN"
    status_code = 403

    def __init__(self, message: str, *, scope: str, **api: Any):
        super().__init__(message, **api)
        self.scope = scope


class ApiRunNotFound(ApiError):
    """404 ``REQUEST_NOT_FOUND``: no such run, or one that belongs to another company's key."""

    code = "API_RUN_NOT_FOUND"
    status_code = 404


class ApiPaymentRequired(ApiError):
    """402: a prepaid account has too few credits for the run."""

    code = "API_PAYMENT_REQUIRED"
    status_code = 402


class ApiRunBusy(ApiError):
    """409 ``RUN_IN_PROGRESS``: a run cannot be patched while it is still processing."""

    code = "API_RUN_BUSY"
    status_code = 409


class ApiUnprocessable(ApiError):
    """422: a well-formed request the API cannot act on (e.g. a webhook not subscribed)."""

    code = "API_UNPROCESSABLE"
    status_code = 422


class ApiBadRequest(ApiError):
    """400: the API refused the request body (e.g. ``INVALID_PATCH_PAYLOAD``)."""

    code = "API_BAD_REQUEST"
    status_code = 400


class ApiRateLimited(ApiError):
    """429 ``RATE_LIMIT_EXCEEDED`` on every retry the client allowed itself."""

    code = "API_RATE_LIMITED"
    status_code = 429


class ApiUnavailable(ApiError):
    """Network errors, timeouts or 5xx answers on every retry the client allowed itself."""

    code = "API_UNAVAILABLE"
    status_code = 503


class ApiWaitTimeout(ApiError):
    """A run still ``processing`` when the caller's overall timeout ran out."""

    code = "API_WAIT_TIMEOUT"
    status_code = 504


class InvalidEmailHeader(CandidateCardsError):
    """A sender, recipient or subject that cannot go into an e-mail header as given."""

    code = "INVALID_EMAIL_HEADER"


class MissingExtra(CandidateCardsError):
    """An optional extra (``serve``, ``browser``) is not installed; says what to install."""

    code = "MISSING_EXTRA"
    status_code = 503

    def __init__(self, extra: str, module: str | None = None):
        missing = f" (no module named {module!r})" if module else ""
        super().__init__(
            f"The {extra} extra is not installed{missing}: pip install 'candidate-cards[{extra}]'."
        )
        self.extra = extra


@contextmanager
def requires_extra(extra: str) -> Iterator[None]:
    """Turn a missing third-party module, imported inside, into :class:`MissingExtra`."""
    try:
        yield
    except ModuleNotFoundError as exc:
        package = (exc.name or "").partition(".")[0]
        if package == "candidate_cards":
            raise
        raise MissingExtra(extra, package or None) from None
