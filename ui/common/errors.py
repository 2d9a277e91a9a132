"""The one sentence a window shows for a failure; tracebacks go to the log, never to the screen."""

from __future__ import annotations

import logging

from counter_app.domain.errors import AppError
from counter_app.i18n import _

log = logging.getLogger(__name__)


class UnexpectedError(AppError):
    """A bug or an unforeseen failure, shown as one general sentence (the details are in the log)."""


def as_app_error(exc: Exception) -> AppError:
    """``exc`` if it already carries a translated sentence, else a general one (the trace goes to the log)."""
    if isinstance(exc, AppError):
        return exc
    log.error("unexpected failure in a window: %s", type(exc).__name__, exc_info=exc)
    return UnexpectedError(
        _("Something went wrong and the operation did not finish; nothing was lost. Please try again.")
    )
