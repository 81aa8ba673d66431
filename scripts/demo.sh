#!/usr/bin/env bash
# One command for a newcomer: install, create the demo people and serve at http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
.venv/bin/nearer migrate --noinput -v 0
.venv/bin/nearer demo
exec .venv/bin/nearer serve --no-migrate
