"""Merge the candidates of several inputs into one ranked set, spooled to a temporary file.

Merge rules, in input order:

* candidates are deduplicated by ``profileId``, within an input and across inputs;
* a later record completes an earlier one: each field it carries replaces the earlier
  value, fields it lacks (``null``, absent or an empty list) keep the earlier value, and
  e-mails are the union of both, in order, so an enriched record adds its e-mails;
* each candidate remembers the input it was first seen in, and the last input that
  changed it: a candidate first seen after input 1 is *new* (a re-run made with
  ``PATCH /sourcing/{id}`` found it).

Only a few numbers per candidate stay in memory; each candidate's JSON, table row and
rendered card go to the spool, so memory does not grow with the number of candidates.
"""

from __future__ import annotations

import json
import math
import tempfile
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .errors import RunNotCompleted
from .models import LIMITS, Candidate
from .payloads import ProfileFailure, RunInfo
from .view import score_band

#: Renders one candidate's card, as UTF-8 bytes.
CardRenderer = Callable[[Candidate], bytes]

_ENRICHED = 1


@dataclass(frozen=True, slots=True)
class Source:
    """One input of a report: where it came from, its run, and what it contributed."""

    number: int
    label: str
    shape: str
    run: RunInfo | None
    candidates: int
    new: int
    failures: tuple[ProfileFailure, ...] = ()
    not_completed: RunNotCompleted | None = None


@dataclass(frozen=True, slots=True)
class Ranked:
    """One candidate of the merged set, read back from the spool in rank order."""

    rank: int
    row: dict[str, Any]
    card_html: str
    first_source: int
    last_source: int
    enriched: bool


def merge_candidates(earlier: Candidate, later: Candidate) -> Candidate:
    """``earlier`` completed by ``later``: later fields win, absent ones keep, e-mails add up."""
    data = earlier.model_dump(exclude_unset=True)
    for name in later.model_fields_set:
        value = getattr(later, name)
        if value is not None and value != []:
            data[name] = getattr(later, name)
    emails = list(dict.fromkeys([*earlier.emails, *later.emails]))
    if emails:
        data["emails"] = emails[: LIMITS["emails"]]
    return Candidate.model_validate(data)


def row_fields(candidate: Candidate) -> dict[str, Any]:
    """What the ranked table shows of a candidate: plain text, no markup."""
    score = score_band(candidate.match_score)
    return {
        "id": candidate.profile_id,
        "name": candidate.name.strip(),
        "score": score.text if score else "",
        "band": score.band if score else "",
        "label": score.label if score else "",
        "role": (candidate.current_role or "").strip(),
        "company": (candidate.current_company or "").strip(),
        "location": (candidate.location or "").strip(),
    }


class Collection:
    """Candidates merged from several inputs; a context manager that owns the spool file."""

    def __init__(self, render: CardRenderer) -> None:
        self.sources: list[Source] = []
        self._render = render
        self._spool = tempfile.TemporaryFile(prefix="candidate-cards-")  # noqa: SIM115 (closed in __exit__)
        self._seq: dict[str, int] = {}
        self._score = array("d")
        self._first = array("I")
        self._last = array("I")
        self._flags = array("B")
        self._offset = array("Q")
        self._lengths = array("I")  # three per candidate: row JSON, card, candidate JSON

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._spool.close()

    def __len__(self) -> int:
        return len(self._seq)

    def add(self, candidate: Candidate, source: int, *, enriched: bool = False) -> bool:
        """Add or merge one candidate from input number ``source``; ``True`` when it is new."""
        seq = self._seq.get(candidate.profile_id)
        if seq is None:
            seq = self._seq[candidate.profile_id] = len(self._score)
            self._score.append(0.0)
            self._first.append(source)
            self._last.append(source)
            self._flags.append(0)
            self._offset.append(0)
            self._lengths.extend((0, 0, 0))
            is_new = True
        else:
            candidate = merge_candidates(self._candidate(seq), candidate)
            self._last[seq] = source
            is_new = False
        if enriched:
            self._flags[seq] |= _ENRICHED
        self._store(seq, candidate)
        return is_new

    def add_source(self, source: Source) -> None:
        """Record an input's metadata once its candidates are added."""
        self.sources.append(source)

    def scores(self) -> Iterator[float | None]:
        """Every candidate's score (``None`` when it has none), in no particular order."""
        return (None if math.isnan(score) else score for score in self._score)

    def order(self, top: int | None = None) -> list[int]:
        """Candidates best first (no score last, ties in first-seen order), the best ``top``."""
        order = sorted(range(len(self._score)), key=self._rank_key)
        return order if top is None else order[:top]

    def rows(self, order: list[int]) -> Iterator[Ranked]:
        """The table rows of ``order``, read lazily from the spool (no cards)."""
        return self._ranked(order, with_card=False)

    def entries(self, order: list[int]) -> Iterator[Ranked]:
        """The rows with their cards, read lazily from the spool."""
        return self._ranked(order, with_card=True)

    def _ranked(self, order: list[int], *, with_card: bool) -> Iterator[Ranked]:
        for rank, seq in enumerate(order, start=1):
            row, card = self._read(seq, with_card=with_card)
            yield Ranked(
                rank=rank,
                row=json.loads(row),
                card_html=card.decode("utf-8"),
                first_source=self._first[seq],
                last_source=self._last[seq],
                enriched=bool(self._flags[seq] & _ENRICHED),
            )

    def _rank_key(self, seq: int) -> tuple[bool, float, int]:
        score = self._score[seq]
        missing = math.isnan(score)
        return (missing, 0.0 if missing else -score, seq)

    def _store(self, seq: int, candidate: Candidate) -> None:
        parts = (
            json.dumps(row_fields(candidate), ensure_ascii=False).encode(),
            self._render(candidate),
            candidate.model_dump_json(exclude_unset=True).encode(),
        )
        self._offset[seq] = self._spool.seek(0, 2)
        self._spool.write(b"".join(parts))
        self._lengths[3 * seq : 3 * seq + 3] = array("I", map(len, parts))
        score = candidate.match_score
        self._score[seq] = math.nan if score is None else score

    def _read(self, seq: int, *, with_card: bool) -> tuple[bytes, bytes]:
        """A candidate's table row and, when asked, its card: the first parts of its block."""
        row, card, _ = self._lengths[3 * seq : 3 * seq + 3]
        self._spool.seek(self._offset[seq])
        block = self._spool.read(row + (card if with_card else 0))
        return block[:row], block[row:]

    def _candidate(self, seq: int) -> Candidate:
        row, card, candidate = self._lengths[3 * seq : 3 * seq + 3]
        self._spool.seek(self._offset[seq] + row + card)
        return Candidate.model_validate_json(self._spool.read(candidate))
