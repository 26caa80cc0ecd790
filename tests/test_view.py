"""view.py decides what a card shows; these tests need no HTML."""

from __future__ import annotations

import pytest

from candidate_cards import Candidate, card_view
from candidate_cards.text import render_text
from candidate_cards.view import VISIBLE, clip, initials, score_band


@pytest.mark.parametrize(
    ("score", "text", "band", "label"),
    [
        (100, "100", "excellent", "Excellent match"),
        (85, "85", "excellent", "Excellent match"),
        (84.96, "85", "excellent", "Excellent match"),
        (84.94, "84.9", "strong", "Strong match"),
        (70, "70", "strong", "Strong match"),
        (69.9, "69.9", "moderate", "Moderate match"),
        (50, "50", "moderate", "Moderate match"),
        (49.5, "49.5", "weak", "Weak match"),
        (87.25, "87.3", "excellent", "Excellent match"),
        (0, "0", "weak", "Weak match"),
        (-0.0, "0", "weak", "Weak match"),  # JSON allows -0; nobody scored "-0"
        (0.04, "0", "weak", "Weak match"),
    ],
)
def test_score_bands_are_read_from_the_shown_number(score, text, band, label):
    badge = score_band(score)
    assert (badge.text, badge.band, badge.label) == (text, band, label)


def test_no_score_means_no_badge():
    assert score_band(None) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jane Doe", "JD"),
        ("Priya", "P"),
        ("Mary Ann van der Berg", "MB"),
        ("  jane   doe  ", "JD"),
        ("王小明", "王"),
        ("Zoe\u0308 Łukasiewicz-Ørsted", "ZŁ"),
        ("Ève d'Arc", "ÈD"),
        ("<script>alert(1)</script>", "S"),
        ("— —", "?"),
    ],
)
def test_initials(name, expected):
    assert initials(name) == expected


def test_clip_cuts_at_a_word_and_marks_the_cut():
    text = "word " * 200
    clipped = clip(text, 600)
    assert len(clipped) <= 601 and clipped.endswith("word…")
    assert clip("short", 600) == "short"


def test_clip_of_an_unbroken_token_never_splits_a_combining_mark():
    text = "e\u0301" * 400
    clipped = clip(text, 601)
    assert clipped.endswith("e\u0301…") and len(clipped) == 601


def test_clip_never_splits_an_emoji_joined_sequence():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    clipped = clip("x" * 598 + family, 601)
    assert clipped == "x" * 598 + "…"


def make(**fields) -> Candidate:
    return Candidate.model_validate({"profileId": "p", "name": "Jane Doe", **fields})


def test_lists_are_summarised_with_counts():
    view = card_view(
        make(skills=[f"s{i}" for i in range(20)], aiFitPoints=[f"a{i}" for i in range(6)])
    )
    assert view.skills.items == tuple(f"s{i}" for i in range(VISIBLE["skills"]))
    assert view.skills.more == 20 - VISIBLE["skills"]
    assert (len(view.fit_points.items), view.fit_points.more) == (4, 2)


def test_blank_items_are_not_shown_or_counted():
    view = card_view(make(skills=["Go", "  ", ""], emails=[" "]))
    assert view.skills.items == ("Go",) and view.skills.more == 0
    assert view.contacts == ()


def test_meta_line_does_not_repeat_the_headline():
    view = card_view(
        make(
            headline="Staff Engineer at TechCorp",
            currentRole="Staff Engineer",
            currentCompany="TechCorp",
            location="Seattle, WA",
        )
    )
    assert view.meta == "Seattle, WA"
    other = card_view(make(headline="Builder", currentRole="CTO", currentCompany="Acme"))
    assert other.meta == "CTO · Acme"


def test_contacts_list_emails_then_linkedin_with_a_count_of_the_rest():
    view = card_view(
        make(
            emails=[f"a{i}@example.com" for i in range(5)],
            linkedinUrl="https://www.linkedin.com/in/jane",
        )
    )
    assert [link.text for link in view.contacts] == [
        "a0@example.com",
        "a1@example.com",
        "a2@example.com",
        "LinkedIn profile",
    ]
    assert view.contacts_more == 2


def test_experience_and_rationale_rows_skip_empty_entries():
    view = card_view(
        make(
            detailedExperience=[{}, {"role": "Engineer", "highlights": ["a", "b", "c", "d"]}],
            aiDetailedRationale=[{}, {"title": "Dev", "company": "X", "duration": "2 years"}],
        )
    )
    assert [role.title for role in view.experience] == ["Engineer"]
    assert view.experience[0].highlights.more == 1
    assert [row.heading for row in view.why] == ["Dev · X · 2 years"]


def test_duplicates_are_shown_once_in_their_first_spelling():
    view = card_view(
        make(
            skills=["Python", "python", "PYTHON", "Python ", "Go", "  go  ", "Zoe\u0308", "Zoë"],
            aiFitPoints=["Led the  ledger migration", "led the ledger migration"],
            emails=["ana@example.com", " ANA@example.com ", "ana@example.org"],
        )
    )
    assert view.skills.items == ("Python", "Go", "Zoe\u0308")
    assert view.fit_points.items == ("Led the  ledger migration",)
    assert [link.text for link in view.contacts] == ["ana@example.com", "ana@example.org"]


def test_more_counts_what_is_left_after_duplicates():
    skills = [f"skill {i}" for i in range(10)] + [f"SKILL {i}" for i in range(10)]
    view = card_view(make(skills=skills))
    assert view.skills.more == 10 - VISIBLE["skills"]
    assert "+2 more skills" in render_text([view])
