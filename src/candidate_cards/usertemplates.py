"""A user's template directory: its files take the place of ours, under the same rules.

Any file of ``templates/`` can be overridden (``card.html``, ``card.css``, partials it
includes); the rest are ours. Every ``.html`` and ``.css`` file in the directory is
linted first (:mod:`.lint`) and refused with every problem and its line, then compiled
through the same pipeline as ours: theme tokens filled in, CSS inlined once per theme,
and rendered by the same autoescaping environment.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ErrorDetail, InvalidTemplate, TemplateSourceError
from .i18n import DEFAULT_LOCALE
from .lint import TemplateProblem, lint
from .models import Candidate
from .payloads import load_candidates, parse_json
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

_checked: dict[tuple[str, str, frozenset[str]], TemplateDir] = {}
_compiled: dict[tuple[str, ...], Template] = {}


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
        problems = [
            p for name, text in sorted(sources.items()) for p in lint(name, text, allow_css)
        ]
        if problems:
            raise _refused(root, problems)
        _checked[key] = TemplateDir(root, signature)
    return _checked[key]


def compile_user_inlined(
    templates: TemplateDir,
    name: str,
    css_name: str,
    theme: Theme,
    locale: str = DEFAULT_LOCALE,
    inliner: Inliner = "css-inline",
    *,
    embedded: bool = False,
) -> Template:
    """Template ``name`` for ``theme`` and ``locale`` with ``css_name`` inlined, the user's
    files first (``embedded``: see :func:`.templates.themed_source`)."""
    key = (
        str(templates.path.resolve()),
        templates.signature,
        name,
        theme.fingerprint,
        locale,
        inliner,
        "embedded" if embedded else "",
    )
    if key not in _compiled:
        from jinja2 import TemplateError, TemplateSyntaxError

        overrides = str(templates.path)
        try:
            source = inline_template(
                themed_source(name, theme, overrides, locale, embedded=embedded),
                themed_source(css_name, theme, overrides, locale),
                inliner,
            )
            if "<style" in source.lower():
                raise TemplateSourceError("a <style> element is left after inlining")
            _compiled[key] = fast_template(source)
        except TemplateSyntaxError as exc:
            problem = TemplateProblem(exc.name or name, exc.lineno, exc.message or "syntax error")
            raise _refused(templates.path, [problem]) from None
        except (TemplateError, TemplateSourceError) as exc:
            raise _refused(templates.path, [TemplateProblem(name, 1, str(exc))]) from None
    return _compiled[key]


def render_user(template: Template, name: str, **context: Any) -> str:
    """Render a user's compiled template; a name it uses that a card does not have (or any
    other fault of the template) is an :class:`InvalidTemplate`, not a Jinja traceback."""
    from jinja2 import TemplateError

    try:
        return template.render(**context)
    except TemplateError as exc:
        message = f"{name}: {exc.message or type(exc).__name__}"
        raise InvalidTemplate(f"Template {message}.", [ErrorDetail(name, str(exc))]) from None


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
