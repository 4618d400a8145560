#!/usr/bin/env sh
# The second README command: set up, lint, type-check and run the whole test suite.
# DATABASE_URL selects the database (default: SQLite); CI runs it twice, SQLite then PostgreSQL.
set -eu
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
# The browser tests drive Debian's Chromium; install it where we may (root with apt, as on CI).
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== cài Chromium cho kiểm thử trình duyệt (apt-get install chromium)" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
export DIGITALFRONT_DATA_DIR="${DIGITALFRONT_DATA_DIR:-$(mktemp -d)}"
echo "== ruff" >&2
.venv/bin/ruff check src bench conftest.py
echo "== mypy" >&2
.venv/bin/mypy
echo "== pytest (${DATABASE_URL:-sqlite})" >&2
exec .venv/bin/pytest -n 2 -p no:cacheprovider "$@"
