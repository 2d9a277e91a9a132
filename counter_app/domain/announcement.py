"""The spoken call: Vietnamese number words, letter names and the centre's sentence (queue.md, "Calling").

Pure rules, so the display, the CLI and the tests all say the same words. The voice renders the sentence in
pieces: the template's own words are the same for every call (their audio is cached), only the ticket, the
counter and the service area change (:func:`call_phrases`).

How a ticket number is read in words, "as written" on the ticket:

* a number of 1000 or more is read as the cardinal it is: ``A1023`` → "một nghìn không trăm hai mươi ba";
* a number written with three or more digits and below 1000 is read as a full group of three, hundreds
  included: ``A023`` → "không trăm hai mươi ba", ``A005`` → "không trăm linh năm"; a 4-digit ``A0023`` is read
  the same way as ``A023`` (the zero thousands are not said: "không nghìn" is not heard in any centre);
* a number written with one or two digits is read as the plain cardinal: ``A05`` → "năm", ``A23`` → "hai
  mươi ba".
"""

from __future__ import annotations

import re
from enum import StrEnum
from string import Formatter

from counter_app.domain.errors import ValidationError
from counter_app.i18n import _


class NumberReading(StrEnum):
    """How the ticket is read: a number in words (the default) or digit by digit (clearer in a noisy hall)."""

    WORDS = "words"
    DIGITS = "digits"


PLACEHOLDERS = ("so", "quay", "dich_vu")
DEFAULT_CALL_TEMPLATE = "Kính mời công dân có số thứ tự {so} đến quầy số {quay}"

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ((1_000_000, "triệu"), (1_000, "nghìn"), (1, ""))
_BILLION = 1_000_000_000

_LETTERS = {
    "A": "a",
    "B": "bê",
    "C": "xê",
    "D": "dê",
    "Đ": "đê",
    "E": "e",
    "F": "ép",
    "G": "giê",
    "H": "hát",
    "I": "i",
    "J": "gi",
    "K": "ca",
    "L": "e-lờ",
    "M": "em-mờ",
    "N": "en-nờ",
    "O": "o",
    "P": "pê",
    "Q": "quy",
    "R": "e-rờ",
    "S": "ét-xì",
    "T": "tê",
    "U": "u",
    "V": "vê",
    "W": "vê kép",
    "X": "ích-xì",
    "Y": "i dài",
    "Z": "dét",
}
_TICKET = re.compile(r"^([A-ZĐ]{1,2})([0-9]{1,9})$")
_FINAL_PUNCTUATION = ".!?…"


# -- numbers -------------------------------------------------------------------------------------------
def number_words(n: int) -> str:
    """``n`` as Vietnamese words: 24 → "hai mươi tư", 105 → "một trăm linh năm", 2000 → "hai nghìn"."""
    if n < 0:
        raise ValueError("number_words() takes a number of 0 or more")
    if n == 0:
        return _DIGITS[0]
    return " ".join(_words(n, full=False))


def _words(n: int, full: bool) -> list[str]:
    """Words of ``n`` > 0; ``full``: a higher group was already said, so hundreds and "linh" are kept."""
    if n >= _BILLION:
        high, low = divmod(n, _BILLION)
        words = [*_words(high, full), "tỷ"]
        return words + _words(low, full=True) if low else words
    words = []
    for scale, name in _SCALES:
        group = n // scale % 1000
        if group == 0:
            continue  # "một triệu không trăm linh năm": an empty group is skipped with its name
        words += _group_words(group, full)
        if name:
            words.append(name)
        full = True
    return words


def _group_words(group: int, full: bool) -> list[str]:
    """One group of three digits (1–999); ``full`` keeps "không trăm" and "linh" (not the first group)."""
    hundreds, rest = divmod(group, 100)
    tens, units = divmod(rest, 10)
    words = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += ["linh", _DIGITS[units]] if words else [_DIGITS[units]]
        return words
    if tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
        return words
    words += [_DIGITS[tens], "mươi"]
    if units:
        words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, _DIGITS[units]))
    return words


# -- letters and tickets -------------------------------------------------------------------------------
def letter_name(letter: str) -> str:
    """The Vietnamese name of a prefix letter: B → "bê", L → "e-lờ", Đ → "đê"."""
    name = _LETTERS.get(letter.strip().upper())
    if name is None:
        raise ValidationError(_("'{letter}' is not a letter a ticket can start with.").format(letter=letter))
    return name


def _spoken_letter(letter: str) -> str:
    """A letter whose name is the letter itself is written as the capital ("A", "E"): it reads as written."""
    name = letter_name(letter)
    return letter if name == letter.lower() else name


def parse_ticket(number: str) -> tuple[str, str]:
    """``"A023"`` → ``("A", "023")``; anything else is refused with a sentence."""
    match = _TICKET.match(number.strip().upper())
    if match is None:
        raise ValidationError(
            _("'{number}' is not a ticket number: one or two letters then digits, e.g. A023.").format(
                number=number
            )
        )
    return match.group(1), match.group(2)


