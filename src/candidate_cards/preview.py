"""``candidate-cards preview``: a local page showing what your templates and theme render.

The page shows the cards at 320 and 600 px in each theme, the e-mail document and its
text part, each theme's lowest text contrast and what the e-mail CSS check finds in the
output. It is rebuilt from the files on every load; a watcher (watchfiles) bumps a
generation number when a template, theme or input file changes, and the page polls it
and reloads. An error (a refused template, a bad theme or input) is shown in the page.

The page itself runs a small script (it is a development tool, not a card); the cards sit
in sandboxed ``<iframe srcdoc>``\\ s that may not run scripts. Starlette, uvicorn and
watchfiles come with the ``serve`` extra and are imported only when the server starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .canvas import cards_document, page_env
from .cards import render_cards
from .email import render_email
from .errors import CandidateCardsError, ErrorDetail, requires_extra
from .htmltext import RenderedHTML
from .i18n import DEFAULT_LOCALE
from .lint import lint_rendered
from .themes import Theme, get_theme
from .usertemplates import sample_candidates

if TYPE_CHECKING:
    from starlette.applications import Starlette

#: The widths each theme's cards are shown at: the narrowest phone and the e-mail column.
WIDTHS = (320, 600)
PAGE_TEMPLATE = "preview-page.html"
HOST = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class PreviewOptions:
    """What the preview renders: an input file, a template directory, a theme, allowances,
    and the language of the cards' own words."""

    input: Path | None = None
    templates: Path | None = None
    theme: str | None = None
    allow_css: tuple[str, ...] = ()
    locale: str = DEFAULT_LOCALE

    def themes(self) -> list[Theme]:
        """The theme given (a name or a ``.toml`` file), else both built-in themes."""
        if self.theme is None:
            return [get_theme("dark"), get_theme("light")]
        return [get_theme(Path(self.theme) if self.theme.endswith(".toml") else self.theme)]

    def watched(self) -> list[Path]:
        """The files and directories whose changes change the page."""
        paths = [self.input, self.templates]
        if self.theme is not None and self.theme.endswith(".toml"):
            paths.append(Path(self.theme))
        return [path.resolve() for path in paths if path is not None]


@dataclass(frozen=True, slots=True)
class ThemeView:
    """One theme's part of the page."""

    name: str
    scheme: str
    lowest_contrast: float
    lowest_pair: str
    cards: str
    email_html: str
    email_text: str
    findings: list[str]


@dataclass(frozen=True, slots=True)
class PageView:
    """Everything the page shows: the themes, or the error that stopped them."""

    source: str
    templates: str
    generation: int
    themes: list[ThemeView] = field(default_factory=list)
    error: str | None = None
    details: tuple[ErrorDetail, ...] = ()


def preview_page(options: PreviewOptions, generation: int = 0) -> RenderedHTML:
    """The whole preview page as HTML; an error becomes part of the page, never a raise."""
    source = str(options.input) if options.input else "a built-in sample"
    templates = str(options.templates) if options.templates else "the built-in templates"
    try:
        view = PageView(source, templates, generation, themes=_theme_views(options))
    except CandidateCardsError as exc:
        view = PageView(source, templates, generation, error=exc.message, details=exc.details)
    except OSError as exc:
        view = PageView(source, templates, generation, error=f"{exc.filename}: {exc.strerror}")
    template = page_env().get_template(PAGE_TEMPLATE)
    return RenderedHTML(template.render(page=view, widths=WIDTHS))


def _theme_views(options: PreviewOptions) -> list[ThemeView]:
    candidates = sample_candidates(options.input)
    views = []
    for theme in options.themes():
        result = render_cards(
            candidates,
            theme,
            templates=options.templates,
            allow_css=options.allow_css,
            locale=options.locale,
        )
        email = render_email(
            candidates,
            theme,
            templates=options.templates,
            allow_css=options.allow_css,
            locale=options.locale,
        )
        lowest = min(theme.contrast(), key=lambda check: check.ratio)
        found = Counter(
            f"{problem.file}: {problem.message}"
            for name, html in (("cards", result.html), ("e-mail", email.html))
            for problem in lint_rendered(name, html, options.allow_css)
        )
        views.append(
            ThemeView(
                name=theme.name,
                scheme=theme.color_scheme,
                lowest_contrast=lowest.ratio,
                lowest_pair=f"{lowest.foreground} on {lowest.background}",
                cards=cards_document([c.html for c in result.cards], theme, options.locale),
                email_html=email.html,
                email_text=email.text,
                findings=[f"{text} (×{n})" if n > 1 else text for text, n in found.items()],
            )
        )
    return views


class Generation:
    """A counter bumped on every change of a watched file; the page polls it."""

    def __init__(self) -> None:
        self.value = 0

    def bump(self) -> None:
        self.value += 1


def create_app(options: PreviewOptions, generation: Generation | None = None) -> Starlette:
    """The preview's ASGI app: ``/`` the page, ``/generation`` what the page polls."""
    with requires_extra("serve"):
        from starlette.applications import Starlette
        from starlette.concurrency import run_in_threadpool
        from starlette.requests import Request
        from starlette.responses import HTMLResponse, Response
        from starlette.routing import Route
        from watchfiles import awatch
    counter = generation or Generation()

    async def page(_request: Request) -> Response:
        html = await run_in_threadpool(preview_page, options, counter.value)
        return HTMLResponse(str(html), headers={"Cache-Control": "no-store"})

    async def current(_request: Request) -> Response:
        body = json.dumps({"generation": counter.value})
        headers = {"Cache-Control": "no-store"}
        return Response(body, media_type="application/json", headers=headers)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        watched = options.watched()
        if not watched:
            yield
            return
        stop = asyncio.Event()
        task = asyncio.create_task(_watch(awatch, watched, stop, counter.bump))
        try:
            yield
        finally:
            stop.set()
            await task

    routes = [Route("/", page), Route("/generation", current)]
    return Starlette(routes=routes, lifespan=lifespan)


async def _watch(
    awatch: Callable[..., AsyncIterator[Any]],
    paths: list[Path],
    stop: asyncio.Event,
    changed: Callable[[], None],
) -> None:
    """Call ``changed`` after each batch of changes to ``paths``, until ``stop`` is set.

    Files are watched through their folders, so an editor that saves by replacing the
    file (a new inode) is still seen, and so is a template directory made after the start.
    """
    folders = {path if path.is_dir() else path.parent for path in paths}
    roots = sorted(folder for folder in folders if folder.is_dir())
    if not roots:  # nothing there yet to watch; the page shows what is missing
        return

    def relevant(_change: Any, name: str) -> bool:
        return any(Path(name).is_relative_to(path) for path in paths)

    async for _changes in awatch(*roots, watch_filter=relevant, stop_event=stop, debounce=100):
        changed()


@contextlib.contextmanager
def bound_socket(port: int = 0) -> Iterator[socket.socket]:
    """A listening socket on 127.0.0.1 (``port`` 0: a free port), closed on exit."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.listen(64)
        yield sock
    finally:
        sock.close()


def serve(options: PreviewOptions, port: int = 0, ready: Callable[[str], None] = print) -> None:
    """Serve the preview on 127.0.0.1 until interrupted; ``ready`` gets the URL."""
    app = create_app(options)
    with requires_extra("serve"):
        import uvicorn
    with bound_socket(port) as sock:
        url = f"http://{HOST}:{sock.getsockname()[1]}/"
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        ready(url)
        server.run(sockets=[sock])
