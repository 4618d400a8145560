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
    # The extra llm-test is llama.cpp's server, which the assistant's tests run a real model on. PyPI has
    # only its source for Linux (about ten minutes to build on two cores): the wheel is built once into a
    # cache outside the work tree, and every install (a clean clone, a new .venv) takes it from there.
    wheels="${DIGITALFRONT_WHEEL_CACHE:-$HOME/.cache/digitalfront/wheels}"
    llama_version=$(.venv/bin/python -c '
import re, sys, tomllib
extra = tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["llm-test"]
found = re.search(r"llama-cpp-python(?:\[[^]]*\])?==([0-9][0-9A-Za-z.]*)", " ".join(extra))
if found is None:
    sys.exit("pyproject.toml: the extra llm-test must pin llama-cpp-python==VERSION")
print(found.group(1))
')
    if ! ls "$wheels"/llama_cpp_python-"$llama_version"-*.whl >/dev/null 2>&1; then
        echo "Dựng llama-cpp-python $llama_version từ mã nguồn vào $wheels (máy chủ mô hình cho kiểm thử trợ lý):" \
            "lần đầu mất khoảng 10 phút, các lần sau dùng lại bản đã dựng." >&2
        mkdir -p "$wheels"
        # no tests, examples or tools; portable CPU code (not -march=native: the cache may outlive the CPU)
        CMAKE_ARGS="-DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DGGML_NATIVE=OFF ${CMAKE_ARGS:-}" \
            .venv/bin/python -m pip wheel --quiet --no-deps "llama-cpp-python==$llama_version" -w "$wheels"
    fi
    # --only-binary: never a silent rebuild here; the wheel comes from the cache
    .venv/bin/python -m pip install --quiet --find-links "$wheels" --only-binary llama-cpp-python -e ".[dev,llm-test]"
    touch "$stamp"
fi
