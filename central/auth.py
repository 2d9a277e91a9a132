"""Request authentication: X-Centre / X-Timestamp / X-Signature (HMAC-SHA256), skew and replay checks."""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.contract import MAX_SKEW_SECONDS, REPLAY_WINDOW_SECONDS, signature
from central.models import Centre, RequestSignature
from central.secrets import MasterKey

log = logging.getLogger("central.auth")

Clock = Callable[[], datetime]
_TIMESTAMP_RE = re.compile(r"^-?\d{1,12}$")
_SIGNATURE_RE = re.compile(r"^[0-9a-fA-F]{64}$")


class AuthError(Exception):
    """Answered 401; the message is safe to show (no secret, no expected signature)."""


def authenticate(
    engine: Engine,
    key: MasterKey,
    clock: Clock,
    *,
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
) -> str:
    """The centre code of a correctly signed, fresh, first-seen request; AuthError otherwise."""
    centre_code = headers.get("x-centre", "").strip()
    timestamp = headers.get("x-timestamp", "").strip()
    given = headers.get("x-signature", "").strip()
    if not centre_code or not timestamp or not given:
        raise AuthError("missing X-Centre, X-Timestamp or X-Signature")
    if not _TIMESTAMP_RE.match(timestamp):
        raise AuthError("X-Timestamp must be Unix seconds")
    now = clock()
    if abs(now.timestamp() - int(timestamp)) > MAX_SKEW_SECONDS:
        raise AuthError(f"X-Timestamp is more than {MAX_SKEW_SECONDS} s away from the server's clock")
    if not _SIGNATURE_RE.match(given):
        raise AuthError("X-Signature must be 64 hex digits")
    given = given.lower()
    with Session(engine) as session:
        centre = session.get(Centre, centre_code)
        if centre is None or not centre.active:
            raise AuthError("unknown or inactive centre")
        secret = key.decrypt(centre.code, centre.secret_encrypted)
    if secret is None:
        log.error("centre %s: its stored secret does not decrypt with this master key", centre_code)
        raise AuthError("unknown or inactive centre")
    expected = signature(secret, method, path, timestamp, body)
    if not hmac.compare_digest(expected, given):
        raise AuthError("wrong signature")
    try:
        with Session(engine) as session, session.begin():
            # Prune what left the window; rows another request is pruning now are skipped, not waited on.
            stale = (
                select(RequestSignature.signature)
                .where(RequestSignature.seen_at < now - timedelta(seconds=REPLAY_WINDOW_SECONDS))
                .with_for_update(skip_locked=True)
            )
            session.execute(delete(RequestSignature).where(RequestSignature.signature.in_(stale)))
            session.execute(
                insert(RequestSignature).values(signature=given, centre_code=centre_code, seen_at=now)
            )
    except IntegrityError:
        log.warning("centre %s: replayed request refused", centre_code)
        raise AuthError("replayed request (this signature was already used)") from None
    return centre_code
