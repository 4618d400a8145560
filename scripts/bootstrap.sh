#!/usr/bin/env sh
# Creates .venv with a Python >= 3.12 and installs the project with its development tools.
# Usage: scripts/bootstrap.sh   (idempotent; fast when nothing changed)
set -eu
cd "$(dirname "$0")/.."

find_python() {
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
            command -v "$candidate"; return 0
        fi
    done
    # pyenv installs that are present but not selected (the python3.12 shim refuses until told)
    if command -v pyenv >/dev/null 2>&1; then
        for version in $(pyenv versions --bare 2>/dev/null | sort -rV); do
            path="$(pyenv root)/versions/$version/bin/python3"
            if [ -x "$path" ] && "$path" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
                echo "$path"; return 0
            fi
        done
    fi
    return 1
}

if [ ! -x .venv/bin/python ]; then
    PY=$(find_python) || {
        echo "Cần Python 3.12 trở lên (không tìm thấy python3.13, python3.12 hay bản pyenv nào phù hợp)." >&2
        echo "Python 3.12 or newer is required; install it and run again (or set PYTHON=/path/to/python3.12)." >&2
        exit 1
    }
    echo "Tạo môi trường ảo .venv với $PY" >&2
    "$PY" -m venv .venv
fi

stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[dev]"
    touch "$stamp"
fi
