#!/usr/bin/env bash
# Run the counter-app demo.  Extra arguments go to `counter-app demo`.
set -euo pipefail
# shellcheck source=scripts/_bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/_bootstrap.sh"

ensure_venv
exec .venv/bin/counter-app demo "$@"
