"""A user's template directory: its files take the place of ours, under the same rules.

Any file of ``templates/`` can be overridden (``card.html``, ``card.css``, ``email.html``,
``report.html``, partials they include); the rest are ours. Every ``.html`` and ``.css``
file in the directory is linted first (:mod:`.lint`: as part of a web page when only the
report reaches it, else as part of an e-mail) and refused with every problem and its
line, then compiled through the same pipeline as ours: theme tokens and words filled in
once per theme and locale, CSS inlined (the report's stays in its ``<style>``), and
rendered by the same autoescaping environment.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ErrorDetail, InvalidTemplate, TemplateSourceError
from .i18n import DEFAULT_LOCALE
from .lint import TemplateProblem, lint
from .models import Candidate
from .payloads import load_candidates, parse_json
from .resources import resource_dir
from .templates import Inliner, fast_template, inline_template, themed_source
from .themes import Theme

if TYPE_CHECKING:
    from jinja2 import Template

#: The suffixes of the files a template directory may hold.
SUFFIXES = (".html", ".css")
MAX_FILE_BYTES = 256 * 1024
#: The candidates a template directory is tried with before it is used (and the preview
#: shows without an input).
SAMPLE = Path(__file__).parent / "data" / "preview-sample.json"
#: The files the report starts from, and those the cards and the e-mail start from: a file
#: only the report reaches is part of a web page, any other part of an e-mail.
PAGE_ROOTS = ("report.html",)
MAIL_ROOTS = ("card.html", "card.css", "email.html", "email.css")
_REFERENCE = re.compile(r"""\[%-?\s*(?:include|import|from|extends)\s+["']([^"']+)["']""")

_checked: dict[tuple[str, str, frozenset[str]], TemplateDir] = {}
_compiled: dict[tuple[str, ...], UserTemplate] = {}


@dataclass(frozen=True, slots=True)
class TemplateDir:
    """A user's template directory that passed the linter; ``signature`` changes with any
    of its files, so an edited file is compiled anew."""

    path: Path
    signature: str


def template_dir(path: str | os.PathLike[str], allow_css: Collection[str] = ()) -> TemplateDir:
    """Check the directory at ``path``; raise :class:`InvalidTemplate` listing each problem."""
    root = Path(path)
    if not root.is_dir():
        problem = "is not a directory"
        raise InvalidTemplate(f"Templates {root}: {problem}.", [ErrorDetail(str(root), problem)])
    sources = _read(root)
    signature = hashlib.sha256(
        "\0".join(f"{name}\0{text}" for name, text in sorted(sources.items())).encode()
    ).hexdigest()[:16]
    key = (str(root.resolve()), signature, frozenset(allow_css))
    if key not in _checked:
        page = page_files(sources)
        problems = [
            problem
            for name, text in sorted(sources.items())
            for problem in lint(name, text, allow_css, page=name in page)
        ]
        if problems:
            raise _refused(root, problems)
        _checked[key] = TemplateDir(root, signature)
    return _checked[key]


@dataclass(frozen=True, slots=True)
class UserTemplate:
    """A user's template compiled for one theme and locale; a fault while rendering it (a
    name a card does not have…) is an :class:`InvalidTemplate` naming both, not a Jinja
    traceback."""

    template: Template
    name: str
    where: str

    def render(self, **context: Any) -> str:
        """The whole output at once (cards, the e-mail)."""
        from jinja2 import TemplateError

        try:
            return self.template.render(**context)
        except TemplateError as exc:
            raise self._fault(exc) from None

    def generate(self, **context: Any) -> Iterator[str]:
        """The output chunk by chunk (the report)."""
        from jinja2 import TemplateError

        try:
            yield from self.template.generate(**context)
        except TemplateError as exc:
            raise self._fault(exc) from None

    def _fault(self, exc: Exception) -> InvalidTemplate:
        message = f"{self.name} ({self.where}): {getattr(exc, 'message', None) or exc}"
        return InvalidTemplate(f"Template {message}.", [ErrorDetail(self.name, str(exc))])


def compile_user_inlined(
    templates: TemplateDir,
    name: str,
    css_name: str,
    theme: Theme,
    locale: str = DEFAULT_LOCALE,
    inliner: Inliner = "css-inline",
    *,
    embedded: bool = False,
) -> UserTemplate:
    """Template ``name`` for ``theme`` and ``locale`` with ``css_name`` inlined, the user's
    files first (``embedded``: see :func:`.templates.themed_source`)."""

    def source() -> str:
        overrides = str(templates.path)
        inlined = inline_template(
            themed_source(name, theme, overrides, locale, embedded=embedded),
            themed_source(css_name, theme, overrides, locale),
            inliner,
        )
        if "<style" in inlined.lower():
            raise TemplateSourceError("a <style> element is left after inlining")
        return inlined

    variant = (css_name, inliner, "embedded" if embedded else "")
    return _compile(templates, name, theme, locale, variant, source)


def compile_user_themed(
    templates: TemplateDir, name: str, theme: Theme, locale: str = DEFAULT_LOCALE
) -> UserTemplate:
    """Template ``name`` for ``theme`` and ``locale``, the user's files first, tokens and
    words filled in and nothing inlined (the report, a page with its own ``<style>``)."""

    def source() -> str:
        return themed_source(name, theme, str(templates.path), locale)

    return _compile(templates, name, theme, locale, ("themed",), source)


def _compile(
    templates: TemplateDir,
    name: str,
    theme: Theme,
    locale: str,
    variant: tuple[str, ...],
    source: Callable[[], str],
) -> UserTemplate:
    """``source()`` compiled once per directory content, theme and locale; a fault is an
    :class:`InvalidTemplate` naming the user's file and line, the theme and the locale
    (a branch on ``lang`` may fail in one locale only)."""
    # The signature covers every file the compile reads from the directory: the same
    # content compiles the same wherever it lies, and a key costs no system call per card.
    key = (templates.signature, name, theme.fingerprint, locale, *variant)
    if key not in _compiled:
        from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

        where = f"{theme.name} theme, locale {locale}"
        try:
            _compiled[key] = UserTemplate(fast_template(source()), name, where)
        except TemplateSyntaxError as exc:
            message = f"{exc.message or 'syntax error'} ({where})"
            problem = TemplateProblem(exc.name or name, exc.lineno, message)
            raise _refused(templates.path, [problem]) from None
        except (TemplateError, TemplateSourceError) as exc:
            file, line = _failing_line(exc, templates.path) or (name, 1)
            fault = f"{exc.name} is not a template" if isinstance(exc, TemplateNotFound) else exc
            problem = TemplateProblem(file, line, f"{fault} ({where})")
            raise _refused(templates.path, [problem]) from None
    return _compiled[key]


def _failing_line(exc: Exception, root: Path) -> tuple[str, int] | None:
    """The user's file and line a theme-time fault happened on: Jinja rewrites a
    template's traceback so its frames name the template file and line."""
    found = None
    top = root.resolve()
    frame = exc.__traceback__
    while frame is not None:
        path = Path(frame.tb_frame.f_code.co_filename).resolve()
        if path.is_relative_to(top):
            found = (path.relative_to(top).as_posix(), frame.tb_lineno)
        frame = frame.tb_next
    return found


