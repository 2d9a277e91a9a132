"""The spoken call (queue.md, "Calling"): number words, letter names, the ticket read aloud, the sentence."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.announcement import (
    DEFAULT_CALL_TEMPLATE,
    NumberReading,
    call_phrases,
    call_sentence,
    check_call_template,
    check_number_reading,
    letter_name,
    number_words,
    read_counter,
    read_ticket,
)
from counter_app.domain.errors import ValidationError


@pytest.mark.parametrize(
    ("n", "words"),
    [
        # queue.md's list
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (1023, "một nghìn không trăm hai mươi ba"),
        (2000, "hai nghìn"),
        # and the neighbours where the rules change
        (1, "một"),
        (4, "bốn"),
        (11, "mười một"),
        (14, "mười bốn"),
        (20, "hai mươi"),
        (25, "hai mươi lăm"),
        (31, "ba mươi mốt"),
        (55, "năm mươi lăm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (999, "chín trăm chín mươi chín"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm linh năm"),
        (1010, "một nghìn không trăm mười"),
        (10000, "mười nghìn"),
        (21004, "hai mươi mốt nghìn không trăm linh bốn"),
        (1_000_000, "một triệu"),
        (1_000_005, "một triệu không trăm linh năm"),
        (1_005_000, "một triệu không trăm linh năm nghìn"),
        (
            999_999_999,
            "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín",
        ),
        (1_000_000_000, "một tỷ"),
    ],
)
def test_number_words(n: int, words: str) -> None:
    assert number_words(n) == words


def test_a_negative_number_has_no_words() -> None:
    with pytest.raises(ValueError):
        number_words(-1)


@given(st.integers(min_value=0, max_value=999_999_999))
def test_words_are_words_and_linh_only_bridges_a_zero_ten(n: int) -> None:
    words = number_words(n)
    assert not re.search(r"\d", words)
    assert words == " ".join(words.split())
    # "linh" stands for an empty tens place before a unit, inside a group that has hundreds said.
    groups = [n // 1_000_000, n // 1000 % 1000, n % 1000]
    expected_linh = sum(
        1
        for index, group in enumerate(groups)
        if group % 100 in range(1, 10) and (group >= 100 or any(groups[:index]))
    )
    assert words.split().count("linh") == expected_linh
    # "mốt" and "tư" only after "mươi"; "lăm" only after "mười"/"mươi".
    tokens = words.split()
    for before, after in itertools.pairwise(tokens):
        if after in ("mốt", "tư"):
            assert before == "mươi"
        if after == "lăm":
            assert before in ("mười", "mươi")


@pytest.mark.parametrize(
    ("letter", "name"),
    [
        ("A", "a"),
        ("B", "bê"),
        ("C", "xê"),
        ("D", "dê"),
        ("Đ", "đê"),
        ("E", "e"),
        ("G", "giê"),
        ("H", "hát"),
        ("K", "ca"),
        ("L", "e-lờ"),
        ("M", "em-mờ"),
        ("N", "en-nờ"),
        ("P", "pê"),
        ("Q", "quy"),
        ("S", "ét-xì"),
        ("T", "tê"),
        ("V", "vê"),
        ("X", "ích-xì"),
        ("W", "vê kép"),
        ("Y", "i dài"),
        ("b", "bê"),
    ],
)
def test_letter_names(letter: str, name: str) -> None:
    assert letter_name(letter) == name


def test_every_prefix_letter_has_a_name() -> None:
    for code in range(ord("A"), ord("Z") + 1):
        assert letter_name(chr(code))


@pytest.mark.parametrize("letter", ["1", "Ă", "", "AB"])
def test_a_non_letter_has_no_name(letter: str) -> None:
    with pytest.raises(ValidationError) as caught:
        letter_name(letter)
    assert str(caught.value)


@pytest.mark.parametrize(
    ("ticket", "words"),
    [
        ("A023", "A không trăm hai mươi ba"),
        ("A005", "A không trăm linh năm"),
        ("A010", "A không trăm mười"),
        ("A100", "A một trăm"),
        ("B023", "bê không trăm hai mươi ba"),
        ("E001", "E không trăm linh một"),
        ("A1023", "A một nghìn không trăm hai mươi ba"),
        ("A0023", "A không trăm hai mươi ba"),
        ("A23", "A hai mươi ba"),
        ("AB024", "A bê không trăm hai mươi tư"),
        (" a023 ", "A không trăm hai mươi ba"),
    ],
)
def test_tickets_read_in_words(ticket: str, words: str) -> None:
    assert read_ticket(ticket, NumberReading.WORDS) == words


@pytest.mark.parametrize(
    ("ticket", "spoken"),
    [
        ("A023", "A, không, hai, ba"),
        ("B1005", "bê, một, không, không, năm"),
        ("HT007", "hát, tê, không, không, bảy"),
    ],
)
def test_tickets_read_digit_by_digit(ticket: str, spoken: str) -> None:
    assert read_ticket(ticket, NumberReading.DIGITS) == spoken


@pytest.mark.parametrize("ticket", ["", "023", "A", "ABC023", "A-023", "A02x", "Ă023"])
def test_what_is_not_a_ticket_is_refused_with_a_sentence(ticket: str) -> None:
    with pytest.raises(ValidationError) as caught:
        read_ticket(ticket, NumberReading.WORDS)
    assert "A023" in str(caught.value)


@pytest.mark.parametrize(("label", "spoken"), [("03", "ba"), ("12", "mười hai"), ("1", "một"), ("A1", "A1")])
def test_counters_are_read_as_cardinals(label: str, spoken: str) -> None:
    assert read_counter(label) == spoken


def test_the_default_sentence_of_queue_md() -> None:
    assert (
        call_sentence(DEFAULT_CALL_TEMPLATE, "A023", "03")
        == "Kính mời công dân có số thứ tự A không trăm hai mươi ba đến quầy số ba."
    )


def test_the_sentence_digit_by_digit() -> None:
    assert (
        call_sentence(DEFAULT_CALL_TEMPLATE, "A023", "12", reading=NumberReading.DIGITS)
        == "Kính mời công dân có số thứ tự A, không, hai, ba đến quầy số mười hai."
    )


def test_the_service_area_placeholder() -> None:
    template = "Mời công dân số {so}, lĩnh vực {dich_vu}, đến quầy {quay}!"
    assert (
        call_sentence(template, "B105", "04", "Đất  đai")
        == "Mời công dân số bê một trăm linh năm, lĩnh vực Đất đai, đến quầy bốn!"
    )


def test_spaces_are_collapsed_and_an_empty_service_leaves_no_gap() -> None:
    template = "  Mời  số {so} {dich_vu} đến quầy {quay}  "
    assert call_sentence(template, "A001", "02") == "Mời số A không trăm linh một đến quầy hai."


def test_a_trailing_comma_becomes_a_full_stop() -> None:
    assert (
        call_sentence("Mời số {so} tới quầy {quay} ,", "A001", "02")
        == "Mời số A không trăm linh một tới quầy hai."
    )


def test_the_phrases_split_the_sentence_into_fixed_words_and_values() -> None:
    phrases = call_phrases(DEFAULT_CALL_TEMPLATE, "A023", "03")
    assert phrases == (
        ("Kính mời công dân có số thứ tự ", True),
        ("A không trăm hai mươi ba", False),
        (" đến quầy số ", True),
        ("ba.", False),
    )


def test_the_fixed_phrases_are_the_same_for_every_call() -> None:
    def fixed(ticket: str, counter: str) -> list[str]:
        return [text for text, is_fixed in call_phrases(DEFAULT_CALL_TEMPLATE, ticket, counter) if is_fixed]

    assert fixed("A023", "03") == fixed("B1005", "12") == ["Kính mời công dân có số thứ tự ", " đến quầy số "]


templates = st.lists(
    st.one_of(
        st.sampled_from(["{so}", "{quay}", "{dich_vu}"]),
        st.text(alphabet="Mời số đến quầy ,.!:-  ", max_size=12),
    ),
    max_size=6,
).map(lambda parts: "{so}" + "".join(parts))


@given(
    template=templates,
    number=st.integers(min_value=0, max_value=99_999),
    width=st.integers(min_value=2, max_value=5),
    counter=st.integers(min_value=1, max_value=99),
    service=st.sampled_from(["", "Đất đai", "  Hộ tịch  "]),
    reading=st.sampled_from(list(NumberReading)),
)
def test_joined_phrases_are_the_sentence(
    template: str, number: int, width: int, counter: int, service: str, reading: NumberReading
) -> None:
    ticket = f"A{number:0{width}d}"
    phrases = call_phrases(template, ticket, f"{counter:02d}", service, reading)
    sentence = call_sentence(template, ticket, f"{counter:02d}", service, reading)
    assert "".join(text for text, _fixed in phrases) == sentence
    assert sentence[-1] in ".!?…"
    assert "  " not in sentence and sentence == sentence.strip()
    assert all(text for text, _fixed in phrases)
    assert read_ticket(ticket, reading) in sentence


def test_check_call_template_normalises_spaces() -> None:
    assert check_call_template("  Mời   số {so}\n đến quầy {quay} ") == "Mời số {so} đến quầy {quay}"
    assert check_call_template(DEFAULT_CALL_TEMPLATE) == DEFAULT_CALL_TEMPLATE


@pytest.mark.parametrize(
    ("template", "said"),
    [
        ("Mời đến quầy {quay}", "{so}"),
        ("", ""),
        ("Mời số {so} đến {ban}", "{ban}"),
        ("Mời số {so!r}", "{so!r}"),
        ("Mời số {so:>5}", "{so:>5}"),
        ("Mời số {} {so}", "{}"),
        ("Mời số {so đến quầy", "{so}"),
        ("Mời số {so} đến quầy }", "{so}"),
    ],
)
def test_check_call_template_refuses_with_a_sentence(template: str, said: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_call_template(template)
    assert said in str(caught.value)


def test_a_broken_template_cannot_make_a_sentence() -> None:
    with pytest.raises(ValidationError):
        call_sentence("Mời số {so", "A023", "03")


def test_check_number_reading() -> None:
    assert check_number_reading(" Digits ") == "digits"
    assert check_number_reading("words") == "words"
    with pytest.raises(ValidationError):
        check_number_reading("loud")
