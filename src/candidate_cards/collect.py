"""Merge the candidates of several inputs into one ranked set, spooled to a temporary file.

Merge rules, in input order:

* candidates are deduplicated by ``profileId``, within an input and across inputs;
* a later record completes an earlier one: each field it carries replaces the earlier
  value, fields it lacks (``null``, absent or an empty list) keep the earlier value, and
  e-mails are the union of both, in order, so an enriched record adds its e-mails;
* each candidate remembers the input it was first seen in, and the last input that
  changed it: a candidate first seen after input 1 is *new* (a re-run made with
  ``PATCH /sourcing/{id}`` found it).

Nothing per candidate stays in memory: each candidate's table row and JSON go to a spool
file, and the index (``profileId``, score, sources, where its block lies in the spool) to a
private on-disk SQLite database that also ranks them. Memory stays flat however many
candidates a report holds. Cards are rendered as they are read back in rank order, from
each candidate's final (merged) JSON: once per candidate shown, never for a record a later
one replaced.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .errors import RunNotCompleted
from .htmltext import RenderedHTML
from .i18n import Language, language
from .models import LIMITS, Candidate
from .payloads import ProfileFailure, RunInfo
from .shapes import PayloadShape
from .view import RowView, distinct, row_view

#: Renders one candidate's card, as UTF-8 bytes.
CardRenderer = Callable[[Candidate], bytes]
#: Renders the card of each candidate JSON (as the spool holds it), in order, lazily.
CardMapper = Callable[[Iterator[bytes]], Iterator[bytes]]

_INDEX_SCHEMA = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE candidate (
    seq INTEGER PRIMARY KEY,
    profile_id TEXT NOT NULL UNIQUE,
    score REAL,
    first_source INTEGER NOT NULL,
    last_source INTEGER NOT NULL,
    enriched INTEGER NOT NULL,
    spool_offset INTEGER NOT NULL,
    row_length INTEGER NOT NULL,
    json_length INTEGER NOT NULL
);
BEGIN;
"""

#: Best first; no score last; ties in first-seen order. ``LIMIT -1`` is no limit.
_RANKED = """
SELECT first_source, last_source, enriched, spool_offset, row_length, json_length
FROM candidate ORDER BY score IS NULL, score DESC, seq LIMIT ?
"""


@dataclass(frozen=True, slots=True)
class Source:
    """One input of a report: where it came from, its run, and what it contributed."""

    number: int
    label: str
    shape: PayloadShape
    run: RunInfo | None
    candidates: int
    new: int
    failures: tuple[ProfileFailure, ...] = ()
    not_completed: RunNotCompleted | None = None


@dataclass(frozen=True, slots=True)
class Ranked:
    """One candidate of the merged set, read back from the spool in rank order."""

    rank: int
    row: RowView
    card_html: RenderedHTML
    first_source: int
    last_source: int
    enriched: bool


def merge_candidates(earlier: Candidate, later: Candidate) -> Candidate:
    """``earlier`` completed by ``later``: later fields win, absent ones keep, e-mails add up
    (each once, as ``view.distinct`` compares them)."""
    data = earlier.model_dump(exclude_unset=True)
    for name in later.model_fields_set:
        value = getattr(later, name)
        if value is not None and value != []:
            data[name] = getattr(later, name)
    emails = distinct([*earlier.emails, *later.emails])
    if emails:
        data["emails"] = emails[: LIMITS["emails"]]
    return Candidate.model_validate(data)


def _row_fields(candidate: Candidate, lang: Language) -> list[str]:
    """The candidate's table row (``view.row_view``) as JSON-ready values, in field order."""
    row = row_view(candidate, lang)
    return [getattr(row, name) for name in RowView.__slots__]


