#!/usr/bin/env bash
# Audit the locked dependencies against the package registry's advisory metadata (see
# scripts/audit.py for what can and cannot be checked from here). Fails on a known vulnerability;
# an audit that could not run says "NOT RUN" and why, never "0 known vulnerabilities".
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python scripts/audit.py requirements/base.txt requirements/dev.txt
