"""Read payload files of any size, one candidate at a time, naming the file in every error.

:class:`PayloadReader` accepts every shape :func:`~candidate_cards.load_candidates` does,
but streams the candidates instead of holding the payload: it is what reports and
``validate`` use. A run that is still processing or has failed is not an error here: it
is reported in :attr:`PayloadReader.not_completed` so a report can say so.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .errors import (
    CandidateCardsError,
    ErrorDetail,
    InputError,
    InvalidRenderPayload,
    RunNotCompleted,
)
from .jsonstream import PayloadStream
from .models import Candidate
from .payloads import (
    ProfileFailure,
    RunInfo,
    enrichment_entry,
    invalid_payload,
    load_candidates,
    validate_candidate,
)
from .shapes import SHAPE_OF_ITEMS_KEY, PayloadShape

#: Problems kept for reporting, field by field; the rest are only counted.
MAX_DETAILS = 200


@dataclass(frozen=True, slots=True)
class FetchedInput:
    """A payload already in memory (a run fetched from the API), named by ``label``."""

    label: str
    data: bytes


#: What a report reads: a path, ``-`` for stdin, or a payload already fetched.
Input = str | FetchedInput


def input_label(source: Input) -> str:
    """How errors name an input: its path or label, or ``stdin`` for ``-``."""
    if isinstance(source, FetchedInput):
        return source.label
    return "stdin" if source == "-" else source


@contextmanager
def open_input(source: Input) -> Iterator[IO[bytes]]:
    """A path, ``-`` for stdin, or fetched bytes, opened for binary reading; errors name it."""
    label = input_label(source)
    if isinstance(source, FetchedInput):
        yield io.BytesIO(source.data)
        return
    if source == "-":
        yield sys.stdin.buffer
        return
    path = Path(source)
    try:
        if path.is_dir():
            raise InputError(f"{label}: is a directory, not a JSON file")
        handle = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{label}: no such file") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror})") from None
    with handle:
        yield handle


@contextmanager
def naming(label: str) -> Iterator[None]:
    """Prefix the message of any library error raised inside with the input's name."""
    try:
        yield
    except CandidateCardsError as exc:
        if not exc.message.startswith(f"{label}: "):
            exc.message = f"{label}: {exc.message}"
            exc.args = (exc.message,)
        raise


class PayloadReader:
    """The candidates of one payload, streamed; run metadata and failures once read."""

    def __init__(self, handle: IO[bytes], label: str) -> None:
        self.label = label
        self.run: RunInfo | None = None
        self.shape = PayloadShape.LIST
        self.theme: str | None = None
        self.failures: list[ProfileFailure] = []
        self.not_completed: RunNotCompleted | None = None
        self.count = 0
        self.problems: list[ErrorDetail] = []
        self.problem_count = 0
        self._stream = PayloadStream(handle, label)

    @property
    def enriching(self) -> bool:
        """Whether the candidates come from enrichment results (known as soon as one is read)."""
        key = self._stream.item_key
        shape = SHAPE_OF_ITEMS_KEY.get(key) if key else self.shape
        return shape is PayloadShape.ENRICHMENT or self.shape is PayloadShape.ENRICHMENT

    def candidates(self) -> Iterator[Candidate]:
        """Each valid candidate in payload order; raise for any invalid one once all are read.

        The error lists up to :data:`MAX_DETAILS` problems, each naming its field.
        """
        with naming(self.label):
            for index, item in enumerate(self._stream.items()):
                candidate = self._read_item(index, item)
                if candidate is not None:
                    self.count += 1
                    yield candidate
            lone = self._read_head()
            if self.problem_count:
                raise invalid_payload(self.problems, self.problem_count)
        yield from lone

    def _read_item(self, index: int, item: object) -> Candidate | None:
        key = self._stream.item_key
        if key is not None and SHAPE_OF_ITEMS_KEY[key] is PayloadShape.ENRICHMENT:
            candidate, failure, errors = enrichment_entry(item, index)
            if failure is not None:
                self.failures.append(failure)
        else:
            candidate, errors = validate_candidate(item, f"{key or ''}[{index}]")
        self._note(errors)
        return candidate

    def _read_head(self) -> tuple[Candidate, ...]:
        """Learn shape, run and theme from the top-level keys; return a lone object's candidate."""
        stream = self._stream
        if stream.top_level == "array":
            self.shape = PayloadShape.LIST
            return ()
        key = stream.item_key
        payload = stream.head if key is None else {**stream.head, key: []}
        try:
            loaded = load_candidates(payload)
        except RunNotCompleted as exc:
            self.not_completed = exc
            self.run = exc.run
            self.shape = exc.run.kind if exc.run else self.shape
            return ()
        except InvalidRenderPayload as exc:
            self._note(list(exc.details))
            return ()
        if key is not None and loaded.shape is not SHAPE_OF_ITEMS_KEY[key]:
            self._note([ErrorDetail("$", f"unrecognised payload: {key} in a {loaded.shape}")])
        self.run, self.shape, self.theme = loaded.run, loaded.shape, loaded.theme
        self.failures.extend(loaded.failures)
        if key is not None:
            return ()
        self.count += len(loaded.candidates)
        return loaded.candidates

    def _note(self, errors: list[ErrorDetail]) -> None:
        self.problem_count += len(errors)
        room = MAX_DETAILS - len(self.problems)
        if room > 0:
            self.problems.extend(errors[:room])