class Collection:
    """Candidates merged from several inputs; a context manager that owns its temporary files."""

    def __init__(
        self, render: CardRenderer, lang: Language | None = None, cards: CardMapper | None = None
    ) -> None:
        """``render`` makes one card; ``cards``, when given, makes them all (a pool's map)."""
        self.sources: list[Source] = []
        self._render = render
        self._lang = lang or language()
        self._cards = cards or self._render_each
        # Unbuffered, read and written at offsets (pread/pwrite): one system call a block.
        self._spool = tempfile.TemporaryFile(prefix="candidate-cards-", buffering=0)  # noqa: SIM115 (closed in __exit__)
        self._spool_end = 0
        # "" is SQLite's private temporary database: on disk, deleted when closed.
        self._index = sqlite3.connect("", isolation_level=None)
        self._index.executescript(_INDEX_SCHEMA)
        self._count = 0

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._index.close()
        self._spool.close()

    def __len__(self) -> int:
        return self._count

    def add(self, candidate: Candidate, source: int, *, enriched: bool = False) -> bool:
        """Add or merge one candidate from input number ``source``; ``True`` when it is new."""
        found = self._index.execute(
            "SELECT seq, spool_offset, row_length, json_length FROM candidate WHERE profile_id = ?",
            (candidate.profile_id,),
        ).fetchone()
        if found is None:
            placed = self._store(candidate)
            self._index.execute(
                "INSERT INTO candidate (profile_id, score, first_source, last_source, enriched,"
                " spool_offset, row_length, json_length) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (candidate.profile_id, candidate.match_score, source, source, enriched, *placed),
            )
            self._count += 1
            return True
        seq, offset, row, length = found
        candidate = merge_candidates(self._candidate(offset + row, length), candidate)
        self._index.execute(
            "UPDATE candidate SET score = ?, last_source = ?, enriched = enriched OR ?,"
            " spool_offset = ?, row_length = ?, json_length = ? WHERE seq = ?",
            (candidate.match_score, source, enriched, *self._store(candidate), seq),
        )
        return False

    def add_source(self, source: Source) -> None:
        """Record an input's metadata once its candidates are added."""
        self.sources.append(source)

    def scores(self) -> Iterator[float | None]:
        """Every candidate's score (``None`` when it has none), in no particular order."""
        return (score for (score,) in self._index.execute("SELECT score FROM candidate"))

    def shown(self, top: int | None = None) -> int:
        """How many candidates a report of the best ``top`` (all when ``None``) shows."""
        return self._count if top is None else min(self._count, max(top, 0))

    def rows(self, top: int | None = None) -> Iterator[Ranked]:
        """The table rows of the best ``top``, in rank order, read lazily (no cards)."""
        return self._ranked(top, with_card=False)

    def entries(self, top: int | None = None) -> Iterator[Ranked]:
        """The rows with their cards, in rank order, read lazily."""
        return self._ranked(top, with_card=True)

    def _ranked(self, top: int | None, *, with_card: bool) -> Iterator[Ranked]:
        """The ranked rows, read lazily; their cards are asked for at once (a pool starts
        rendering them while the caller writes other things)."""
        ranked = self._index.execute(_RANKED, (-1 if top is None else max(top, 0),))
        read: deque[tuple[int, int, int, int, bytes]] = deque()

        def blocks() -> Iterator[bytes]:
            """Each candidate's JSON in rank order; its other fields wait in ``read``."""
            for rank, (first, last, enriched, offset, row, length) in enumerate(ranked, start=1):
                block = os.pread(self._spool.fileno(), row + (length if with_card else 0), offset)
                read.append((rank, first, last, enriched, block[:row]))
                yield block[row:]

        cards = self._cards(blocks()) if with_card else (b"" for _ in blocks())
        return (self._entry(read.popleft(), card) for card in cards)

    @staticmethod
    def _entry(read: tuple[int, int, int, int, bytes], card: bytes) -> Ranked:
        rank, first, last, enriched, row_json = read
        return Ranked(
            rank=rank,
            row=RowView(*json.loads(row_json)),
            card_html=RenderedHTML(card.decode("utf-8")),  # our own rendered card
            first_source=first,
            last_source=last,
            enriched=bool(enriched),
        )

    def _render_each(self, blocks: Iterator[bytes]) -> Iterator[bytes]:
        return (self._render(Candidate.model_validate_json(block)) for block in blocks)

    def _store(self, candidate: Candidate) -> tuple[int, int, int]:
        """Append a candidate's row and JSON to the spool: their offset and lengths."""
        parts = (
            json.dumps(_row_fields(candidate, self._lang), ensure_ascii=False).encode(),
            candidate.model_dump_json(exclude_unset=True).encode(),
        )
        offset = self._spool_end
        block = b"".join(parts)
        written = os.pwrite(self._spool.fileno(), block, offset)
        if written != len(block):  # a full disk: never a short block read back later
            raise OSError(errno.ENOSPC, "the report's spool file could not be written")
        self._spool_end += written
        row, length = map(len, parts)
        return offset, row, length

    def _candidate(self, offset: int, length: int) -> Candidate:
        return Candidate.model_validate_json(os.pread(self._spool.fileno(), length, offset))
