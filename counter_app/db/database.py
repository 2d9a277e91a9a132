"""One way to open the database: :class:`Database` (engine + sessions) for SQLite or PostgreSQL.

SQLite is the embedded default: WAL, foreign keys on, ``synchronous=FULL`` (a committed
ticket survives a power cut) and write transactions begun with ``BEGIN IMMEDIATE``, so two
counters never both read and then fail to upgrade their lock. PostgreSQL (psycopg 3) is the
multi-counter deployment.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from counter_app.domain.errors import AppError, ConfigError, DatabaseUnavailableError
from counter_app.i18n import _

_WRITE_OPTION = "counter_app_write"


def normalise_url(raw: str) -> URL:
    """Accept ``sqlite:///file``, a plain file path, or ``postgresql://…`` (driven by psycopg 3)."""
    text = raw.strip()
    if not text:
        raise ConfigError(_("The database address is empty."))
    if "://" not in text:
        return URL.create("sqlite", database=str(Path(text).expanduser()))
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        raise ConfigError(_("The database address '{url}' is malformed.").format(url=_redact(text))) from exc
    backend = url.get_backend_name()
    if backend in {"postgresql", "postgres"}:
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return url
    raise ConfigError(
        _("The database type '{kind}' is not supported: use SQLite or PostgreSQL.").format(kind=backend)
    )


def _redact(text: str) -> str:
    """Never echo a password that was part of a URL."""
    try:
        return make_url(text).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return text.rsplit("@", maxsplit=1)[-1]


class Database:
    """Engine and sessions for one database. ``transaction()`` is the unit of work of a service."""

    def __init__(self, url: str | URL, *, echo: bool = False, pool_size: int = 5) -> None:
        self.url = normalise_url(url) if isinstance(url, str) else url
        self.engine = self._create_engine(echo=echo, pool_size=pool_size)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def describe(self) -> str:
        """The URL without its password, for messages."""
        return self.url.render_as_string(hide_password=True)

    def _create_engine(self, *, echo: bool, pool_size: int) -> Engine:
        if self.url.get_backend_name() == "sqlite":
            return self._create_sqlite_engine(echo=echo)
        return create_engine(
            self.url,
            echo=echo,
            pool_size=pool_size,
            max_overflow=10,
            pool_pre_ping=True,
            connect_args={"connect_timeout": 5},
        )

    def _create_sqlite_engine(self, *, echo: bool) -> Engine:
        database = self.url.database or ""
        in_memory = database in {"", ":memory:"}
        if not in_memory:
            path = Path(database)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailableError(
                    _("Cannot create the folder for the database file {path}.").format(path=path)
                ) from exc
        engine = create_engine(
            self.url,
            echo=echo,
            # A pool keeps the connection (and its PRAGMAs) between transactions; memory databases
            # must share their single connection.
            **({"poolclass": StaticPool} if in_memory else {"pool_size": 5, "max_overflow": 10}),
            connect_args={"check_same_thread": False, "timeout": 30},
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Take transaction control from the driver so BEGIN IMMEDIATE is ours to send.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            write = conn.get_execution_options().get(_WRITE_OPTION, False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    def session(self) -> Session:
        """A read session (callers only read; it is rolled back when closed)."""
        return self._read()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction: commit on success, roll back on any error, close always."""
        session = self._write()
        try:
            with session.begin():
                yield session
        except SQLAlchemyError as exc:
            raise translate_db_error(exc, self) from exc
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        session = self._read()
        try:
            yield session
        except SQLAlchemyError as exc:
            raise translate_db_error(exc, self) from exc
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def translate_db_error(exc: SQLAlchemyError, db: Database) -> AppError:
    """Turn a driver failure into one sentence; the original stays chained for the log."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return DatabaseUnavailableError(_("The connection to the database was lost; please try again."))
    message = str(getattr(exc, "orig", exc)).lower()
    if "no such table" in message or ("relation" in message and "does not exist" in message):
        return DatabaseUnavailableError(
            _("The database has not been set up yet: run 'counter-app db upgrade'.")
        )
    unreachable = (
        "connection to server",
        "connection failed",
        "connection is bad",
        "could not connect",
        "connection refused",
        "unable to open database",
        "no such host",
        "name or service not known",
        "connection timeout",
        "server closed the connection",
        "does not exist",
        "password authentication failed",
        "is not a database",
    )
    if any(marker in message for marker in unreachable):
        return DatabaseUnavailableError(
            _("Cannot open the database {url}: check the address and that the server is running.").format(
                url=db.describe()
            )
        )
    if "database is locked" in message:
        return DatabaseUnavailableError(_("The database is busy; please try again in a moment."))
    return DatabaseUnavailableError(_("The database refused the operation; nothing was changed."))
