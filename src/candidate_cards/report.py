"""Stream a report of any number of candidates, from one or more payloads, to a file.

Two passes: every input is read one candidate at a time into a :class:`Collection` (merged,
deduplicated, each card rendered once and spooled to disk with an on-disk index); then
``templates/report.html`` (or a user's) is rendered with generators that read the spool
back in rank order, and written chunk by chunk. Memory holds nothing per candidate.
"""

from __future__ import annotations

import os
from collections import abc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any

from . import i18n
from ._version import __version__
from .cardpool import CardPool
from .cards import CARD_STYLESHEET, CARD_TEMPLATE, render_card, user_templates
from .collect import Collection, Source
from .i18n import DEFAULT_LOCALE, Language, check_locale, language
from .inputs import Input, PayloadReader, input_label, open_input
from .models import Candidate
from .payloads import RunInfo
from .shapes import PayloadShape
from .templates import compile_themed
from .themes import Theme, get_theme
from .view import N_, band_legend, input_kind, report_lede, runs_heading

if TYPE_CHECKING:
    from jinja2 import Template

    from .usertemplates import TemplateDir, UserTemplate

REPORT_TEMPLATE = "report.html"
DEFAULT_TITLE = N_("Candidate report")
#: A run's status as the header shows it.
STATUS_WORDS = {
    "completed": N_("completed"),
    "processing": N_("processing"),
    "failed": N_("failed"),
}
HISTOGRAM_BINS = 10
#: From how many candidates a report renders its cards on two cores (when it may): below
#: it, starting the helper costs more than it saves.
PARALLEL_FROM = 2_000
DASH = "\N{EN DASH}"

#: What a plain list of candidates has for a run: nothing.
_NO_RUN = RunInfo(kind=PayloadShape.LIST, request_id=None, status=None)

#: Called as work advances: (phase, done, total or ``None`` while unknown).
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """What a written report holds."""

    candidates: int
    shown: int
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Bar:
    """One bin of the score histogram, with its geometry in SVG units."""

    label: str
    count: int
    x: int
    y: int
    height: int


@dataclass(frozen=True, slots=True)
class Histogram:
    bars: tuple[Bar, ...]
    no_score: int
    width: int = 600
    height: int = 180
    baseline: int = 150
    bar_width: int = 48


