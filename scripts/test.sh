#!/usr/bin/env bash
# Lint, type-check and run the test suite.  Extra arguments go to pytest, e.g.
#     ./scripts/test.sh -k queue -x
set -euo pipefail
# shellcheck source=scripts/_bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/_bootstrap.sh"

if ! find_postgres_bindir >/dev/null; then
  ensure_debian_packages postgresql
fi
# What Qt's wheels need from the system to run offscreen (shared/stack-notes.md), libpulse0 for
# QtMultimedia, and espeak-ng: the display's Vietnamese voice.
ensure_debian_packages libgl1 libegl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 libpulse0 espeak-ng
ensure_venv

export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"

say "ruff check"
.venv/bin/ruff check .
say "mypy --strict counter_app ui"
.venv/bin/mypy --strict counter_app ui
say "pytest"
.venv/bin/python -m pytest -n 2 "$@"
