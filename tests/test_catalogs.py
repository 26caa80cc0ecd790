"""Every shipped language is complete: no untranslated, fuzzy or mis-shaped entry.

Each catalog is read back with Babel's own tooling and held to what ``pybabel init`` writes
for its language (the plural header), to the words the source uses today (the .pot, and
the extraction behind it) and to its compiled .mo, which is what the wheel ships.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from candidate_cards.i18n import DEFAULT_LOCALE, LOCALE_DIR, LOCALES, language
from candidate_cards.view import more_skills

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = [code for code in LOCALES if code != DEFAULT_LOCALE]
PLACEHOLDER = re.compile(r"%\((\w+)\)s|%[^(%]")


def _catalog(code: str) -> Catalog:
    with (LOCALE_DIR / code / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=code)


def _template() -> Catalog:
    with (LOCALE_DIR / "messages.pot").open("rb") as file:
        return read_po(file)


def _ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


def _placeholders(text: str) -> set[str]:
    return {match.group(1) or match.group() for match in PLACEHOLDER.finditer(text)}


def test_the_shipped_languages_are_the_catalogs_on_disk():
    on_disk = {path.parent.parent.name for path in LOCALE_DIR.glob("*/LC_MESSAGES/messages.po")}
    assert on_disk == set(TRANSLATED)
    assert len(LOCALES) == 12 and LOCALES[0] == DEFAULT_LOCALE


@pytest.mark.parametrize("code", TRANSLATED)
def test_plural_forms_are_those_pybabel_init_writes(code):
    catalog, expected = _catalog(code), get_plural(code)
    assert (catalog.num_plurals, catalog.plural_expr) == (
        expected.num_plurals,
        expected.plural_expr,
    )


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_entry_is_translated_not_fuzzy_and_has_every_plural_form(code):
    catalog = _catalog(code)
    assert not catalog.fuzzy, "the header is marked fuzzy"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if message.pluralizable else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if message.pluralizable and len(forms) != catalog.num_plurals:
            problems.append(f"{len(forms)} of {catalog.num_plurals} forms: {message.id!r}")
        if not all(forms):
            problems.append(f"untranslated: {message.id!r}")
    problems += [f"{m.id!r}: {errors}" for m, errors in catalog.check()]
    assert not problems


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_placeholder_is_dropped_or_added(code):
    wrong = []
    for message in _catalog(code):
        if not message.id:
            continue
        ids = (message.id,) if isinstance(message.id, str) else message.id
        wanted = set().union(*map(_placeholders, ids))
        forms = message.string if message.pluralizable else (message.string,)
        # A language with one plural form (Japanese) must still show the count.
        wrong += [(message.id, form) for form in forms if _placeholders(form) != wanted]
    assert not wrong


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_are_plain_text(code):
    """Templates take their words at compile time, unescaped: a translation carrying markup
    or template syntax would become part of the template."""
    unsafe = re.compile(r"[<>&\"]|\{\{|\{%|\{#|\[\[|\[%|\[#")
    wrong = [
        form
        for message in _catalog(code)
        if message.id
        for form in (message.string if message.pluralizable else (message.string,))
        if unsafe.search(form)
    ]
    assert not wrong


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_holds_exactly_the_template_words(code):
    template_ids = _ids(_template())
    catalog_ids = _ids(_catalog(code))
    assert catalog_ids - template_ids == set(), "obsolete entries: run make catalogs"
    assert template_ids - catalog_ids == set(), "missing entries: run make catalogs"


@pytest.mark.parametrize("code", TRANSLATED)
def test_compiled_catalog_is_up_to_date_with_its_source(code):
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(code))
    shipped = (LOCALE_DIR / code / "LC_MESSAGES" / "messages.mo").read_bytes()
    assert shipped == compiled.getvalue(), f"{code}: run make catalogs (pybabel compile)"


def test_template_holds_every_word_the_source_asks_for():
    with (ROOT / "babel.cfg").open() as file:
        methods, options = parse_mapping_cfg(file)
    found: set[str | tuple[str, ...]] = set()
    for pattern, method in methods:
        for path in sorted(ROOT.glob(pattern.replace("**.", "**/*."))):
            for _line, message, _comments, _context in extract_from_file(
                method, path, DEFAULT_KEYWORDS, options=options.get(pattern, {})
            ):
                found.add(message)
    assert found == _ids(_template()), "run make catalogs"


@pytest.mark.parametrize(
    ("code", "counts", "phrases"),
    [
        ("sk", (1, 3, 6), ("+1 ďalšia zručnosť", "+3 ďalšie zručnosti", "+6 ďalších zručností")),
        ("cs", (1, 4, 5), ("+1 další dovednost", "+4 další dovednosti", "+5 dalších dovedností")),
        (
            "pl",
            (1, 22, 25),
            ("+1 kolejna umiejętność", "+22 kolejne umiejętności", "+25 kolejnych umiejętności"),
        ),
        ("de", (1, 2), ("+1 weitere Fähigkeit", "+2 weitere Fähigkeiten")),
        ("ja", (1, 9), ("ほか1件のスキル", "ほか9件のスキル")),
    ],
)
def test_counts_take_the_plural_form_their_language_uses(code, counts, phrases):
    lang = language(code)
    assert tuple(more_skills(count, lang) for count in counts) == phrases


def test_arabic_counts_take_the_dual_and_the_plural_of_three_to_ten():
    arabic = language("ar")
    # "+N" sits in a left-to-right isolate, so right-to-left text shows "+6", not "6+".
    assert [more_skills(count, arabic) for count in (1, 2, 3, 11)] == [
        "\u2066+1\u2069 مهارة إضافية",
        "\u2066+2\u2069 مهارتان إضافيتان",
        "\u2066+3\u2069 مهارات إضافية",
        "\u2066+11\u2069 مهارة إضافية",
    ]
