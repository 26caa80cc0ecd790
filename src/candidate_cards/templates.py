"""Compile each template once per theme, with its CSS already inlined.

A template in ``templates/`` is written with classes and a stylesheet beside it. When a
theme first uses it:

1. the theme-time syntax (``[[ token ]]``, ``[% for %]``) fills in the theme's tokens;
2. the per-call Jinja tags (``{{ }}``, ``{% %}``) are masked, so the HTML parser of the
   inliner sees only placeholders it cannot move or rewrite;
3. an inliner turns the classes into ``style`` attributes, and the classes are dropped:
   css-inline for fragments (the card), premailer for whole documents (the e-mail), which
   also adds the ``bgcolor``/``width``/``align`` attributes old mail clients read;
4. the tags are put back and the result is compiled by a normal Jinja environment, and
   to a plain Python function when :mod:`.compiled` translates all of it.

Per call, rendering is then that function (or a plain Jinja render): no CSS parsing, no
inliner, no I/O.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from markupsafe import Markup

from .breaks import breakable
from .errors import TemplateSourceError
from .htmltext import html_text
from .i18n import DEFAULT_LOCALE, Language, language
from .resources import resource_dir
from .themes import Theme
from .view import BANDS, is_rtl

if TYPE_CHECKING:
    import css_inline
    from jinja2 import Environment, Template

_MARK_OPEN, _MARK_CLOSE = "\u27e6", "\u27e7"  # ⟦ ⟧: both inliners keep them
_JINJA_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)
_STATEMENT_IN_TAG = re.compile(r"<[a-zA-Z][^<>]*\{%")
_MASKED_STATEMENT = re.compile(f"<!--{_MARK_OPEN}(\\d+){_MARK_CLOSE}-->")
_MASKED_EXPRESSION = re.compile(f"{_MARK_OPEN}(\\d+){_MARK_CLOSE}")
_CLASS_ATTRIBUTE = re.compile(r' class="[^"]*"')
_TBODY = re.compile(r"</?tbody>")
_LINE_BREAK_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")
_STYLE_ATTRIBUTE = re.compile(r"""style=("[^"]*"|'[^']*')""")

Inliner = Literal["css-inline", "premailer"]


@cache
def _inliner() -> css_inline.CSSInliner:
    """css-inline, imported on first compile: it is never needed per call."""
    import css_inline

    return css_inline.CSSInliner(
        keep_style_tags=False, keep_link_tags=False, load_remote_stylesheets=False, minify_css=True
    )


@cache
def _theme_env(overrides: str | None = None, locale: str = DEFAULT_LOCALE) -> Environment:
    """Renders templates with the theme's tokens and ``locale``'s words, once per theme and
    locale; files in the directory ``overrides`` (a user's templates) take the place of
    ours of the same name. ``_()`` in ``[[ ]]`` reads the catalog here, when the template
    is compiled, so no label is looked up per render."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

    ours = FileSystemLoader(resource_dir("templates"))
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(overrides), ours]) if overrides else ours,
        extensions=["jinja2.ext.i18n"],
        block_start_string="[%",
        block_end_string="%]",
        variable_start_string="[[",
        variable_end_string="]]",
        comment_start_string="[#",
        comment_end_string="#]",
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(language(locale).translations, newstyle=True)  # type: ignore[attr-defined]
    return env


@cache
def render_env() -> Environment:
    """The per-call environment: autoescaping, strict about undefined names."""
    from jinja2 import Environment, StrictUndefined  # on first compile, not at import

    from .compiled import FastTemplate

    env = Environment(
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=html_text,
    )
    env.template_class = FastTemplate
    env.filters["breakable"] = breakable
    env.filters["nowrap"] = nowrap
    env.tests["rtl"] = is_rtl
    return env


def nowrap(text: str) -> Markup:
    """``text`` escaped, its spaces made no-break (``&nbsp;``) so a phrase stays on one line."""
    return Markup.escape(text).replace(" ", Markup("&nbsp;"))


def theme_context(theme: Theme, lang: Language | None = None) -> dict[str, Any]:
    """The names a template sees at theme time: the theme's tokens and the language's code
    and direction (``start``/``end``: the sides text begins and ends on)."""
    lang = lang or language()
    return {
        "c": theme.colors,
        "p": theme.print_colors,
        "f": theme.font,
        "s": theme.shape,
        "bands": BANDS,
        "theme": theme,
        "lang": lang,
        "start": "right" if lang.rtl else "left",
        "end": "left" if lang.rtl else "right",
    }


def themed_source(
    name: str,
    theme: Theme,
    overrides: str | None = None,
    locale: str = DEFAULT_LOCALE,
    *,
    embedded: bool = False,
) -> str:
    """The template ``name`` with the theme's tokens and ``locale``'s words filled in
    (classes still in place). ``embedded``: the result goes inside a document of ours that
    already states the language and direction, so a card need not repeat them."""
    template = _theme_env(overrides, locale).get_template(name)
    return template.render(theme_context(theme, language(locale)), embedded=embedded)


def inline_template(markup: str, css: str, inliner: Inliner = "css-inline") -> str:
    """Inline ``css`` into a Jinja template's markup without disturbing its tags."""
    if statement := _STATEMENT_IN_TAG.search(markup):
        line = markup[: statement.start()].count("\n") + 1
        raise TemplateSourceError(f"a {{% %}} statement sits inside an HTML tag (line {line})")
    tags: list[str] = []

    def mask(match: re.Match[str]) -> str:
        tags.append(match.group())
        placeholder = f"{_MARK_OPEN}{len(tags) - 1}{_MARK_CLOSE}"
        return placeholder if match.group().startswith("{{") else f"<!--{placeholder}-->"

    masked = _LINE_BREAK_BETWEEN_TAGS.sub("><", _JINJA_TAG.sub(mask, markup).strip())
    if inliner == "premailer":
        inlined = _LINE_BREAK_BETWEEN_TAGS.sub("><", _premailer_document(masked, css).strip())
    else:
        inlined = _inliner().inline_fragment(masked, css)
    inlined = _TBODY.sub("", _CLASS_ATTRIBUTE.sub("", inlined))
    unmasked = _MASKED_STATEMENT.sub(lambda m: tags[int(m.group(1))], inlined)
    return _MASKED_EXPRESSION.sub(lambda m: tags[int(m.group(1))], unmasked)


