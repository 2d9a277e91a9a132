"""Diacritic-insensitive search keys: Vietnamese letters fold to plain lower-case ASCII."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.search_text import fold, fold_query, strip_marks

# The Vietnamese alphabet with every tone: 12 vowels x 6 tones + 17 consonants + đ, both cases.
BASE_VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # ngang, huyền, sắc, hỏi, ngã, nặng
CONSONANTS = "bcdđghklmnpqrstvx"
LOWER_LETTERS = [unicodedata.normalize("NFC", v + t) for v in BASE_VOWELS for t in TONES] + list(CONSONANTS)
VIETNAMESE_LETTERS = sorted(set(LOWER_LETTERS) | {letter.upper() for letter in LOWER_LETTERS})

vietnamese_text = st.text(alphabet=st.sampled_from([*VIETNAMESE_LETTERS, " ", "\t"]), max_size=40)


def test_the_alphabet_is_complete() -> None:
    # Guards the property tests below: 66 non-ASCII lower-case vowels and đ, in both cases.
    precomposed = [c for c in VIETNAMESE_LETTERS if not c.isascii()]
    assert len(precomposed) == 134
    assert all(len(c) == 1 for c in VIETNAMESE_LETTERS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nguyễn Văn Á", "nguyen van a"),
        ("ĐẶNG THỊ ĐÀO", "dang thi dao"),
        ("  Trần   Thị\tThanh  Hương ", "tran thi thanh huong"),
        ("Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội", "so 1 trang tien, hoan kiem, ha noi"),
        ("Phạm Ngọc Thạch", "pham ngoc thach"),
        ("Lê Thị Ửng", "le thi ung"),
        ("", ""),
        ("   ", ""),
        ("plain ascii", "plain ascii"),
    ],
)
def test_fold_examples(text: str, expected: str) -> None:
    assert fold(text) == expected
    assert fold_query(text) == expected


def test_nfd_input_folds_like_nfc() -> None:
    name = "Nguyễn Thị Ánh Tuyết Đặng"
    decomposed = unicodedata.normalize("NFD", name)
    assert decomposed != name
    assert fold(decomposed) == fold(name) == "nguyen thi anh tuyet dang"


def test_other_scripts_are_kept_and_other_marks_dropped() -> None:
    assert fold("王小明") == "王小明"
    assert fold("Zoë Ñúñez") == "zoe nunez"
    assert fold("a\u20d7b") == "ab"  # a combining mark outside the precomputed table


def test_strip_marks_keeps_case() -> None:
    assert strip_marks("Đặng Thị Ửng") == "Dang Thi Ung"
    assert strip_marks(unicodedata.normalize("NFD", "Đặng Thị Ửng")) == "Dang Thi Ung"


@given(vietnamese_text)
def test_vietnamese_folds_to_ascii_lower_case(text: str) -> None:
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert "  " not in folded
    assert folded == folded.strip()


@given(vietnamese_text)
def test_fold_ignores_normal_form(text: str) -> None:
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)


@given(vietnamese_text)
def test_fold_is_idempotent_on_vietnamese(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text(max_size=30))
def test_fold_is_idempotent_on_any_text(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(vietnamese_text)
def test_fold_keeps_the_words(text: str) -> None:
    # Folding changes letters, never where words start and end.
    assert len(fold(text).split()) == len(text.split())
