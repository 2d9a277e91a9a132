"""Start a throwaway PostgreSQL server for tests and benchmarks.

The server lives in a fresh directory under ``/tmp`` and listens on a Unix socket
only (``listen_addresses=''``), so several instances can run side by side (for
example one per pytest-xdist worker) without colliding on a TCP port.

Usage::

    with ThrowawayPostgres() as pg:
        url = pg.create_database("app_test")
        engine = sqlalchemy.create_engine(url)

When the current process runs as root, ``initdb`` and ``postgres`` (which refuse
to run as root) are started as the unprivileged user ``nobody``.

Binaries are looked up in ``$PG_BIN``, then ``pg_config --bindir``, then the
newest ``/usr/lib/postgresql/*/bin``.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

__all__ = ["ThrowawayPostgres", "find_pg_bindir"]

_PORT = 5432
_TMP_PARENT = "/tmp"
_TMP_PREFIX = "counter-app-pg-"
_OWNER_FILE = "owner.pid"
_SUPERUSER = "postgres"
_INSTALL_HINT = (
    "PostgreSQL server binaries not found. Install the Debian package 'postgresql' "
    "(sudo apt-get install postgresql) or point $PG_BIN at the directory that holds "
    "'initdb' and 'postgres'."
)

# Instances that have been started and not yet stopped; stopped at interpreter exit.
_LIVE: set[ThrowawayPostgres] = set()
_LIVE_LOCK = threading.Lock()


def _has_server_binaries(bindir: Path) -> bool:
    return all(os.access(bindir / name, os.X_OK) for name in ("initdb", "postgres"))


def _version_key(bindir: Path) -> tuple[int, ...]:
    # /usr/lib/postgresql/<version>/bin -> (15,) or (9, 6)
    return tuple(int(part) for part in re.findall(r"\d+", bindir.parent.name))


def find_pg_bindir() -> Path:
    """Return the directory holding ``initdb`` and ``postgres``.

    Order: ``$PG_BIN``, ``pg_config --bindir``, newest ``/usr/lib/postgresql/*/bin``.
    """
    env_bin = os.environ.get("PG_BIN")
    if env_bin:
        bindir = Path(env_bin)
        if not _has_server_binaries(bindir):
            raise RuntimeError(f"$PG_BIN={env_bin!r} does not contain 'initdb' and 'postgres'.")
        return bindir

    pg_config = shutil.which("pg_config")
    if pg_config is not None:
        try:
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=30
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        # libpq-dev ships a pg_config that reports a bindir without the server in it.
        if out and _has_server_binaries(Path(out)):
            return Path(out)

    candidates = [path for path in Path("/usr/lib/postgresql").glob("*/bin") if _has_server_binaries(path)]
    if candidates:
        return max(candidates, key=_version_key)
    raise RuntimeError(_INSTALL_HINT)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _sweep_stale_dirs() -> None:
    """Remove directories left behind by earlier runs that were killed hard.

    Only directories whose owning Python process and postmaster are both gone are
    removed; directories of running instances (or half-created ones without an
    owner file) are left alone.
    """
    for path in Path(_TMP_PARENT).glob(_TMP_PREFIX + "*"):
        owner = _read_pid(path / _OWNER_FILE)
        if owner is None or _pid_alive(owner):
            continue
        postmaster = _read_pid(path / "data" / "postmaster.pid")
        if postmaster is not None and _pid_alive(postmaster):
            continue
        shutil.rmtree(path, ignore_errors=True)


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"<could not read {path}: {exc}>"
    return "\n".join(text.splitlines()[-lines:])


def _parent_death_prefix() -> list[str]:
    """Command prefix that makes the server get SIGINT (fast shutdown) if this process dies.

    This covers test runs that are killed hard (SIGKILL, segfault in a Qt test, ...),
    where atexit handlers do not run.  Uses util-linux ``setpriv --pdeathsig`` (which
    then execs the server, so the PID stays the server's).  Only from the main thread:
    the kernel ties the signal to the thread that forked the child, not to the process.
    """
    if not sys.platform.startswith("linux") or threading.current_thread() is not threading.main_thread():
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return []
    return [setpriv, "--pdeathsig", "INT", "--"]


