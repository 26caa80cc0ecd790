"""A progress bar on stderr for long reports: only on a terminal, and only once it is slow."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from .report import Progress as ProgressCallback

#: Seconds of work before a bar appears; quick runs print nothing.
DELAY_SECONDS = 1.0


@contextmanager
def progress_bar(console: Console) -> Iterator[ProgressCallback | None]:
    """A callback that drives a transient bar on ``console``, or ``None`` off a terminal."""
    if not console.is_terminal:
        yield None
        return
    started = time.monotonic()
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    tasks: dict[str, TaskID] = {}

    def update(phase: str, done: int, total: int | None) -> None:
        if not tasks and time.monotonic() - started < DELAY_SECONDS:
            return
        if not tasks:
            bar.start()
        if phase not in tasks:
            tasks[phase] = bar.add_task(f"{phase} candidates", total=total)
        bar.update(tasks[phase], completed=done, total=total)

    try:
        yield update
    finally:
        if tasks:
            bar.stop()
