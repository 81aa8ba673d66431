#!/usr/bin/env bash
# The whole test suite: lint, types, tests on SQLite, again on PostgreSQL when one answers at
# 127.0.0.1:5432, and a dependency audit. Installs what it needs (locked Python packages; Debian's
# Chromium and the PDF libraries when running as root and they are missing).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh dev

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need_apt+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi dejavu || need_apt+=(fonts-dejavu-core)
# nginx: tests/test_operating_guide.py walks docs/operating.md behind it (CI only).
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing from Debian: ${need_apt[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Missing system packages (browser tests or PDFs will be skipped): ${need_apt[*]}" >&2
  fi
fi

# Under CI (CI=true) or NEARER_REQUIRE_BROWSER=1 the browser journeys and the PostgreSQL pass are
# required: a run that silently skipped them would prove nothing.
required=0
{ [ "${CI:-}" = "true" ] || [ "${NEARER_REQUIRE_BROWSER:-}" = "1" ]; } && required=1
if [ "$required" = "1" ] && [ ! -x "${NEARER_CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "FAILED: Debian's Chromium is missing at ${NEARER_CHROMIUM:-/usr/bin/chromium}; the browser journeys are required here." >&2
  exit 1
fi

echo "== ruff"; .venv/bin/ruff check nearer tests benchmarks conftest.py
echo "== mypy"; .venv/bin/mypy nearer
# Two workers by default (CI machines have 2 cores); NEARER_TEST_WORKERS=0 runs in one process.
workers=(-n "${NEARER_TEST_WORKERS:-2}")
[ "${NEARER_TEST_WORKERS:-2}" = "0" ] && workers=()

echo "== pytest (SQLite)"
.venv/bin/pytest -p no:cacheprovider "${workers[@]}" "$@"

if .venv/bin/python - <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(1)
try:
    s.connect(("127.0.0.1", 5432))
except OSError:
    sys.exit(1)
PY
then
  echo "== pytest (PostgreSQL at 127.0.0.1:5432)"
  DATABASE_URL="${NEARER_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/nearer}" \
    .venv/bin/pytest -p no:cacheprovider "${workers[@]}" "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "FAILED: PostgreSQL is not answering at 127.0.0.1:5432, and CI requires the PostgreSQL pass." >&2
  exit 1
else
  echo "== SKIPPED: the PostgreSQL pass (nothing answers at 127.0.0.1:5432). Only SQLite was tested."
fi

echo "== dependency audit"
scripts/audit.sh
