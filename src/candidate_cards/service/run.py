"""Run the service under uvicorn, in one process or several, with its logging set up."""

from __future__ import annotations

import copy
import functools
import logging
import logging.config
import multiprocessing
import os
import signal
import socket
import threading
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
        checked = checked_templates(templates, allow_css, webhook=settings is not None)
        templates = checked.path.resolve()
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
    """Run ``config.workers`` processes of ``config``'s app until SIGINT/SIGTERM.

    Each worker listens on a socket of its own, bound with ``SO_REUSEPORT``, so the kernel
    spreads new connections evenly over the workers. With one shared socket, whichever
    worker wakes first takes a connection, and a few busy keep-alive connections can all
    land on one worker while the other core idles. A worker that dies is replaced.
    """
    # Bound (not listening) for the supervisor's lifetime: a taken port fails here, before
    # any worker starts, and port 0 becomes one port all the workers share.
    reserved = _reuseport_socket(config.host, config.port)
    port = reserved.getsockname()[1]
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=_worker, args=(config, port)) for _ in range(config.workers)]
    for worker in workers:
        worker.start()
    try:
        while not stop.wait(0.5):
            for index, worker in enumerate(workers):
                if worker.exitcode is None:
                    continue
                if worker.exitcode == uvicorn.config.STARTUP_FAILURE:
                    stop.set()  # the app or the socket is broken: a new worker would fail too
                    break
                workers[index] = spawn.Process(target=_worker, args=(config, port))
                workers[index].start()
    finally:
        for worker in workers:
            if worker.exitcode is None and worker.pid is not None:
                os.kill(worker.pid, signal.SIGTERM)  # each finishes its in-flight requests
        for worker in workers:
            worker.join()
        reserved.close()


def _worker(config: uvicorn.Config, port: int) -> None:
    """One worker process: its own ``SO_REUSEPORT`` socket on ``port``, then the server."""
    config.configure_logging()
    uvicorn.Server(config).run(sockets=[_reuseport_socket(config.host, port)])


def _reuseport_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` that other ``SO_REUSEPORT`` sockets may share."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise InvalidServiceConfig(f"cannot listen on {host}:{port}: {error.strerror}.") from None
    return sock


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