def page_files(sources: Mapping[str, str]) -> frozenset[str]:
    """The files of a directory that only the report reaches (through ``include``,
    ``import`` and ``extends``, ours standing in for files it does not override)."""

    def reached(roots: tuple[str, ...]) -> set[str]:
        seen: set[str] = set()
        waiting = list(roots)
        while waiting:
            name = waiting.pop()
            if name not in seen:
                seen.add(name)
                waiting += _REFERENCE.findall(sources.get(name) or _ours(name))
        return seen

    return frozenset(reached(PAGE_ROOTS) - reached(MAIL_ROOTS))


def _ours(name: str) -> str:
    """Our template ``name``, or nothing when there is none (or it names no file of ours)."""
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        return ""
    path = resource_dir("templates") / relative
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def sample_candidates(source: Path | None = None) -> list[Candidate]:
    """The candidates of the payload file ``source``, or of the built-in sample."""
    label = str(source) if source else SAMPLE.name
    data = (source or SAMPLE).read_bytes()
    return list(load_candidates(parse_json(data, source=label)).candidates)


def _read(root: Path) -> dict[str, str]:
    """Every template file under ``root``, by its path relative to it."""
    sources = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in SUFFIXES:
            continue
        name = path.relative_to(root).as_posix()
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise _refused(root, [TemplateProblem(name, 1, "is larger than 256 KiB")])
            sources[name] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise _refused(root, [TemplateProblem(name, 1, f"cannot be read: {reason}")]) from None
    return sources


def _refused(root: Path, problems: list[TemplateProblem]) -> InvalidTemplate:
    listed = "; ".join(f"{p.file}:{p.line}: {p.message}" for p in problems)
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    return InvalidTemplate(f"Templates {root}: {count}: {listed}.", [p.detail() for p in problems])
