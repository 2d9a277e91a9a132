"""Sync API v1 (shared/central/api.md), as the server reads it: statuses, events, codes, signatures.

A copy of the contract, not an import of counter_app: the central backend is a separate building.
"""

from __future__ import annotations

import hashlib
import hmac
import re

API_PREFIX = "/api/v1"
MAX_EVENTS = 500
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_SKEW_SECONDS = 300
REPLAY_WINDOW_SECONDS = 600

RECEIVED = "received"
SUPPLEMENT_REQUESTED = "supplement_requested"
SUPPLEMENTED = "supplemented"
REFUSED = "refused"
TRANSFERRED = "transferred"
RESULT_READY = "result_ready"
DELAYED = "delayed"
RETURNED = "returned"
WITHDRAWN = "withdrawn"
RATED = "rated"

STATUSES = frozenset(
    {RECEIVED, SUPPLEMENT_REQUESTED, REFUSED, TRANSFERRED, RESULT_READY, DELAYED, RETURNED, WITHDRAWN}
)
EVENT_TYPES = frozenset({*STATUSES, SUPPLEMENTED, RATED})
# The first event of a dossier carries the whole dossier under payload["dossier"].
FIRST_EVENT_TYPES = frozenset({RECEIVED, SUPPLEMENT_REQUESTED, REFUSED})

# statuses.md, "Allowed transitions"; ``None`` is a dossier the server does not hold yet.
TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: FIRST_EVENT_TYPES,
    SUPPLEMENT_REQUESTED: frozenset({RECEIVED, WITHDRAWN, REFUSED}),
    RECEIVED: frozenset({TRANSFERRED, RESULT_READY, SUPPLEMENT_REQUESTED, DELAYED, WITHDRAWN, REFUSED}),
    TRANSFERRED: frozenset({TRANSFERRED, RESULT_READY, SUPPLEMENT_REQUESTED, DELAYED, WITHDRAWN, REFUSED}),
    DELAYED: frozenset({TRANSFERRED, RESULT_READY, WITHDRAWN}),
    RESULT_READY: frozenset({RETURNED}),
    REFUSED: frozenset(),
    RETURNED: frozenset(),
    WITHDRAWN: frozenset(),
}

AGENCY_CODE = r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}|[A-Z]\d{2}\.\d{3}\.\d{2}"
AGENCY_CODE_RE = re.compile(rf"^(?:{AGENCY_CODE})$")
DOSSIER_CODE_RE = re.compile(rf"^(?P<agency>{AGENCY_CODE})-(?P<day>\d{{6}})-(?P<seq>\d{{4,20}})$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def is_agency_code(text: str) -> bool:
    return AGENCY_CODE_RE.match(text) is not None


def agency_of(dossier_code: str) -> str | None:
    """The agency-code prefix of a dossier code, or None when the text is not a dossier code."""
    match = DOSSIER_CODE_RE.match(dossier_code)
    return match["agency"] if match else None


def next_status(current: str | None, event_type: str) -> str | None:
    """The dossier's status after the event, or None when the status table forbids it.

    ``received`` is only a first event: completing a supplement is ``supplemented``. ``rated`` is
    allowed at any time after the first event and leaves the status as it is.
    """
    if event_type == RATED:
        return current
    if event_type == SUPPLEMENTED:
        return RECEIVED if current == SUPPLEMENT_REQUESTED else None
    if event_type == RECEIVED and current is not None:
        return None
    if event_type in TRANSITIONS.get(current, frozenset()):
        return event_type
    return None


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def signing_string(method: str, path: str, timestamp: str | int, body: bytes) -> str:
    return f"{method.upper()}\n{path}\n{timestamp}\n{body_digest(body)}"


def signature(secret: str, method: str, path: str, timestamp: str | int, body: bytes) -> str:
    """hex HMAC-SHA256(secret, METHOD \\n PATH \\n TIMESTAMP \\n hex(SHA-256(body))); PATH without query."""
    message = signing_string(method, path, timestamp, body).encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
