"""Diacritic-insensitive search text for Vietnamese names and addresses.

Officers type "nguyen van a" for "Nguyễn Văn Á", scanners and other systems send NFD text, and
SQLite's ``lower()``/``LIKE`` only know ASCII. So the application stores a folded copy of each
searchable value and folds the query the same way; both sides must use these functions.

Folding runs over every stored name when the search column is rebuilt (about a million rows), so
the common case is one ``str.translate`` over a precomputed table; ``unicodedata`` is only used
for the rare characters the table does not know.
"""

from __future__ import annotations

import unicodedata
from typing import Final

# Ranges holding every precomposed Latin letter with diacritics (all 134 Vietnamese ones are in
# Latin-1, Latin Extended-A/B and Latin Extended Additional).
_PRECOMPOSED_RANGES: Final = ((0x00C0, 0x0250), (0x1E00, 0x1F00))
# Combining diacritical marks: what NFD input (macOS, some scanners) carries its tones in.
_COMBINING_MARKS: Final = range(0x0300, 0x0370)


def _build_table() -> dict[int, str | None]:
    """Map each precomposed letter to its bare base letter (case kept), and drop combining marks.

    NFD does not decompose đ/Đ (the stroke is not a combining mark), so they are mapped by hand.
    """
    table: dict[int, str | None] = dict.fromkeys(_COMBINING_MARKS)
    for start, stop in _PRECOMPOSED_RANGES:
        for code in range(start, stop):
            decomposed = unicodedata.normalize("NFD", chr(code))
            base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
            if decomposed != chr(code) and base.isascii() and base:
                table[code] = base
    table[ord("đ")] = "d"
    table[ord("Đ")] = "D"
    return table


_TABLE: Final = _build_table()


def _strip_rare_marks(text: str) -> str:
    """The slow path for characters outside the table (e.g. marks above 0x036F, other scripts)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_TABLE)


def strip_marks(text: str) -> str:
    """Remove Vietnamese (and other Latin) diacritics, keeping case: "Đặng Thị" -> "Dang Thi".

    Used where the text must stay readable but be plain ASCII, e.g. a bank transfer note.
    """
    if text.isascii():
        return text
    stripped = text.translate(_TABLE)
    if stripped.isascii():
        return stripped
    return _strip_rare_marks(stripped)


def fold(text: str) -> str:
    """The search key of ``text``: no diacritics, đ -> d, lower case, single spaces, trimmed.

    Lower-casing comes first because it can itself produce a combining mark ("İ" -> "i̇"),
    which the stripping then removes; that keeps ``fold`` idempotent.
    """
    return " ".join(strip_marks(text.lower()).split())


def fold_query(text: str) -> str:
    """Fold what the officer typed into the search box.

    A separate name so call sites say which side they fold; it must stay identical to ``fold``,
    otherwise stored keys and queries stop matching.
    """
    return fold(text)