def _premailer_document(html: str, css: str) -> str:
    """A whole document through premailer: offline, classes removed, cssutils quiet."""
    from premailer import Premailer  # type: ignore[import-untyped]  # imported here: it is slow to import, used at load

    document = Premailer(
        html,
        css_text=css,
        allow_network=False,
        remove_classes=True,
        strip_important=False,
        disable_validation=True,
        disable_leftover_css=True,
        cssutils_logging_level=logging.CRITICAL,
    ).transform()
    return _STYLE_ATTRIBUTE.sub(lambda m: m.group().replace("; ", ";"), document)


class TemplateCache:
    """Compiled templates by what they were built from (names, theme fingerprint, inliner,
    locale): a template is compiled once per theme and locale.

    A renderer holds one, so its compiled templates are its own: nothing is shared between
    configurations, and dropping the renderer drops them.
    """

    def __init__(self) -> None:
        self._compiled: dict[tuple[str, ...], Template] = {}

    def inlined(
        self,
        name: str,
        css_name: str,
        theme: Theme,
        inliner: Inliner = "css-inline",
        locale: str = DEFAULT_LOCALE,
        *,
        embedded: bool = False,
    ) -> Template:
        """Template ``name`` for ``theme`` and ``locale`` with ``css_name`` inlined: the
        per-call fast path (``embedded``: see :func:`themed_source`)."""

        def source() -> str:
            markup = themed_source(name, theme, locale=locale, embedded=embedded)
            return inline_template(markup, themed_source(css_name, theme, locale=locale), inliner)

        key = (name, css_name, theme.fingerprint, inliner, locale, "embedded" if embedded else "")
        return self._cached(key, source)

    def themed(self, name: str, theme: Theme, locale: str = DEFAULT_LOCALE) -> Template:
        """Template ``name`` for ``theme`` and ``locale``, tokens and words filled in,
        nothing inlined (pages)."""
        return self._cached(
            (name, theme.fingerprint, locale), lambda: themed_source(name, theme, locale=locale)
        )

    def _cached(self, key: tuple[str, ...], source: Callable[[], str]) -> Template:
        """The template compiled from ``source()`` the first time ``key`` is asked for."""
        template = self._compiled.get(key)
        if template is None:
            template = self._compiled[key] = fast_template(source())
        return template


def fast_template(source: str) -> Template:
    """``source`` compiled by Jinja, and also to a plain Python function when
    :mod:`.compiled` translates every node of it (then it renders through that)."""
    from .compiled import FastTemplate, compile_template

    env = render_env()
    template = env.from_string(source)
    assert isinstance(template, FastTemplate)
    template.fast = compile_template(env, source)
    return template


#: The cache the module-level functions use.
DEFAULT_TEMPLATES = TemplateCache()


def compile_inlined(
    name: str,
    css_name: str,
    theme: Theme,
    inliner: Inliner = "css-inline",
    locale: str = DEFAULT_LOCALE,
    *,
    embedded: bool = False,
) -> Template:
    """Template ``name`` for ``theme`` and ``locale`` with ``css_name`` inlined, from the
    default cache."""
    return DEFAULT_TEMPLATES.inlined(name, css_name, theme, inliner, locale, embedded=embedded)


def compile_themed(name: str, theme: Theme, locale: str = DEFAULT_LOCALE) -> Template:
    """Template ``name`` for ``theme`` and ``locale``, tokens and words filled in, from the
    default cache."""
    return DEFAULT_TEMPLATES.themed(name, theme, locale)
