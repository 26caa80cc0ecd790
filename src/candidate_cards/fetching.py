"""Runs fetched from the sourcing API for the command line: a live status line, Ctrl-C, inputs."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from .apiconfig import api_config
from .client import OnProgress, RunResult, SourcingClient, run_kind
from .errors import CandidateCardsError
from .inputs import FetchedInput
from .payloads import RunInfo

#: Exit code of a command stopped with Ctrl-C, as shells report SIGINT.
INTERRUPTED = 130


def check_run_ids(run_ids: Sequence[str], hint: str) -> None:
    """A usage error (exit 2) for any id that is not ``req_…`` or ``enr_…``."""
    for run_id in run_ids:
        try:
            run_kind(run_id)
        except CandidateCardsError as exc:
            raise typer.BadParameter(exc.message, param_hint=hint) from None


def fetch_runs(
    run_ids: Sequence[str],
    *,
    wait: bool,
    timeout: float | None,
    key_file: Path | None,
    api_url: str | None,
    console: Console,
) -> list[RunResult]:
    """Each run's results, once or (``wait``) when finished; Ctrl-C exits 130 with one line."""
    config = api_config(key_file=key_file, api_url=api_url)
    try:
        with SourcingClient(config) as client, status_line(console) as show:
            if wait:
                return client.wait_for_runs(run_ids, timeout=timeout, on_progress=show)
            deadline = None if timeout is None else time.monotonic() + timeout
            return [client.get_results(run_id, deadline=deadline) for run_id in run_ids]
    except KeyboardInterrupt:
        console.print("[bold red]error:[/] interrupted; nothing was written")
        raise typer.Exit(INTERRUPTED) from None


def fetched_inputs(run_ids: Sequence[str], results: Sequence[RunResult]) -> list[FetchedInput]:
    """The fetched runs as report inputs, each named by its run id."""
    return [
        FetchedInput(run_id, result.raw) for run_id, result in zip(run_ids, results, strict=True)
    ]


@contextmanager
def status_line(console: Console) -> Iterator[OnProgress | None]:
    """A live status line while waiting, on a terminal only; yields its progress callback."""
    if not console.is_terminal:
        yield None
        return
    with console.status("Waiting for the sourcing API…") as status:

        def show(info: RunInfo) -> None:
            status.update(escape(progress_text(info)))

        yield show


def progress_text(info: RunInfo) -> str:
    """One line on a run still processing: its id, candidates so far, and the API's message."""
    parts = [f"{info.request_id}: {info.status}"]
    if info.sourced_count is not None:
        parts.append(f"{info.sourced_count} candidate(s) sourced so far")
    if info.message:
        parts.append(" ".join(info.message.split()))
    return " · ".join(parts)


def run_summary(result: RunResult) -> str:
    """One line on what a fetched run holds."""
    info = result.info
    what = f"{info.request_id} ({info.kind} run, {info.status}"
    if info.status == "processing":
        return f"{what}, {info.sourced_count or 0} candidate(s) sourced so far)"
    if info.status == "failed":
        return (
            f"{what}: {info.error_code or 'UNKNOWN_ERROR'}: {info.error_message or 'no message'})"
        )
    loaded = result.load()
    failed = f", {len(loaded.failures)} profile(s) failed" if loaded.failures else ""
    return f"{what}, {len(loaded.candidates)} candidate(s){failed})"
