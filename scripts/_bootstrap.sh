# shellcheck shell=bash
# Shared helpers for scripts/*.sh.  Source it, don't run it:
#     source "$(dirname "${BASH_SOURCE[0]}")/_bootstrap.sh"
# Sourcing it changes the working directory to the repository root.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

VENV_DIR="$REPO_ROOT/.venv"
_BOOTSTRAP_APT_UPDATED=0

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly if we are root, else through sudo.
_as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    sudo "$@"
  fi
}

_deb_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# ensure_debian_packages PKG... : install the packages that are not installed yet.
ensure_debian_packages() {
  local pkg missing=()
  if ! command -v dpkg-query >/dev/null 2>&1; then
    for pkg in "$@"; do missing+=("$pkg"); done
    die "not a Debian system (no dpkg-query); please install the equivalent of: ${missing[*]}"
  fi
  for pkg in "$@"; do
    _deb_installed "$pkg" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0

  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    printf 'error: missing Debian packages: %s\n' "${missing[*]}" >&2
    printf 'Install them as root, then re-run:\n    apt-get install %s\n' "${missing[*]}" >&2
    exit 1
  fi
  say "Installing Debian packages: ${missing[*]}"
  if [ "$_BOOTSTRAP_APT_UPDATED" -eq 0 ]; then
    _as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    _BOOTSTRAP_APT_UPDATED=1
  fi
  _as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# find_postgres_bindir: print the directory with the PostgreSQL server binaries,
# using the same order as tests/support/pgserver.py; return 1 if there is none.
find_postgres_bindir() {
  local dir
  if [ -n "${PG_BIN:-}" ]; then
    [ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/initdb" ] \
      || die "\$PG_BIN=$PG_BIN does not contain 'initdb' and 'postgres'"
    printf '%s\n' "$PG_BIN"
    return 0
  fi
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    if [ -n "$dir" ] && [ -x "$dir/postgres" ] && [ -x "$dir/initdb" ]; then
      printf '%s\n' "$dir"
      return 0
    fi
  fi
  dir="$(
    for d in /usr/lib/postgresql/*/bin; do
      if [ -x "$d/postgres" ] && [ -x "$d/initdb" ]; then printf '%s\n' "$d"; fi
    done | sort -V | tail -n 1
  )"
  [ -n "$dir" ] || return 1
  printf '%s\n' "$dir"
}

_python_ok() {
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null
}

_create_venv() {
  local py="$1"
  say "Creating virtual environment in .venv ($("$py" --version 2>&1))"
  if ! "$py" -m venv "$VENV_DIR" >/dev/null 2>&1; then
    # Debian splits venv/ensurepip into python3-venv; a failed attempt leaves a
    # half-made .venv without pip behind.
    rm -rf "$VENV_DIR"
    ensure_debian_packages python3-venv
    "$py" -m venv "$VENV_DIR" || { rm -rf "$VENV_DIR"; die "could not create a virtual environment with $py"; }
  fi
  "$VENV_DIR/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
}

# ensure_venv: create .venv if needed and (re)install the project with its dev
# extras whenever pyproject.toml has changed since the last install.
ensure_venv() {
  local py="${PYTHON:-python3}" hash stamp
  command -v "$py" >/dev/null 2>&1 || die "'$py' not found; install Python 3.11 or newer (or set PYTHON)"
  _python_ok "$py" || die "$py is $("$py" --version 2>&1); Python 3.11 or newer is required (set PYTHON to another interpreter)"

  if [ -d "$VENV_DIR" ] && ! _python_ok "$VENV_DIR/bin/python"; then
    say "Existing .venv is broken or too old; recreating it"
    rm -rf "$VENV_DIR"
  fi
  [ -d "$VENV_DIR" ] || _create_venv "$py"

  hash="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  stamp="$VENV_DIR/.installed-$hash"
  if [ ! -e "$stamp" ]; then
    say "Installing counter-app and its dev dependencies into .venv"
    "$VENV_DIR/bin/python" -m pip install -q --disable-pip-version-check -e ".[dev]"
    rm -f "$VENV_DIR"/.installed-*
    : >"$stamp"
  fi
}
