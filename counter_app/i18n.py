"""One translation mechanism for every user-facing sentence: GNU gettext catalogues.

Message ids are English; Vietnamese is the default language and its catalogue must be
complete (a test extracts every ``_()`` call and checks it). The language is chosen once at
start-up (``COUNTER_APP_LANG`` or the settings file); ``en`` shows the message ids.
"""

from __future__ import annotations

import gettext
from pathlib import Path

DOMAIN = "counter_app"
LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LANGUAGE = "vi"
SUPPORTED_LANGUAGES = ("vi", "en")


class _Active:
    """The language in force for the whole process (one counter, one language)."""

    translation: gettext.NullTranslations = gettext.NullTranslations()
    language = "en"


def set_language(language: str = DEFAULT_LANGUAGE) -> None:
    """Switch every later ``_()`` call to ``language`` (unknown languages fall back to English)."""
    if language == "en":
        _Active.translation = gettext.NullTranslations()
    else:
        _Active.translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
    _Active.language = language


def current_language() -> str:
    return _Active.language


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _Active.translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _Active.translation.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext name
    """Mark ``message`` for extraction without translating it now (translated where shown)."""
    return message


set_language(DEFAULT_LANGUAGE)
