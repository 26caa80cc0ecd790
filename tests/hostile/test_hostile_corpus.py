"""The hostile corpus (BLNS and XSS vectors) in every field: inert, complete, and in Chromium."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from tests.hostile.hostile_checks import (
    RENDERERS,
    Renderer,
    as_read,
    as_shown,
    assert_safe,
    audit_in_chromium,
    baseline_shape,
    blns,
    corpus,
    hostile_candidates,
    rendered,
)

CANDIDATES = hostile_candidates()


@functools.cache
def corpus_outputs(renderer: Renderer) -> list[tuple[Any, str]]:
    """Each renderer's output for the corpus, rendered once for the tests that read it
    (the browser test runs last, after this module's fixtures would have been torn down)."""
    return rendered(renderer, CANDIDATES)


def test_corpus_is_blns_plus_the_vectors_in_every_field() -> None:
    """The corpus is the whole BLNS plus the XSS vectors, each placed raw in every field."""
    assert len(blns()) >= 480
    raw = {candidate["headline"] for candidate in CANDIDATES[::2]}
    assert raw == set(corpus())


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda renderer: renderer.name)
def test_corpus_in_every_field_renders_inert_and_complete(renderer: Renderer) -> None:
    """Every corpus string in every field renders; the HTML is inert and nothing is lost."""
    baseline = baseline_shape(renderer)
    for batch, html in corpus_outputs(renderer):
        parsed = assert_safe(html, renderer, baseline)
        text = parsed.text()
        ids = parsed.attribute_values("data-profile-id")
        for candidate in batch:
            assert as_read(candidate["name"].strip()) in text, candidate["name"]
            assert as_shown(candidate["profileId"]) in ids, candidate["profileId"]


@pytest.mark.browser
@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda renderer: renderer.name)
def test_corpus_is_inert_in_chromium(browser: Any, renderer: Renderer) -> None:
    """In Chromium: 0 dialogs, 0 requests, 0 page errors, 0 dangerous nodes, every card shown."""
    audit = audit_in_chromium(browser, renderer, corpus_outputs(renderer))
    print(f"{renderer.name}: {audit.summary()}")
    assert (audit.dialogs, audit.requests, audit.page_errors, audit.dangerous) == ([], [], [], [])
    assert audit.cards_shown == audit.candidates == len(CANDIDATES)
