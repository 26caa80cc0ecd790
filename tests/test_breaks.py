"""Break opportunities in long words: any script, placed by what fits at the font size."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from candidate_cards.breaks import SOFT_HYPHEN, ZERO_WIDTH_SPACE, breakable, line_length

CORPUS = json.loads((Path(__file__).parent / "fixtures" / "edge" / "words.json").read_text())
MARKS = f"[{SOFT_HYPHEN}{ZERO_WIDTH_SPACE}]"

LONG_WORDS = {
    "German": "Donaudampfschifffahrtsgesellschaftskapitänsmützenträger",
    "Russian": "Высокопревосходительство",
    "Greek": "Αντικαθαριστικοποιημένος",
    "Vietnamese": "Phượnghoàngthiênđườngkỳdiệuvôcùng",
    "Georgian": "საქართველოსდამოუკიდებლობისდღესასწაული",
    "Armenian": "Հակաեղափոխականությունդիմադրողականություն",
    "Arabic": "عبدالرحمنالمستشارالاقتصاديالمتخصص",
    "Hebrew": "בןאליעזרהכהןמירושליםהעתיקה",
}


def pieces(text: str) -> list[str]:
    """What may stand on a line of its own: the text cut at spaces and break marks."""
    return [piece for piece in re.split(f"\\s|{MARKS}", text) if piece]


@pytest.mark.parametrize("script", LONG_WORDS)
@pytest.mark.parametrize("size", [13, 15, 20])
def test_long_words_in_any_script_get_soft_hyphens_that_fit_a_line(script: str, size: int):
    word = LONG_WORDS[script]
    broken = breakable(f"Name {word}", size)
    assert broken.replace(SOFT_HYPHEN, "") == f"Name {word}"
    assert ZERO_WIDTH_SPACE not in broken  # it would split Arabic letters from their joins
    assert all(len(piece) <= line_length(size) for piece in pieces(broken))


def test_larger_text_gets_more_break_opportunities():
    word = LONG_WORDS["German"]
    assert breakable(word, 20).count(SOFT_HYPHEN) > breakable(word, 13).count(SOFT_HYPHEN)
    assert line_length(20) < line_length(15) < line_length(13)


def test_chunks_are_even_rather_than_a_full_line_and_a_stub():
    longest = line_length(15)
    chunks = breakable("a" * (longest + 2), 15).split(SOFT_HYPHEN)
    assert len(chunks) == 2 and abs(len(chunks[0]) - len(chunks[1])) <= 1


def test_the_header_column_beside_the_avatar_holds_fewer_characters():
    assert line_length(15, "header") < line_length(15, "body")
    word = "a" * (line_length(15, "body") - 1)
    assert breakable(word, 15) == word and SOFT_HYPHEN in breakable(word, 15, "header")


@pytest.mark.parametrize(
    "address",
    [
        "https://www.linkedin.com/in/maximilian-donaudampfschifffahrtsgesellschaft-1234567890",
        "firstname.middlename.lastname.department@payments-engineering.example.com",
        "www.example.org/ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    ],
)
def test_urls_and_addresses_break_after_separators_without_hyphens(address: str):
    broken = breakable(address, 13)
    assert broken.replace(ZERO_WIDTH_SPACE, "") == address
    assert SOFT_HYPHEN not in broken
    for separator in re.findall(r"[/.\-_@](?=\w)", address):
        assert separator + ZERO_WIDTH_SPACE in broken
    assert all(len(piece) <= line_length(13) for piece in pieces(broken))


@pytest.mark.parametrize(
    "text",
    [
        "高级软件工程师负责实时支付清算系统的架构设计与性能优化以及跨境结算平台的稳定性保障工作",
        "リアルタイム決済システムアーキテクチャ設計とインフラストラクチャ",
        "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำจึงต้องตัดคำตามพจนานุกรมของเบราว์เซอร์เอง",
        "short words and émoji 👩‍💻 stay as they are, however long the sentence gets",
    ],
)
def test_text_that_breaks_by_itself_is_left_alone(text: str):
    assert breakable(text, 20) == text


def test_a_letter_and_its_marks_are_never_parted():
    word = "Zoe\u0308" * 12 + "👩\u200d💻" * 10
    for piece in breakable(word, 20).split(SOFT_HYPHEN):
        assert not re.match("[\u0308\u200d]", piece)
        assert not piece.endswith("\u200d")


def test_the_corpus_covers_six_scripts_and_long_addresses():
    """The layout checks' corpus (tests/fixtures/edge/words.json) stays what it claims.

    Thai is checked above, not in the corpus: the browser tests' pinned fonts have none.
    """
    text = json.dumps(CORPUS, ensure_ascii=False)
    scripts = {
        "Latin": "ä",
        "Cyrillic": "ы",
        "Greek": "\u03b1",
        "Georgian": "ა",
        "Armenian": "\u0561",
        "Arabic": "ع",
        "Hebrew": "ה",
        "Vietnamese": "ượ",
        "CJK": "级",
    }
    assert all(letter in text for letter in scripts.values())
    assert re.search(r"https://\S{80,}", text) and re.search(r"[\w.]{40,}@", text)
