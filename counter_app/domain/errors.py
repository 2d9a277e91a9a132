"""The one error hierarchy. Every message is a complete, translated sentence.

The CLI and the UI show ``str(error)`` as it is; nothing user-facing is built from a
traceback. Subclasses say *what kind* of failure it was so callers (and exit codes) can tell.
"""

from __future__ import annotations


class AppError(Exception):
    """A failure the user can understand and act on; the message is already translated."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(AppError):
    """The input is malformed or breaks a rule; nothing was written."""


class NotFoundError(AppError):
    """A named thing (service area, counter, user, ticket) does not exist."""


class ConflictError(AppError):
    """The request is valid but the current state forbids it (closed counter, ticket already called)."""


class PermissionDeniedError(AppError):
    """The acting user's role does not allow the operation."""

    exit_code = 3


class AuthenticationError(AppError):
    """Wrong user name or password, or a locked or disabled account."""

    exit_code = 3


class ConfigError(AppError):
    """The configuration file or an environment override is unusable."""

    exit_code = 2


class DatabaseUnavailableError(AppError):
    """The database cannot be reached or opened."""

    exit_code = 4