def read_ticket(number: str, reading: NumberReading = NumberReading.WORDS) -> str:
    """The ticket as said aloud: "A không trăm hai mươi ba", or digit by digit "A, không, hai, ba"."""
    prefix, digits = parse_ticket(number)
    letters = [_spoken_letter(letter) for letter in prefix]
    if reading is NumberReading.DIGITS:
        return ", ".join([*letters, *(_DIGITS[int(d)] for d in digits)])
    return " ".join([*letters, _digits_in_words(digits)])


def _digits_in_words(digits: str) -> str:
    """The number as written (module docstring): a written group of three keeps its hundreds."""
    value = int(digits)
    if value == 0 or value >= 1000 or len(digits) < 3:
        return number_words(value)
    return " ".join(_group_words(value, full=True))


def read_counter(label: str) -> str:
    """A counter is read as a cardinal ("03" → "ba", "12" → "mười hai"); a label such as "A1" as written."""
    value = label.strip()
    if value.isascii() and value.isdigit():
        return number_words(int(value))
    return value


# -- the call sentence ---------------------------------------------------------------------------------
def _parse_template(template: str) -> list[tuple[str, str | None]]:
    """The template as (literal text, placeholder or None) pairs, refusing what cannot be filled."""
    try:
        parsed = list(Formatter().parse(template))
    except ValueError as exc:
        raise ValidationError(
            _("The call sentence has an unmatched brace; write placeholders as {example}.").format(
                example="{so}"
            )
        ) from exc
    pieces: list[tuple[str, str | None]] = []
    for literal, field, spec, conversion in parsed:
        if field is not None and (field not in PLACEHOLDERS or spec or conversion):
            written = (
                "{" + field + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
            )
            raise ValidationError(
                _("The call sentence has an unknown placeholder {name}; the known ones are {known}.").format(
                    name=written, known=", ".join("{" + p + "}" for p in PLACEHOLDERS)
                )
            )
        pieces.append((literal, field))
    return pieces


def check_call_template(raw: str) -> str:
    """The setting's check: spaces normalised, ``{so}`` present, only known placeholders, braces matched."""
    template = " ".join(raw.split())
    if not template:
        raise ValidationError(_("The call sentence must not be empty."))
    fields = {field for _literal, field in _parse_template(template)}
    if "so" not in fields:
        raise ValidationError(
            _("The call sentence must contain {placeholder} where the ticket number is read.").format(
                placeholder="{so}"
            )
        )
    return template


def check_number_reading(raw: str) -> str:
    """The setting's check: "words" or "digits"."""
    value = raw.strip().lower()
    if value not in {reading.value for reading in NumberReading}:
        raise ValidationError(_("The ticket reading must be 'words' or 'digits'."))
    return value


def call_phrases(
    template: str,
    ticket: str,
    counter: str,
    service_name: str = "",
    reading: NumberReading = NumberReading.WORDS,
) -> tuple[tuple[str, bool], ...]:
    """The sentence in pieces, ``(text, fixed)``: joined they give :func:`call_sentence` exactly.

    ``fixed`` pieces come from the template and are the same for every call, so their audio can be cached;
    the ticket, the counter and the service area are not fixed. Spaces are collapsed across the pieces (a
    piece never starts with a space that the one before ended with) and the last piece gets the full stop.
    """
    values = {
        "so": read_ticket(ticket, reading),
        "quay": read_counter(counter),
        "dich_vu": service_name,
    }
    raw: list[tuple[str, bool]] = []
    for literal, field in _parse_template(template):
        raw.append((literal, True))
        if field is not None:
            raw.append((values[field], False))
    pieces: list[tuple[str, bool]] = []
    after_space = True  # the start of the sentence counts as a space: no leading blank
    for given, fixed in raw:
        text = re.sub(r"\s+", " ", given)
        if after_space:
            text = text.lstrip(" ")
        if not text:
            continue
        if fixed and pieces and pieces[-1][1]:  # an empty value between two literals: one fixed piece
            text = pieces.pop()[0] + text
        pieces.append((text, fixed))
        after_space = text.endswith(" ")
    while pieces and not pieces[-1][0].strip():
        pieces.pop()
    if not pieces:
        return ()
    text, fixed = pieces[-1]
    text = text.rstrip(" ")
    if text[-1] not in _FINAL_PUNCTUATION:
        text = text.rstrip(",;:-– ") + "."  # "… quầy {quay}," ends as a sentence, not ",."
    pieces[-1] = (text, fixed)
    return tuple(pieces)


def call_sentence(
    template: str,
    ticket: str,
    counter: str,
    service_name: str = "",
    reading: NumberReading = NumberReading.WORDS,
) -> str:
    """The whole sentence, e.g. "Kính mời công dân có số thứ tự A không trăm hai mươi ba đến quầy số ba."."""
    return "".join(text for text, _fixed in call_phrases(template, ticket, counter, service_name, reading))