class ThrowawayPostgres:
    """A private PostgreSQL server in a temporary directory, reachable via a Unix socket.

    ``fsync=False`` (the default, for tests) runs with ``fsync=off`` and
    ``synchronous_commit=off``; ``fsync=True`` (for benchmarks) keeps the durable
    defaults.
    """

    def __init__(
        self,
        *,
        fsync: bool = False,
        startup_timeout: float = 30.0,
        run_as: str = "nobody",
        extra_settings: dict[str, str] | None = None,
    ) -> None:
        self.fsync = fsync
        self.startup_timeout = startup_timeout
        self.run_as = run_as
        self.extra_settings = dict(extra_settings or {})
        self._bindir: Path | None = None
        self._tmpdir: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._creds: tuple[int, int] | None = None  # (uid, gid) when dropping root

    # ------------------------------------------------------------------ paths

    @property
    def base_dir(self) -> Path:
        """The temporary directory holding data, socket and log (valid while running)."""
        if self._tmpdir is None:
            raise RuntimeError("ThrowawayPostgres is not started")
        return self._tmpdir

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base_dir / "socket"

    @property
    def log_path(self) -> Path:
        return self.base_dir / "postgres.log"

    @property
    def port(self) -> int:
        return _PORT

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    # ------------------------------------------------------------ connection

    def url_for(self, dbname: str) -> str:
        """SQLAlchemy URL (psycopg 3 driver) for database ``dbname`` on this server."""
        host = quote(str(self.socket_dir), safe="/")
        return f"postgresql+psycopg://{_SUPERUSER}@/{quote(dbname, safe='')}?host={host}"

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the ``postgres`` maintenance database."""
        return self.url_for("postgres")

    def dsn(self, dbname: str) -> str:
        """libpq conninfo string (for ``psycopg.connect``) for database ``dbname``."""
        return make_conninfo(host=str(self.socket_dir), port=str(_PORT), user=_SUPERUSER, dbname=dbname)

    # ------------------------------------------------------------- lifecycle

    def start(self) -> None:
        if self._tmpdir is not None:
            raise RuntimeError("ThrowawayPostgres is already started")
        self._bindir = find_pg_bindir()
        self._creds = self._lookup_creds()
        _sweep_stale_dirs()
        self._tmpdir = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=_TMP_PARENT))
        with _LIVE_LOCK:
            _LIVE.add(self)
        try:
            (self._tmpdir / _OWNER_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")
            self.socket_dir.mkdir(mode=0o700)
            if self._creds is not None:
                for path in (self._tmpdir, self.socket_dir):
                    os.chown(path, *self._creds)
            self._initdb()
            self._launch()
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Fast shutdown (SIGINT), then remove the temporary directory.  Idempotent."""
        proc, self._proc = self._proc, None
        if proc is not None:
            _shutdown(proc)
        tmpdir, self._tmpdir = self._tmpdir, None
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)
        with _LIVE_LOCK:
            _LIVE.discard(self)

    def __enter__(self) -> ThrowawayPostgres:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------- databases

    def create_database(self, name: str, template: str | None = None) -> str:
        """``CREATE DATABASE name [TEMPLATE template]``; returns its SQLAlchemy URL.

        The template database must have no open connections.
        """
        stmt = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            stmt = sql.SQL("{} TEMPLATE {}").format(stmt, sql.Identifier(template))
        self._admin_execute(stmt)
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        """``DROP DATABASE IF EXISTS name WITH (FORCE)`` (terminates open connections)."""
        self._admin_execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def _admin_execute(self, stmt: sql.Composed) -> None:
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(stmt)

    # -------------------------------------------------------------- internals

    def _lookup_creds(self) -> tuple[int, int] | None:
        if os.geteuid() != 0:
            return None
        try:
            entry = pwd.getpwnam(self.run_as)
        except KeyError:
            raise RuntimeError(
                f"Running as root, but user {self.run_as!r} (used to run PostgreSQL) does not exist"
            ) from None
        return entry.pw_uid, entry.pw_gid

    def _run_as_args(self) -> tuple[int | None, int | None, list[int] | None]:
        """(user, group, extra_groups) for subprocess: drop root privileges if needed."""
        if self._creds is None:
            return None, None, None
        uid, gid = self._creds
        return uid, gid, []

    def _initdb(self) -> None:
        assert self._bindir is not None
        base = [
            str(self._bindir / "initdb"),
            "-D",
            str(self.data_dir),
            "-U",
            _SUPERUSER,
            "--auth=trust",
            "-E",
            "UTF8",
        ]
        if not self.fsync:
            base.append("--no-sync")
        user, group, extra_groups = self._run_as_args()
        failures: list[str] = []
        for locale in ("C.UTF-8", "C"):
            shutil.rmtree(self.data_dir, ignore_errors=True)
            result = subprocess.run(
                [*base, f"--locale={locale}"],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                check=False,
                cwd=self.base_dir,
                user=user,
                group=group,
                extra_groups=extra_groups,
            )
            if result.returncode == 0:
                return
            failures.append(f"--- initdb --locale={locale} (exit {result.returncode}):\n{result.stdout}")
        raise RuntimeError("initdb failed:\n" + "\n".join(failures))

    def _settings(self) -> dict[str, str]:
        settings = {
            "listen_addresses": "",
            "port": str(_PORT),
            "unix_socket_directories": str(self.socket_dir),
            "max_connections": "100",
            "shared_buffers": "128MB",
        }
        if not self.fsync:
            settings.update(fsync="off", synchronous_commit="off")
        settings.update(self.extra_settings)
        return settings

    def _launch(self) -> None:
        assert self._bindir is not None
        cmd = [*_parent_death_prefix(), str(self._bindir / "postgres"), "-D", str(self.data_dir)]
        for key, value in self._settings().items():
            cmd += ["-c", f"{key}={value}"]
        user, group, extra_groups = self._run_as_args()
        with open(self.log_path, "wb") as log:
            # The child keeps its own copy of the log descriptor.
            self._proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Own session: a Ctrl-C in the terminal reaches pytest, which then
                # stops the server in order instead of the server dying mid-teardown.
                start_new_session=True,
                cwd=self.base_dir,
                user=user,
                group=group,
                extra_groups=extra_groups,
            )

    def _wait_until_ready(self) -> None:
        proc = self._proc
        assert proc is not None
        deadline = time.monotonic() + self.startup_timeout
        dsn = self.dsn("postgres")
        last_error: Exception | None = None
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"postgres exited with code {proc.returncode} during start-up; "
                    f"log tail:\n{_tail(self.log_path)}"
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError(
                    f"postgres did not accept connections within {self.startup_timeout:g} s "
                    f"(last error: {last_error}); log tail:\n{_tail(self.log_path)}"
                )
            try:
                timeout = max(1, min(5, int(remaining)))
                with psycopg.connect(dsn, connect_timeout=timeout, autocommit=True):
                    return
            except psycopg.OperationalError as exc:
                last_error = exc
            time.sleep(0.05)


def _shutdown(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    # SIGINT = fast shutdown; SIGQUIT = immediate shutdown; SIGKILL as a last resort.
    for sig, wait in ((signal.SIGINT, 30.0), (signal.SIGQUIT, 10.0), (signal.SIGKILL, 10.0)):
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@atexit.register
def _stop_all() -> None:
    with _LIVE_LOCK:
        live = list(_LIVE)
    for server in live:
        with contextlib.suppress(Exception):
            server.stop()
