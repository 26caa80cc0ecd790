"""The HTTP service: ``POST /sourcing/render-html`` under the render-html contract.

=================  ===============================================================
module             its job
=================  ===============================================================
``app``            ``create_app()``: the Starlette app, its routes and error envelopes
``middleware``     request ids, ``X-Request-Id``, faults as envelopes, the access log
``requests``       the bearer key, media type, body size and body time of a request
``run``            ``serve()``: uvicorn in one process or several, logging set up
``auth``           API keys, stored as SHA-256 digests, and their scopes
``openapi``        the OpenAPI 3.1 document the service publishes
=================  ===============================================================

``auth`` and ``openapi`` need no extra; the rest need the ``serve`` extra, imported only
when a name below is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_getattr

if TYPE_CHECKING:
    from .app import BODY_TIMEOUT_SECONDS, MAX_BODY_BYTES, create_app
    from .requests import DRAIN_BYTES
    from .run import logging_config, serve

__all__ = [
    "BODY_TIMEOUT_SECONDS",
    "DRAIN_BYTES",
    "MAX_BODY_BYTES",
    "create_app",
    "logging_config",
    "serve",
]

_EXPORTS = {
    "BODY_TIMEOUT_SECONDS": "app",
    "MAX_BODY_BYTES": "app",
    "create_app": "app",
    "DRAIN_BYTES": "requests",
    "logging_config": "run",
    "serve": "run",
}


#: Imports the submodule that defines a name on first access (it needs the extra).
__getattr__ = lazy_getattr(__name__, _EXPORTS, globals())