def histogram(scores: Iterator[float | None]) -> Histogram:
    """Count scores into ten bins (0-9 … 90-100) and lay the bars out for the SVG."""
    counts = [0] * HISTOGRAM_BINS
    no_score = 0
    for score in scores:
        if score is None:
            no_score += 1
        else:
            counts[min(int(score // 10), HISTOGRAM_BINS - 1)] += 1
    shape = Histogram((), no_score)
    tallest = max(counts) or 1
    room = shape.baseline - 24
    bars = []
    for index, count in enumerate(counts):
        height = round(room * count / tallest) if count else 0
        low = index * 10
        high = low + 9 if index < HISTOGRAM_BINS - 1 else 100
        label = f"{low}{DASH}{high}"
        x = 4 + index * (shape.width - 8) // HISTOGRAM_BINS + 5
        bars.append(Bar(label, count, x, shape.baseline - height, height))
    return Histogram(tuple(bars), no_score)


def read_inputs(
    sources: Sequence[Input], collection: Collection, progress: Progress | None = None
) -> None:
    """Read every input into ``collection``, in order; raise for the first invalid one."""
    added = 0
    for number, source in enumerate(sources, start=1):
        label = input_label(source)
        with open_input(source) as handle:
            reader = PayloadReader(handle, label)
            new = 0
            for candidate in reader.candidates():
                new += collection.add(candidate, number, enriched=reader.enriching)
                added += 1
                if progress and added % 500 == 0:
                    progress("Reading", added, None)
        collection.add_source(
            Source(
                number=number,
                label=label,
                shape=reader.shape,
                run=reader.run,
                candidates=reader.count,
                new=new,
                failures=tuple(reader.failures),
                not_completed=reader.not_completed,
            )
        )


def write_report(
    sources: Sequence[Input],
    out: IO[str],
    *,
    theme: str | os.PathLike[str] | Theme = "dark",
    title: str | None = None,
    top: int | None = None,
    generated_at: datetime | None = None,
    progress: Progress | None = None,
    processes: int | None = None,
    locale: str = DEFAULT_LOCALE,
    templates: str | os.PathLike[str] | TemplateDir | None = None,
    allow_css: abc.Collection[str] = (),
) -> ReportSummary:
    """Write one self-contained HTML report of every candidate in ``sources`` to ``out``.

    ``sources`` are paths, ``-`` (stdin) or fetched payloads, each any shape the loaders accept;
    ``top`` keeps only the best N. Raises a :class:`CandidateCardsError` naming the file
    and field for invalid input; runs still processing or failed are reported, not raised.

    ``processes=2`` renders cards on two cores (a helper process takes most chunks),
    ``1`` in this process only; by default, two once a report reaches
    :data:`PARALLEL_FROM` candidates and this process may run on two cores. The report
    is the same byte for byte either way.

    ``locale`` is the language of the report's own words, numbers and dates (an unknown
    one is :class:`InvalidLocale`).

    ``templates`` is a directory of your own templates (``report.html``, ``report.css``,
    and the cards' ``card.html``…), checked and compiled before any input is read
    (:class:`InvalidTemplate` lists each problem and its line); ``allow_css`` as for
    :func:`render_cards`, for the cards.
    """
    lang = language(check_locale(locale))
    resolved = get_theme(theme)
    overrides = None if templates is None else user_templates(templates, allow_css)
    page = report_template(resolved, lang.code, overrides)

    def render(candidate: Candidate) -> bytes:
        card = render_card(candidate, resolved, lang, embedded=True, templates=overrides)
        return card.html.encode("utf-8")

    with (
        CardPool(resolved, lang, overrides) as pool,
        Collection(render, lang, pool.cards) as collection,
    ):
        parallel = _parallel(processes)
        if processes == 2:
            pool.start()

        def reading(phase: str, done: int, total: int | None) -> None:
            if parallel and done >= PARALLEL_FROM:
                pool.start()  # the helper starts up while this process reads on
            if progress:
                progress(phase, done, total)

        read_inputs(sources, collection, reading)
        shown = collection.shown(top)

        def counted(items: Iterator[Any]) -> Iterator[Any]:
            for done, item in enumerate(items, start=1):
                if progress and done % 500 == 0:
                    progress("Writing", done, shown)
                yield item

        context = report_context(collection, resolved, title, shown, generated_at, lang)
        chunks = page.generate(
            **context,
            rows=collection.rows(top),
            entries=counted(collection.entries(top)),
        )
        out.writelines(chunks)
        if progress:
            progress("Writing", shown, shown)
        return ReportSummary(len(collection), shown, tuple(collection.sources))


def _parallel(processes: int | None) -> bool:
    """Whether cards may be rendered on two cores."""
    if processes is not None:
        return processes >= 2
    return len(os.sched_getaffinity(0)) >= 2 if hasattr(os, "sched_getaffinity") else False


def report_context(
    collection: Collection,
    theme: Theme,
    title: str | None,
    shown: int,
    generated_at: datetime | None,
    lang: Language | None = None,
) -> dict[str, Any]:
    """Everything the report template shows except the rows and cards, in ``lang``."""
    lang = lang or language()
    sources = collection.sources
    total = len(collection)
    default_title = lang.gettext(DEFAULT_TITLE)
    new = sum(s.new for s in sources[1:])
    return {
        "title": title or default_title,
        "eyebrow": default_title if title and title != default_title else None,
        "theme": theme,
        "version": __version__,
        "generated_at": i18n.moment((generated_at or _now()).astimezone(UTC), lang),
        "sources": [source_view(source, lang) for source in sources],
        "several": len(sources) > 1,
        "total": total,
        "lede": report_lede(total, shown, len(sources), new, lang),
        "runs_heading": runs_heading(len(sources), lang),
        "histogram": histogram(collection.scores()),
        "failures": [(source.number, f) for source in sources for f in source.failures],
        "bands": band_legend(lang),
    }


def source_view(source: Source, lang: Language | None = None) -> dict[str, Any]:
    """One input as the header shows it: run id, status, counts, times and duration."""
    lang = lang or language()
    run = source.run or _NO_RUN
    problem = source.not_completed

    def count(value: int | None) -> str | None:
        return None if value is None else i18n.number(value, lang)

    status = run.status or ""
    return {
        "number": source.number,
        "label": source.label,
        "kind": input_kind(source.shape, lang),
        "request_id": run.request_id,
        "status": status,
        "status_word": lang.gettext(STATUS_WORDS[status]) if status in STATUS_WORDS else status,
        "found": count(run.found_count),
        "scored": count(run.scored_count),
        "enriched": count(run.enriched_count),
        "failed": count(run.failure_count),
        "created": _when(run.created_at, lang),
        "completed": _when(run.completed_at, lang),
        "duration": _duration(run.created_at, run.completed_at, lang),
        "candidates": i18n.number(source.candidates, lang),
        "new": source.new,
        "problem": problem,
        "error_code": problem.api_error_code if problem else None,
        "error_message": (problem.api_error_message if problem else None) or run.message,
    }


def report_template(
    theme: Theme, locale: str = DEFAULT_LOCALE, templates: TemplateDir | None = None
) -> Template | UserTemplate:
    """The report page for ``theme`` and ``locale``: tokens and words filled in once, then
    compiled; with ``templates``, the user's files first, and their card compiled too, so
    a fault in either is found before any input is read."""
    if templates is None:
        return compile_themed(REPORT_TEMPLATE, theme, locale)
    from .usertemplates import compile_user_inlined, compile_user_themed

    compile_user_inlined(templates, CARD_TEMPLATE, CARD_STYLESHEET, theme, locale, embedded=True)
    return compile_user_themed(templates, REPORT_TEMPLATE, theme, locale)


def _now() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set, so reports can be reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _when(value: str | None, lang: Language) -> str:
    """A run's timestamp in UTC as ``lang`` writes a date and time, the zone named; text
    that is no timestamp is shown as it came."""
    when = _parse_time(value)
    return value or "" if when is None else i18n.moment(when.astimezone(UTC), lang)


def _duration(start: str | None, end: str | None, lang: Language) -> str:
    began, ended = _parse_time(start), _parse_time(end)
    if began is None or ended is None or ended < began:
        return ""
    return i18n.duration(ended - began, lang)
