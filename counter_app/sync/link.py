"""The centre's link to central: configured once, read by the worker, updated after every attempt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select

from counter_app.db.database import Database
from counter_app.db.models import SyncLink
from counter_app.domain.dossier import check_agency_code
from counter_app.domain.errors import NotFoundError, ValidationError
from counter_app.i18n import _

LINK_ID = 1


@dataclass(frozen=True)
class Link:
    url: str
    centre: str
    secret: str

    def __repr__(self) -> str:  # never the secret, in a log or a traceback
        return f"Link(url={self.url!r}, centre={self.centre!r})"


@dataclass(frozen=True)
class LinkState:
    url: str
    centre: str
    configured_at: datetime
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    failures: int


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(
            _("The central address must start with https:// (or http:// for a test server).")
        )
    return url.strip().rstrip("/")


def configure(db: Database, url: str, centre: str, secret: str, now: datetime) -> LinkState:
    """Store (or replace) the link; the secret is kept as given and never shown again."""
    clean_url, code, key = check_url(url), check_agency_code(centre), secret.strip()
    if len(key) < 16:
        raise ValidationError(_("The secret file does not hold a centre secret (at least 16 characters)."))
    with db.transaction() as session:
        link = session.get(SyncLink, LINK_ID)
        if link is None:
            link = SyncLink(id=LINK_ID, failures=0)
            session.add(link)
        link.url, link.centre_code, link.secret, link.configured_at = clean_url, code, key, now
        link.last_error, link.failures = None, 0
        session.flush()
        return _state(link)


def load_link(db: Database) -> Link:
    with db.reading() as session:
        link = session.get(SyncLink, LINK_ID)
        if link is None:
            raise NotFoundError(_("The link to central is not configured: run 'counter-app sync configure'."))
        return Link(link.url, link.centre_code, link.secret)


def link_state(db: Database) -> LinkState | None:
    with db.reading() as session:
        link = session.scalars(select(SyncLink).where(SyncLink.id == LINK_ID)).first()
        return _state(link) if link is not None else None


def record_attempt(db: Database, now: datetime, *, error: str | None) -> int:
    """Note how an attempt ended; returns the failures in a row (0 after a success)."""
    with db.transaction() as session:
        link = session.get(SyncLink, LINK_ID)
        if link is None:
            return 0
        link.last_attempt_at = now
        if error is None:
            link.last_success_at, link.last_error, link.failures = now, None, 0
        else:
            link.last_error, link.failures = error[:500], link.failures + 1
        return link.failures


def _state(link: SyncLink) -> LinkState:
    return LinkState(
        link.url,
        link.centre_code,
        link.configured_at,
        link.last_attempt_at,
        link.last_success_at,
        link.last_error,
        link.failures,
    )
