"""Write output files atomically: a temporary file beside the target, then a rename.

A failure at any point removes the temporary file, so it never leaves half a file and
never replaces a good one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import OutputError


@contextmanager
def atomic_text(path: Path) -> Iterator[IO[str]]:
    """A UTF-8 text handle whose content replaces ``path`` only when the block succeeds."""
    with _atomic(path) as handle, open(handle, "w", encoding="utf-8", closefd=False) as text:
        yield text


def write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically."""
    with _atomic(path) as descriptor, open(descriptor, "wb", closefd=False) as handle:
        handle.write(data)


@contextmanager
def _atomic(path: Path) -> Iterator[int]:
    path = Path(path).expanduser()
    if path.is_dir():
        raise OutputError(f"{path}: is a directory; name a file to write")
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror})") from None
    try:
        try:
            yield descriptor
            os.fchmod(descriptor, _mode_for(path))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        try:
            os.replace(temporary, path)
        except OSError as exc:
            raise OutputError(f"{path}: cannot be written ({exc.strerror})") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The permissions ``path`` has, or a new file gets: never mkstemp's owner-only 0600."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
