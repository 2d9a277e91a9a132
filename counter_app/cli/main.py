"""Entry point of ``counter-app``: global options, opening the database, and error handling.

Every failure the user can act on is one translated sentence on stderr and a non-zero exit
status; nothing is written when a command fails (each service call is one transaction).
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

import platformdirs
from sqlalchemy.exc import SQLAlchemyError

from counter_app import __version__
from counter_app.cli import argparse_i18n, commands
from counter_app.cli.output import Output
from counter_app.cli.parsing import Handler
from counter_app.db import migrate
from counter_app.db.database import Database, translate_db_error
from counter_app.domain.clock import Clock
from counter_app.domain.errors import AppError, AuthenticationError, DatabaseUnavailableError
from counter_app.i18n import _, set_language
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.settings import APP_NAME, Settings, load_settings

log = logging.getLogger("counter_app")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="counter-app", description=_("One-Stop Counter: queue and counter tools.")
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"counter-app {__version__}",
        help=_("show the version and exit"),
    )
    parser.add_argument(
        "--db", metavar="URL", help=_("database address (else COUNTER_APP_DB, else the embedded file)")
    )
    parser.add_argument("--json", action="store_true", help=_("machine-readable output"))
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        help=_("act as this account (password from COUNTER_APP_PASSWORD)"),
    )
    commands.register(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    return parser


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """``clock`` lets tests run commands at a chosen instant (reception hours, deadlines)."""
    # The CLI says what matters in Vietnamese itself; the English log is for COUNTER_APP_LOG=INFO/DEBUG.
    # ``force``: python-escpos calls logging.basicConfig() when imported, which would win otherwise.
    logging.basicConfig(
        level=os.environ.get("COUNTER_APP_LOG", "ERROR"),
        format="%(levelname)s %(name)s: %(message)s",
        force=True,
    )
    try:
        settings = load_settings()
    except AppError as exc:
        set_language()
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    set_language(settings.language)
    argparse_i18n.install()
    args = build_parser().parse_args(argv)
    out = Output(args.json)
    try:
        return run(args, settings, out, clock)
    except AppError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except SQLAlchemyError as exc:
        print(
            str(DatabaseUnavailableError(_("The database refused the operation; nothing was changed."))),
            file=sys.stderr,
        )
        log.debug("database error: %s", type(exc).__name__)
        return DatabaseUnavailableError.exit_code
    except KeyboardInterrupt:
        print(_("Interrupted; nothing more was done."), file=sys.stderr)
        return 130
    except Exception:
        report = _write_crash_report()
        print(
            _("An unexpected error occurred; the details were saved to {path}.").format(path=report),
            file=sys.stderr,
        )
        return 70


def run(args: argparse.Namespace, settings: Settings, out: Output, clock: Clock | None = None) -> int:
    handler: Handler = args.handler
    if getattr(args, "no_database", False):
        return handler(None, Actor.system(_console_name()), args, out, settings)
    db = open_database(args.db or settings.resolved_database_url(), upgrade_only=args.command == "db")
    try:
        app = CounterApp(db, clock)
        actor = _actor(app, args.as_user)
        return handler(app, actor, args, out, settings)
    finally:
        db.dispose()


def open_database(url: str, upgrade_only: bool = False) -> Database:
    """Open the database; the embedded SQLite file is brought up to date by itself."""
    db = Database(url)
    if upgrade_only:
        return db
    try:
        if migrate.is_up_to_date(db):
            return db
        if db.is_sqlite:
            migrate.upgrade(db)
            return db
    except SQLAlchemyError as exc:
        db.dispose()
        raise translate_db_error(exc, db) from exc
    db.dispose()
    raise DatabaseUnavailableError(_("The database has not been set up yet: run 'counter-app db upgrade'."))


def _actor(app: CounterApp, username: str | None) -> Actor:
    username = username or os.environ.get("COUNTER_APP_USER")
    if not username:
        return Actor.system(_console_name())
    password = os.environ.get("COUNTER_APP_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise AuthenticationError(
                _("Set COUNTER_APP_PASSWORD to act as '{user}' without a terminal.").format(user=username)
            )
        password = getpass.getpass(_("Password for {user}: ").format(user=username))
    return app.users.authenticate(username, password)


def _console_name() -> str:
    try:
        return f"console:{getpass.getuser()}"
    except (KeyError, OSError):
        return "console"


def _write_crash_report() -> Path:
    folder = Path(platformdirs.user_log_dir(APP_NAME))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "crash.log"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(traceback.format_exc())
        handle.write("\n")
    return path


if __name__ == "__main__":
    raise SystemExit(main())
