#!/usr/bin/env sh
# Installs what the benchmarks use beyond the Python environment: wrk, the HTTP load tool of
# bench/intake.py (Debian's package). Without it bench/intake.py loads the server from its asyncio client.
set -eu
if command -v wrk >/dev/null 2>&1; then
    echo "wrk: $(command -v wrk)" >&2
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== cài wrk cho bench/intake.py (apt-get install wrk)" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
else
    echo "Cần wrk cho bench/intake.py: hãy cài gói wrk (Debian/Ubuntu: sudo apt-get install wrk)." >&2
    exit 1
fi
