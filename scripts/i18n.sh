#!/usr/bin/env bash
# Refresh the translation catalogues after user-facing strings changed:
#   1. extract every _(), N_() and ngettext() message id into counter_app/locale/counter_app.pot;
#   2. merge it into the Vietnamese catalogue counter_app/locale/vi/LC_MESSAGES/counter_app.po
#      (created on first use); new messages arrive with an empty msgstr;
#   3. compile the .po into counter_app.mo, which is what the program reads.
# Then translate the empty entries of the .po and run this script again to recompile.
#
#     ./scripts/i18n.sh           # extract + update + compile
#     ./scripts/i18n.sh compile   # only compile the .po (after editing translations)
#
# Locations (file:line) are left out and the output is sorted, so moving code around does
# not rewrite the catalogues; fuzzy matching is off, so a changed message id always comes
# back untranslated instead of silently reusing a translation of a different sentence.
set -euo pipefail
# shellcheck source=scripts/_bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/_bootstrap.sh"

DOMAIN="counter_app"
LOCALE_DIR="counter_app/locale"
POT_FILE="$LOCALE_DIR/$DOMAIN.pot"
LANGUAGES=(vi)
PYBABEL=".venv/bin/pybabel"

[ -x "$PYBABEL" ] || ensure_venv
[ -x "$PYBABEL" ] || die "$PYBABEL not found; install the dev extras: .venv/bin/pip install -e '.[dev]'"

# ---- 1. extract ---------------------------------------------------------------------
extract() {
  local dir tmp
  local sources=(counter_app)
  for dir in ui printing devices; do
    if [ -d "$dir" ] && [ -n "$(find "$dir" -name '*.py' -print -quit)" ]; then
      sources+=("$dir")
    fi
  done
  say "Extracting messages from: ${sources[*]}"
  tmp="$(mktemp "${TMPDIR:-/tmp}/counter_app.pot.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -f '$tmp'; trap - RETURN" RETURN
  "$PYBABEL" -q extract \
    --no-default-keywords -k _ -k N_ -k ngettext:1,2 \
    --no-location --sort-output \
    --project="One-Stop Counter" \
    --version="$(.venv/bin/python -c 'import counter_app; print(counter_app.__version__)')" \
    --copyright-holder="One-Stop Counter" \
    --header-comment="# Messages of One-Stop Counter; regenerate with scripts/i18n.sh." \
    -o "$tmp" "${sources[@]}"
  # Only the creation date changed? Keep the old template so the catalogues do not churn.
  if [ -f "$POT_FILE" ] \
    && diff -q <(grep -v '^"POT-Creation-Date:' "$POT_FILE") <(grep -v '^"POT-Creation-Date:' "$tmp") >/dev/null; then
    say "$POT_FILE is up to date"
  else
    cat "$tmp" >"$POT_FILE"  # not mv: mktemp's file is private (0600)
    say "Wrote $POT_FILE ($(grep -c '^msgid ' "$POT_FILE") entries including the header)"
  fi
}

# ---- 2. update (or create) each language's .po --------------------------------------
update() {
  local lang po
  for lang in "${LANGUAGES[@]}"; do
    po="$LOCALE_DIR/$lang/LC_MESSAGES/$DOMAIN.po"
    if [ -f "$po" ]; then
      "$PYBABEL" -q update -D "$DOMAIN" -i "$POT_FILE" -d "$LOCALE_DIR" -l "$lang" --no-fuzzy-matching
    else
      "$PYBABEL" -q init -D "$DOMAIN" -i "$POT_FILE" -d "$LOCALE_DIR" -l "$lang"
    fi
    # Babel's header template says "LANGUAGE <LL@li.org>"; name the team once, keep it after.
    sed -i 's/^"Language-Team: .* <LL@li.org>\\n"$/"Language-Team: Vietnamese\\n"/' "$po"
  done
}

# ---- 3. compile ------------------------------------------------------------------------
compile() {
  local lang po untranslated
  for lang in "${LANGUAGES[@]}"; do
    po="$LOCALE_DIR/$lang/LC_MESSAGES/$DOMAIN.po"
    [ -f "$po" ] || die "$po does not exist; run ./scripts/i18n.sh without arguments first"
    "$PYBABEL" compile -D "$DOMAIN" -d "$LOCALE_DIR" -l "$lang" --statistics
    untranslated="$(
      .venv/bin/python - "$po" <<'PY'
import sys
from babel.messages.pofile import read_po

with open(sys.argv[1], "rb") as handle:
    catalog = read_po(handle)
missing = [m for m in catalog if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else (m.string,)))]
print(len(missing))
PY
    )"
    if [ "$untranslated" -ne 0 ]; then
      say "WARNING: $po has $untranslated untranslated or fuzzy messages (shown in English); translate them and re-run"
    fi
  done
}

case "${1:-all}" in
  all) extract; update; compile ;;
  compile) compile ;;
  *) die "usage: $0 [all|compile]" ;;
esac
