"""The ``central`` command: database upgrade, centres, catalogue, calendar, and the server itself.

Errors are one line on stderr with a non-zero exit; never a traceback, never a secret except the
new one printed once by ``centre add``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from alembic.util.exc import CommandError
from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError

from central import admin, migrate
from central.secrets import KeyFileError, MasterKey, key_file_path

DB_ENV = "CENTRAL_DB"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="central", description="One-Stop Counter central backend.")
    parser.add_argument("--db", default=os.environ.get(DB_ENV), help=f"database URL (or ${DB_ENV})")
    commands = parser.add_subparsers(dest="command", required=True)

    db = commands.add_parser("db", help="database schema").add_subparsers(dest="action", required=True)
    db.add_parser("upgrade", help="apply the migrations")

    centre = commands.add_parser("centre", help="centres").add_subparsers(dest="action", required=True)
    add = centre.add_parser("add", help="create a centre and print its secret (once)")
    add.add_argument("code", help="the agency code of the centre's one-stop section")
    add.add_argument("--name", default="")
    add.add_argument("--key-file", help="master key file (or $CENTRAL_KEY_FILE)")
    for action in ("disable", "enable"):
        centre.add_parser(action, help=f"{action} a centre").add_argument("code")

    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--key-file", help="master key file (or $CENTRAL_KEY_FILE)")

    catalogue = commands.add_parser("catalogue", help="procedure catalogue").add_subparsers(
        dest="action", required=True
    )
    catalogue.add_parser("import", help="replace the catalogue from a JSON list").add_argument("file")

    calendar = commands.add_parser("calendar", help="days off and swapped working days").add_subparsers(
        dest="action", required=True
    )
    set_year = calendar.add_parser("set", help="replace a year's declared days from a JSON list")
    set_year.add_argument("year", type=int)
    set_year.add_argument("file")
    return parser


def run(args: argparse.Namespace) -> int:
    if not args.db:
        raise admin.AdminError(f"no database: pass --db URL or set {DB_ENV}")
    if args.command == "serve":
        import uvicorn

        from central.app import create_app

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        app = create_app(args.db, key_file=key_file_path(args.key_file))
        uvicorn.run(app, host=args.host, port=args.port)
        return 0
    if args.command == "db":
        migrate.upgrade(args.db)
        print("database is up to date")
        return 0
    engine = create_engine(args.db)
    try:
        if args.command == "centre" and args.action == "add":
            key = MasterKey.load(key_file_path(args.key_file))
            secret = admin.add_centre(engine, key, args.code, args.name)
            print(f"centre {args.code.strip().upper()} created; its secret (shown only now):")
            print(secret)
        elif args.command == "centre":
            admin.set_centre_active(engine, args.code, args.action == "enable")
            print(f"centre {args.code.strip().upper()} {args.action}d")
        elif args.command == "catalogue":
            version, count = admin.import_catalogue(engine, args.file)
            print(f"catalogue version {version}: {count} procedures")
        else:
            count = admin.set_calendar(engine, args.year, args.file)
            print(f"calendar {args.year}: {count} days declared")
    finally:
        engine.dispose()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except (admin.AdminError, KeyFileError, CommandError) as exc:
        print(f"central: {exc}", file=sys.stderr)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        print(f"central: database error: {reason}", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
