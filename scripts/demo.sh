#!/usr/bin/env bash
# Run the counter-app demo.  Extra arguments go to `counter-app demo`.
set -euo pipefail
# shellcheck source=scripts/_bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/_bootstrap.sh"

# The windows (drawn offscreen as PNGs without a screen), the display's voice and its player.
ensure_debian_packages libgl1 libegl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 libpulse0 espeak-ng
if [ -n "${DISPLAY:-}" ]; then
  # Qt's xcb platform plugin, for real windows on an X screen (shared/stack-notes.md).
  ensure_debian_packages libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
    libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1
fi
ensure_venv
exec .venv/bin/counter-app demo "$@"
