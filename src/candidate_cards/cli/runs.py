"""``fetch``: a run's results from the sourcing API, as received."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape

from ..atomic import write_bytes
from .app import reports_errors, stderr
from .options import ApiKeyFileOpt, ApiUrlOpt, OutputOpt, TimeoutOpt, WaitOpt


@reports_errors
def fetch(
    run_id: Annotated[
        str,
        typer.Argument(metavar="RUN_ID", help="A run id: req_… (sourcing) or enr_… (enrichment)."),
    ],
    wait: WaitOpt = False,
    timeout: TimeoutOpt = None,
    output: OutputOpt = None,
    api_key_file: ApiKeyFileOpt = None,
    api_url: ApiUrlOpt = None,
) -> None:
    """Fetch a run's results from the sourcing API and write its JSON exactly as received.

    Exit 1 when the run failed (its JSON is still written), 0 otherwise, also for a run
    still processing when --wait is not given.
    """
    from ..fetching import check_run_ids, fetch_runs, run_summary

    check_run_ids([run_id], "RUN_ID")
    [result] = fetch_runs(
        [run_id],
        wait=wait,
        timeout=timeout,
        key_file=api_key_file,
        api_url=api_url,
        console=stderr,
    )
    if output is None:
        sys.stdout.buffer.write(result.raw)
        sys.stdout.flush()
    else:
        write_bytes(output, result.raw)
    summary = escape(run_summary(result))
    if result.info.status == "failed":
        stderr.print(f"[bold red]error:[/] {summary}")
        raise typer.Exit(1)
    if output is not None:
        stderr.print(f"Wrote {summary} to {escape(str(output))}")
