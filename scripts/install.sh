#!/usr/bin/env bash
# Create .venv and install the locked dependencies (hash-checked). Re-running is cheap: it does
# nothing when the lock files have not changed. Usage: scripts/install.sh [dev]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PYTHON="$candidate"; break; fi
  done
fi
"$PYTHON" - <<'PY' || { echo "Nearer needs Python 3.11 or newer (found $("$PYTHON" --version 2>&1))." >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
locks="requirements/base.txt"
[ "${1:-}" = "dev" ] && locks="$locks requirements/dev.txt"
stamp=".venv/.installed-$(cat $locks pyproject.toml scripts/install.sh | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "Installing locked dependencies into .venv ..."
  args=()
  for f in $locks; do args+=(-r "$f"); done
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes "${args[@]}"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . --config-settings editable_mode=compat 2>/dev/null \
    || .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e . --config-settings editable_mode=compat
  rm -f .venv/.installed-*
  touch "$stamp"
fi
