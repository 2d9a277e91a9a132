"""The Vietnamese catalogue is complete, faithful to its placeholders, and compiled.

Every message id is extracted from the source tree exactly as ``scripts/i18n.sh`` does, so a
new ``_()`` call without a translation fails here, as does a ``.po`` edited without recompiling
the ``.mo``. No database is needed.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from counter_app.i18n import DOMAIN, LOCALE_DIR, _, current_language, set_language

REPO_ROOT = Path(__file__).resolve().parents[1]
# Same directories and keywords as scripts/i18n.sh.
SOURCE_DIRS = ("counter_app", "ui", "printing", "devices")
KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "N_": None, "ngettext": (1, 2)}
PO_FILE = LOCALE_DIR / "vi" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO_FILE = PO_FILE.with_suffix(".mo")

# {name}, {name!r}, {name:>3}; "{{" and "}}" are literal braces, not placeholders.
BRACE_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
# %s, %r, %(name)s, %-5d, %.2f, and the literal %%.
PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")


@cache
def vietnamese() -> Catalog:
    with PO_FILE.open("rb") as handle:
        return read_po(handle, locale="vi")


def translated_messages() -> list[Message]:
    return [m for m in vietnamese() if m.id]


def as_tuple(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """A message id or translation as a tuple (plural entries have several); ``None`` is empty."""
    if value is None:
        return ("",)
    return (value,) if isinstance(value, str) else tuple(value)


def extracted_ids() -> dict[str | tuple[str, ...], str]:
    """Every message id in the source tree, with one place it is used (for the failure message)."""
    found: dict[str | tuple[str, ...], str] = {}
    for name in SOURCE_DIRS:
        folder = REPO_ROOT / name
        if not folder.is_dir():
            continue
        for filename, lineno, message, _comments, _context in extract_from_dir(folder, keywords=KEYWORDS):
            key = message if isinstance(message, str) else tuple(message)
            found.setdefault(key, f"{name}/{filename}:{lineno}")
    return found


def brace_fields(text: str) -> set[str]:
    names = set()
    for match in BRACE_FIELD.finditer(text):
        if match.group(1) is not None:
            names.add(re.split(r"[!:]", match.group(1), maxsplit=1)[0])
    return names


def percent_fields(text: str) -> Counter[str]:
    return Counter(PERCENT_FIELD.findall(text))


def message_id(message: Message) -> str:
    return as_tuple(message.id)[0]


def test_extraction_finds_the_messages() -> None:
    # Guards the other tests against passing vacuously (wrong folder, wrong keywords).
    found = extracted_ids()
    assert "Wrong user name or password." in found
    assert "usage: " in found  # an N_() entry of argparse_i18n.py
    assert len(found) > 100


def test_catalogue_header() -> None:
    catalog = vietnamese()
    assert str(catalog.locale) == "vi"
    assert catalog.plural_forms == "nplurals=1; plural=0;"
    assert catalog.charset.lower() == "utf-8"
    assert not catalog.fuzzy


def test_every_source_message_has_a_vietnamese_translation() -> None:
    catalog = vietnamese()
    problems = []
    for msgid, where in sorted(extracted_ids().items(), key=lambda item: str(item[0])):
        entry = catalog.get(msgid)
        if entry is None:
            problems.append(f"not in the .po (run scripts/i18n.sh): {msgid!r} ({where})")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {msgid!r} ({where})")
        elif not all(as_tuple(entry.string)):
            problems.append(f"untranslated: {msgid!r} ({where})")
    assert not problems, "\n".join(problems)


def test_placeholders_match_between_id_and_translation() -> None:
    problems = []
    for message in translated_messages():
        ids = as_tuple(message.id)
        for text in as_tuple(message.string):
            if not text:
                continue  # reported by the completeness test
            # Plural forms must each keep the placeholders of the plural id; Vietnamese has one.
            source = ids[-1]
            if brace_fields(text) != brace_fields(source):
                problems.append(f"{{}} fields differ: {source!r} -> {text!r}")
            if percent_fields(text) != percent_fields(source):
                problems.append(f"% fields differ: {source!r} -> {text!r}")
    assert not problems, "\n".join(problems)


def test_translations_keep_the_edges_of_the_message() -> None:
    """Same leading/trailing whitespace ("Password: ", "...\\n"), and a sentence ends as its id does."""
    problems = []
    for message in translated_messages():
        source = message_id(message)
        for text in as_tuple(message.string):
            if not text:
                continue
            if text[len(text.rstrip()) :] != source[len(source.rstrip()) :] or (
                text[: len(text) - len(text.lstrip())] != source[: len(source) - len(source.lstrip())]
            ):
                problems.append(f"whitespace at the edges differs: {source!r} -> {text!r}")
            end = source.rstrip()[-1:]
            if end in {".", ":", "?", "!"} and not text.rstrip().endswith(end):
                problems.append(f"should end with {end!r}: {source!r} -> {text!r}")
    assert not problems, "\n".join(problems)


def test_translations_are_nfc() -> None:
    not_nfc = [
        message_id(m)
        for m in translated_messages()
        if not all(unicodedata.is_normalized("NFC", text) for text in as_tuple(m.string))
    ]
    assert not not_nfc, "translations not in NFC (decomposed diacritics): " + ", ".join(map(repr, not_nfc))


def _messages_of(translations: gettext.GNUTranslations) -> dict[object, str]:
    catalog: dict[object, str] = vars(translations)["_catalog"]
    return catalog


def test_compiled_catalogue_is_up_to_date() -> None:
    fresh_bytes = BytesIO()
    write_mo(fresh_bytes, vietnamese())
    fresh_bytes.seek(0)
    fresh = _messages_of(gettext.GNUTranslations(fresh_bytes))
    assert MO_FILE.is_file(), f"{MO_FILE} is missing: run scripts/i18n.sh"
    with MO_FILE.open("rb") as handle:
        shipped = _messages_of(gettext.GNUTranslations(handle))
    stale = sorted(repr(key) for key in fresh.keys() | shipped.keys() if fresh.get(key) != shipped.get(key))
    assert not stale, f"{MO_FILE.name} differs from the .po (run scripts/i18n.sh compile): " + ", ".join(
        stale
    )


@pytest.fixture
def restore_language() -> Iterator[None]:
    previous = current_language()
    try:
        yield
    finally:
        set_language(previous)


@pytest.mark.usefixtures("restore_language")
def test_set_language_switches_the_translation() -> None:
    english = "Wrong user name or password."
    entry = vietnamese().get(english)
    assert entry is not None
    expected = as_tuple(entry.string)[0]
    assert expected
    assert expected != english

    set_language("vi")
    assert current_language() == "vi"
    assert _(english) == expected

    set_language("en")
    assert current_language() == "en"
    assert _(english) == english

    set_language("vi")
    assert _(english) == expected
