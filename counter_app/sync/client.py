"""The sync client: drains the outbox to central in batches, files first, and records the answers.

Safe to kill at any instant: an event is marked acknowledged only after central's answer is committed
locally, and central stores an event once whatever the number of deliveries (``event_id``), so a batch
sent again after a crash, a time-out or a connection dropped mid-answer comes back ``duplicate``.
Failures that a retry can cure (time-outs, dropped connections, 429, 5xx) end the run with the delay
to wait (back-off with jitter, ``Retry-After`` honoured); failures that need a person (401, 403, 400,
413: a wrong secret, a wrong centre, a client bug) end it with the reason, and nothing is dropped.
"""

from __future__ import annotations

import json
import logging
import random
from dataclasses import dataclass, field

import httpx

from counter_app.db.database import Database
from counter_app.domain.clock import Clock, SystemClock
from counter_app.sync import outbox
from counter_app.sync.backoff import parse_retry_after, retry_delay
from counter_app.sync.link import Link, load_link, record_attempt
from counter_app.sync.signing import signed_headers

log = logging.getLogger(__name__)

EVENTS_PATH = "/api/v1/events"
IDLE_SECONDS = 5.0
"""How often a running worker looks at the outbox when there is nothing to send."""


class TransientError(Exception):
    """Retry later: ``retry_after`` is the server's Retry-After in seconds, if it sent one."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class ReplayedError(TransientError):
    """central has seen this exact signature already: the same request signed anew will go through."""


class PermanentError(Exception):
    """A person must act (configuration, credentials); retrying as is will not help."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


@dataclass
class RunReport:
    batches: int = 0
    sent: int = 0
    acknowledged: int = 0
    rejected: int = 0
    uploaded: int = 0
    error: str | None = None
    retry_in: float | None = None  # seconds, when the run stopped on a transient failure
    permanent: bool = False
    drained: bool = False  # nothing left to send (except events held back by a rejection)
    answers: list[outbox.Answer] = field(default_factory=list)


class SyncClient:
    def __init__(
        self,
        db: Database,
        clock: Clock | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        batch_size: int = outbox.BATCH_SIZE,
        rng: random.Random | None = None,
    ) -> None:
        self.db = db
        self.clock = clock or SystemClock()
        self.transport = transport
        self.timeout = timeout
        self.batch_size = batch_size
        self.rng = rng or random.Random()
        self.timestamps = RisingTimestamps(self.clock)

    def run_once(self) -> RunReport:
        """Send what can be sent now; stops at the first failure (the caller waits ``retry_in``)."""
        report = RunReport()
        link = load_link(self.db)
        try:
            with httpx.Client(base_url=link.url, transport=self.transport, timeout=self.timeout) as http:
                while self._one_batch(http, link, report):
                    pass
        except TransientError as failure:
            report.error = str(failure)
            failures = record_attempt(self.db, self.clock.now(), error=report.error)
            report.retry_in = retry_delay(failures, failure.retry_after, self.rng)
            log.info("sync: transient failure (%s), retry in %.1f s", failure, report.retry_in)
            return report
        except PermanentError as failure:
            report.error = str(failure)
            report.permanent = True
            record_attempt(self.db, self.clock.now(), error=report.error)
            log.warning("sync: stopped, a person must act: %s", failure)
            return report
        record_attempt(self.db, self.clock.now(), error=None)
        report.drained = True
        return report

    # -- one batch ---------------------------------------------------------------------------------

    def _one_batch(self, http: httpx.Client, link: Link, report: RunReport) -> bool:
        with self.db.reading() as session:
            batch = outbox.next_batch(session, self.batch_size)
            uploads = outbox.files_to_upload(session, batch)
        if not batch:
            return False
        for sha in uploads:
            self._upload(http, link, sha)
            report.uploaded += 1
        body = json.dumps({"events": [event.wire() for event in batch]}, ensure_ascii=False).encode("utf-8")
        response = self._send(http, link, "POST", EVENTS_PATH, body, content_type="application/json")
        answers = _answers(response, batch)
        with self.db.transaction() as session:
            acknowledged, rejected = outbox.record_answers(session, batch, answers, self.clock.now())
        report.batches += 1
        report.sent += len(batch)
        report.acknowledged += acknowledged
        report.rejected += rejected
        report.answers.extend(answers)
        log.info("sync: batch of %d sent, %d acknowledged, %d rejected", len(batch), acknowledged, rejected)
        return True

    def _upload(self, http: httpx.Client, link: Link, sha256: str) -> None:
        with self.db.reading() as session:
            content, media_type = outbox.file_content(session, sha256)
        self._send(http, link, "PUT", f"/api/v1/files/{sha256}", content, content_type=media_type)
        with self.db.transaction() as session:
            outbox.mark_uploaded(session, sha256, self.clock.now())

    def _send(
        self, http: httpx.Client, link: Link, method: str, path: str, body: bytes, *, content_type: str
    ) -> httpx.Response:
        return send_signed(
            http, link, method, path, body, timestamp=self.timestamps.next(), content_type=content_type
        )


class RisingTimestamps:
    """Request timestamps that never repeat: central refuses a signature it has seen (replay), and a
    batch resent within the same second would otherwise be signed identically."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._last = 0

    def next(self) -> int:
        self._last = max(int(self.clock.now().timestamp()), self._last + 1)
        return self._last


def send_signed(
    http: httpx.Client,
    link: Link,
    method: str,
    path: str,
    body: bytes,
    *,
    timestamp: int,
    content_type: str | None = None,
    params: dict[str, str] | None = None,
) -> httpx.Response:
    """One signed request to central, its failures sorted into transient and permanent.

    Shared by the outbox worker and the catalogue/calendar pulls (sync/pull.py) so both sign and judge
    answers the same way. ``path`` is signed without the query (central verifies the bare path), so
    query arguments go in ``params``. The caller picks ``timestamp`` and must never reuse one for the
    same request: central refuses a signature it has already seen.
    """
    headers = signed_headers(link.centre, link.secret, method, path, body, timestamp=timestamp)
    if content_type is not None:
        headers["Content-Type"] = content_type
    try:
        response = http.request(method, path, content=body, headers=headers, params=params)
    except httpx.TransportError as exc:  # time-out, refused, dropped mid-answer
        raise TransientError(f"{type(exc).__name__}: no answer from central") from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise TransientError(
            f"central answered {response.status_code}",
            parse_retry_after(response.headers.get("Retry-After")),
        )
    if response.status_code == 401 and "replayed" in response.text:
        # Our own earlier attempt with the same second, from a process that was restarted: sign anew.
        raise ReplayedError("central took the request for a replay")
    if response.status_code >= 400:
        raise PermanentError(
            f"central refused the request: {response.status_code} {_short(response)}", response.status_code
        )
    return response


def _answers(response: httpx.Response, batch: list[outbox.OutgoingEvent]) -> list[outbox.Answer]:
    """central's per-event results, checked against what was sent (one each, same ids)."""
    try:
        results = response.json()["results"]
        answers = [
            outbox.Answer(str(item["event_id"]), str(item["status"]), item.get("error"), item.get("message"))
            for item in results
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise TransientError("central's answer could not be read") from exc
    if [a.event_id for a in answers] != [e.event_id for e in batch] or any(
        a.status not in ("accepted", "duplicate", "rejected") for a in answers
    ):
        raise TransientError("central's answer does not match the batch sent")
    return answers


def _short(response: httpx.Response) -> str:
    return response.text[:200].replace("\n", " ")
