"""Render a report's cards on two cores: a helper process takes the chunks it can, in order.

The cards come out in the order their candidates went in, each rendered from the same
JSON by the same template as in one process, so the report is byte-identical; only the
wall time changes. The helper is a fresh (spawned) interpreter: nothing is inherited
from this process but the theme (pickled as its tokens), the locale, the user's template
directory if any (already checked here) and the candidates' JSON; it compiles the card
template once, as this process did.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import TYPE_CHECKING

from .cards import render_card
from .i18n import Language, language
from .models import Candidate
from .themes import Theme

if TYPE_CHECKING:
    from .usertemplates import TemplateDir

#: Cards per chunk: enough to amortise a round trip to the helper, few enough to keep
#: memory flat (a card is about 7 KB).
CHUNK = 64
#: Chunks the helper is given ahead of the one it is rendering, so it never waits.
AHEAD = 8
#: Chunks sent before the first card is asked for, and the most waiting to be written
#: later: some 2,000 cards (14 MB) the helper renders while the report's table is written.
PREFETCH = 32


def card_bytes(
    candidate_json: bytes, theme: Theme, lang: Language, templates: TemplateDir | None = None
) -> bytes:
    """The card of a candidate stored as JSON, as UTF-8: what a report embeds."""
    candidate = Candidate.model_validate_json(candidate_json)
    card = render_card(candidate, theme, lang, embedded=True, templates=templates)
    return card.html.encode("utf-8")


class CardPool:
    """One helper process rendering cards beside this one; a context manager.

    ``start()`` spawns the helper and has it compile the theme's card template, so that
    work overlaps whatever this process does next. Until started, :meth:`cards` renders
    everything here.
    """

    def __init__(self, theme: Theme, lang: Language, templates: TemplateDir | None = None) -> None:
        self._theme = theme
        self._lang = lang
        self._templates = templates
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> CardPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)

    def start(self) -> None:
        """Spawn the helper (once) and warm it up."""
        if self._executor is None:
            spawn = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(1, mp_context=spawn, initializer=_quiet)
            self._executor.submit(_render_chunk, self._theme, self._lang.code, self._templates, [])

    def cards(self, blocks: Iterator[bytes]) -> Iterator[bytes]:
        """The card of each candidate JSON in ``blocks``, in order.

        The first :data:`PREFETCH` chunks go to the helper at once, so it renders while
        this process writes what comes before the cards (a report's table). After that the
        helper is kept :data:`AHEAD` chunks busy, and a chunk that comes up while it is,
        this process renders itself: it also reads the spool and writes the page, so the
        helper ends up with most of the cards, as many as keeps both busy.
        """
        if self._executor is None:
            return (self._card(block) for block in blocks)
        chunks = iter(lambda: list(islice(blocks, CHUNK)), [])
        queue = deque(self._submit(chunk) for chunk in islice(chunks, PREFETCH))
        return self._in_order(chunks, queue)

    def _in_order(self, chunks: Iterator[list[bytes]], queue: deque[_Queued]) -> Iterator[bytes]:
        """The cards of ``queue`` then of ``chunks``, in order: the helper is kept
        :data:`AHEAD` chunks busy, and this process renders a chunk only when the next
        cards to write are not ready yet (it would otherwise wait); at most
        :data:`PREFETCH` chunks wait to be written."""
        for chunk in chunks:
            while queue and (
                len(queue) >= PREFETCH or (self._busy(queue) >= AHEAD and _ready(queue[0]))
            ):
                yield from self._result(queue.popleft())
            busy = self._busy(queue) >= AHEAD
            queue.append(self._here(chunk) if busy else self._submit(chunk))
        while queue:
            yield from self._result(queue.popleft())

    @staticmethod
    def _busy(queue: deque[_Queued]) -> int:
        """How many chunks the helper has yet to finish."""
        return sum(1 for item in queue if isinstance(item, tuple) and not item[0].done())

    def _card(self, block: bytes) -> bytes:
        return card_bytes(block, self._theme, self._lang, self._templates)

    def _here(self, chunk: list[bytes]) -> list[bytes]:
        """The cards of ``chunk``, rendered in this process."""
        return [self._card(block) for block in chunk]

    def _submit(self, chunk: list[bytes]) -> _Queued:
        """``chunk`` sent to the helper, or its cards rendered here if the helper died."""
        assert self._executor is not None
        try:
            future = self._executor.submit(
                _render_chunk, self._theme, self._lang.code, self._templates, chunk
            )
        except BrokenProcessPool:
            return self._here(chunk)
        return future, chunk

    def _result(self, queued: _Queued) -> list[bytes]:
        """A chunk's cards: rendered here, or the helper's (rendered here if it died)."""
        if isinstance(queued, list):
            return queued
        future, chunk = queued
        try:
            return future.result()
        except BrokenProcessPool:
            return self._here(chunk)


#: A chunk in the order of the report: sent to the helper (with its blocks, should the
#: helper die), or its cards rendered here.
_Queued = tuple[Future[list[bytes]], list[bytes]] | list[bytes]


def _ready(queued: _Queued) -> bool:
    return isinstance(queued, list) or queued[0].done()


def _quiet() -> None:
    """In the helper: Ctrl+C is this process's to handle, not a traceback of the helper's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _render_chunk(
    theme: Theme, locale: str, templates: TemplateDir | None, chunk: list[bytes]
) -> list[bytes]:
    """In the helper: the cards of ``chunk`` (an empty chunk compiles the template)."""
    lang = language(locale)
    if not chunk:
        warm_up = Candidate(profile_id="warm-up", name="Warm up")
        render_card(warm_up, theme, lang, embedded=True, templates=templates)
    return [card_bytes(block, theme, lang, templates) for block in chunk]
