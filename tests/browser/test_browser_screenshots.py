"""Screenshots of every page at 320, 600 and 1024 px against the committed baselines."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.checks import BASELINES, check_screenshot, compare_images, normalise
from tests.browser.documents import PAGES, WIDTHS, fixture_page
from tests.browser.screenshots import screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_matches_its_baseline(page, request, name: str, width: int) -> None:
    """Each page looks as it did when its baseline was reviewed."""
    png = screenshot(page, PAGES[name](), width)
    update = request.config.getoption("--update-screenshots")
    check_screenshot(png, BASELINES / f"{name}-{width}.png", update=update)


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param("border:1px solid #2c3748", "border:1px solid #8fc2ff", id="border-colour"),
        pytest.param("border:1px solid #2c3748", "border:2px solid #2c3748", id="border-width"),
    ],
)
def test_a_one_pixel_border_change_fails_with_a_diff_image(
    page, request, tmp_path: Path, before: str, after: str
) -> None:
    """The comparison is sharp enough to catch a card's 1 px border changing, and says where."""
    if request.config.getoption("--update-screenshots"):
        pytest.skip("baselines are being rewritten")
    original = PAGES["cards-minimal-dark"]()
    assert before in original, "the dark card's border style moved; update this test"
    changed = original.replace(before, after, 1)
    baseline = BASELINES / "cards-minimal-dark-600.png"
    with pytest.raises(AssertionError, match="differ") as failure:
        check_screenshot(screenshot(page, changed, 600), baseline, diff_dir=tmp_path)
    diff = tmp_path / "cards-minimal-dark-600.diff.png"
    assert diff.is_file() and (tmp_path / "cards-minimal-dark-600.actual.png").is_file()
    assert str(diff) in str(failure.value)


def test_identical_renders_compare_equal(page) -> None:
    """Two screenshots of the same page are pixel-identical, so the tolerance is spare."""
    html = fixture_page("unicode", "light")
    first, second = (normalise(screenshot(page, html, 320)) for _ in range(2))
    assert compare_images(first, second).mismatched == 0
