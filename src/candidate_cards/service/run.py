"""Run the service under uvicorn, in one process or several, with its logging set up."""

from __future__ import annotations

import copy
import functools
import inspect
import logging
import logging.config
import os
from collections.abc import Collection, Mapping
from typing import Any

from ..errors import InvalidServiceConfig, requires_extra
from ..webhooks.config import webhook_settings
from .app import (
    BODY_TIMEOUT_SECONDS,
    MAX_BODY_BYTES,
    check_limits,
    checked_templates,
    create_app,
    resolve_api_keys,
)
from .auth import ApiKeys

with requires_extra("serve"):  # without it: one line saying what to install
    import uvicorn
    import uvicorn.config
    import uvicorn.supervisors

#: How long ``serve`` lets in-flight requests finish after SIGINT/SIGTERM.
GRACEFUL_SHUTDOWN_SECONDS = 10


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    api_keys_file: str | os.PathLike[str] | None = None,
    no_auth: bool = False,
    *,
    body_timeout: float = BODY_TIMEOUT_SECONDS,
    access_log: bool = True,
    log_level: str = "info",
    webhook: Mapping[str, Any] | None = None,
    templates: str | os.PathLike[str] | None = None,
    allow_css: Collection[str] = (),
) -> None:
    """Run the service under uvicorn until SIGINT/SIGTERM, then finish in-flight requests.

    Refuses to start (:class:`InvalidServiceConfig`) without keys unless ``no_auth``; the keys
    file is read here first, so a bad file fails before any worker starts. ``webhook``
    holds :func:`~candidate_cards.webhooks.config.webhook_settings`' arguments, checked
    here too, as is the template directory ``templates`` (see :func:`create_app`).
    """
    if workers < 1:
        raise InvalidServiceConfig(f"workers must be at least 1, got {workers}.")
    check_limits(MAX_BODY_BYTES, body_timeout)
    keys: ApiKeys | None = None if no_auth else resolve_api_keys(None, api_keys_file)
    settings = webhook_settings(**webhook) if webhook is not None else None
    if templates is not None:  # refused here, before any worker starts
        templates = checked_templates(templates, allow_css).path.resolve()
    log_config = logging_config(log_level)
    logging.config.dictConfig(log_config)
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_config": log_config,
        "access_log": False,
        "server_header": False,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
    }
    app = functools.partial(
        create_app,
        keys,
        no_auth=no_auth,
        body_timeout=body_timeout,
        access_log=access_log,
        webhook=settings,
        templates=templates,
        allow_css=tuple(allow_css),
    )
    if workers == 1:
        uvicorn.run(app(), **options)
        return
    # Each worker is a spawned process that receives the Config pickled: the app factory,
    # with the keys already read, travels in it (uvicorn.run would need an import string).
    config = uvicorn.Config(app, factory=True, workers=workers, **options)
    _supervise(config)


def _supervise(config: uvicorn.Config) -> None:
    """Run ``config.workers`` processes of ``config``'s app on one socket until stopped."""
    socket = config.bind_socket()
    supervisor = uvicorn.supervisors.Multiprocess
    if "target" in inspect.signature(supervisor).parameters:  # uvicorn before 0.36
        server = uvicorn.Server(config)
        supervisor(config, target=server.run, sockets=[socket]).run()  # type: ignore[call-arg]
    else:
        supervisor(config, sockets=[socket]).run()


def logging_config(level: str = "info") -> dict[str, Any]:
    """uvicorn's logging, plus ours: warnings to stderr, one JSON access line per request."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["formatters"]["message"] = {"format": "%(message)s"}
    config["handlers"]["access_json"] = {
        "class": "logging.StreamHandler",
        "formatter": "message",
        "stream": "ext://sys.stdout",
    }
    config["loggers"]["candidate_cards"] = {
        "handlers": ["default"],
        "level": level.upper(),
        "propagate": False,
    }
    config["loggers"]["candidate_cards.access"] = {
        "handlers": ["access_json"],
        "level": "INFO",
        "propagate": False,
    }
    return config
