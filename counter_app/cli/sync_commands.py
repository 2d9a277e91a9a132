"""``counter-app sync``: link the centre to central, see the backlog, drain it once."""

from __future__ import annotations

import argparse
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from counter_app.cli.output import Output, when
from counter_app.cli.parsing import command as _command
from counter_app.cli.parsing import group as _group
from counter_app.domain.errors import ValidationError
from counter_app.domain.roles import Permission
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.settings import Settings
from counter_app.sync.client import PermanentError, SyncClient, TransientError
from counter_app.sync.link import configure
from counter_app.sync.pull import describe_pull, pull_all
from counter_app.sync.reconcile import reconcile
from counter_app.sync.status import read_sync_status
from counter_app.sync.worker import SyncWorker


def register(subparsers: Any) -> None:
    sync = _group(subparsers, "sync", _("the link to the central one-stop backend"))
    p = _command(sync, "configure", sync_configure, _("store the address, centre code and secret of central"))
    p.add_argument("--url", required=True, help=_("central's address, e.g. https://motcua.example.vn"))
    p.add_argument("--centre", required=True, help=_("the centre code (the agency code)"))
    p.add_argument("--secret-file", required=True, type=Path, help=_("file holding the centre's secret"))
    _command(
        sync, "pull", sync_pull, _("fetch the official calendar and the procedure catalogue from central")
    )
    p = _command(
        sync, "reconcile", sync_reconcile, _("compare the local history with central's, dossier by dossier")
    )
    p.add_argument("codes", nargs="*", help=_("dossier codes (default: every dossier)"))
    _command(sync, "status", sync_status, _("connected or not, events waiting, the last error"))
    p = _command(sync, "run", sync_run, _("send the waiting events to central (until Ctrl+C)"))
    p.add_argument("--once", action="store_true", help=_("send what can be sent, then stop"))


def sync_configure(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    actor.require(Permission.MANAGE_SETTINGS)
    try:
        secret = args.secret_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(
            _("The secret file {path} cannot be read.").format(path=args.secret_file)
        ) from exc
    state = configure(app.db, args.url, args.centre, secret, app.ctx.clock.now())
    out.emit(
        {"url": state.url, "centre": state.centre},
        _("Linked to central at {url} as centre {centre}.").format(url=state.url, centre=state.centre),
    )
    return 0


def sync_status(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    actor.require(Permission.VIEW_DOSSIER)  # rejected events name dossiers
    status = read_sync_status(app)
    state, backlog = status.state, status.backlog
    age = app.ctx.clock.now() - backlog.oldest if backlog.oldest is not None else None
    data = {
        "configured": state is not None,
        "connected": status.connected,
        "waiting": backlog.waiting,
        "oldest_waiting": backlog.oldest,
        "oldest_age_seconds": age.total_seconds() if age is not None else None,
        "last_success_at": state.last_success_at if state else None,
        "last_error": state.last_error if state else None,
        "rejected": [
            {"dossier": code, "seq": seq, "error": error, "message": message}
            for code, seq, error, message in backlog.rejected
        ],
    }
    lines = []
    if state is None:
        lines.append(_("The link to central is not configured."))
    elif data["connected"]:
        lines.append(
            _("Connected to {url} (last exchange {when}).").format(
                url=state.url, when=when(state.last_success_at)
            )
        )
    else:
        lines.append(
            _("Not connected to {url}: {error}").format(url=state.url, error=state.last_error or "—")
        )
    if backlog.waiting:
        lines.append(
            _("{count} events waiting since {when} ({age}).").format(
                count=backlog.waiting, when=when(backlog.oldest), age=_age_words(age)
            )
        )
    else:
        lines.append(_("No event waiting."))
    for code, seq, error, message in backlog.rejected:
        lines.append(
            _("Rejected by central: dossier {code}, event {seq}: {error} {message}").format(
                code=code, seq=seq, error=error, message=message
            )
        )
    out.emit(data, *lines)
    return 0


def sync_run(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    actor.require(Permission.MANAGE_SETTINGS)
    client = SyncClient(app.db, app.ctx.clock)
    if not args.once:
        out.emit({}, _("Sending to central as events are written; Ctrl+C stops."))
        stop = threading.Event()
        try:
            SyncWorker(app).run(stop)
        except KeyboardInterrupt:
            stop.set()
        return 0
    report = client.run_once()
    data = {
        "sent": report.sent,
        "acknowledged": report.acknowledged,
        "rejected": report.rejected,
        "uploaded": report.uploaded,
        "error": report.error,
        "retry_in": report.retry_in,
    }
    lines = [
        _("Sent {sent} events ({acknowledged} acknowledged, {rejected} rejected), {uploaded} files.").format(
            sent=report.sent,
            acknowledged=report.acknowledged,
            rejected=report.rejected,
            uploaded=report.uploaded,
        )
    ]
    if report.error:
        lines.append(_("Stopped: {error}").format(error=report.error))
    out.emit(data, *lines)
    return 0 if report.error is None else 1  # stopped before the backlog was drained


def sync_pull(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    actor.require(Permission.MANAGE_SETTINGS)
    report = pull_all(app)
    data = {
        "years_applied": list(report.years_applied),
        "catalogue_version": report.catalogue_version,
        "updated": list(report.updated),
        "waiting": [{"code": w.code, "name": w.name} for w in report.waiting],
        "offline": report.offline,
        "error": report.error,
    }
    out.emit(data, *describe_pull(report).splitlines())
    return 0 if report.error is None else 1


def sync_reconcile(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    actor.require(Permission.VIEW_DOSSIER)
    try:
        differences = reconcile(app, args.codes)
    except (TransientError, PermanentError) as failure:
        raise ValidationError(_("Central could not be asked: {reason}").format(reason=failure)) from failure
    labels = {
        "missing_on_central": _("missing on central"),
        "unknown_locally": _("unknown locally"),
        "different": _("different"),
    }
    lines = [
        _("Dossier {code}, event {seq}: {kind}{acked}").format(
            code=d.dossier_code,
            seq=d.seq,
            kind=labels[d.kind],
            acked=_(" (marked as delivered)") if d.acknowledged else "",
        )
        for d in differences
    ] or [_("Central holds exactly what this centre holds.")]
    data = [
        {"dossier": d.dossier_code, "seq": d.seq, "kind": d.kind, "acknowledged": d.acknowledged}
        for d in differences
    ]
    out.emit(data, *lines)
    return 0 if not differences else 1


def _age_words(age: timedelta | None) -> str:
    """How long the oldest event has waited, in the largest two units ("3 d 4 h", "12 min")."""
    if age is None:
        return "—"
    minutes = max(0, int(age.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("{days} d {hours} h").format(days=days, hours=hours)
    if hours:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    return _("{minutes} min").format(minutes=minutes)
