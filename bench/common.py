"""What the benchmarks in bench/ share: progress lines, a fresh database of their own, percentiles.

Imported by the scripts as ``common`` (Python puts a script's own folder first on ``sys.path``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit


def log(message: str) -> None:
    """A progress line on standard error (standard output carries only the final JSON line)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[int(0.95 * (len(ordered) - 1))]


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    """Point the environment at a new, empty database for the length of the block; yield the backend.

    Without ``DATABASE_URL`` (or with a ``sqlite://`` one): a SQLite file in a temporary directory.
    With a PostgreSQL URL: a new database ``df_bench_<pid>`` on that server, dropped at the end (the
    URL's own database is only used to create and drop it).
    """
    data_dir = tempfile.mkdtemp(prefix="df_bench_")
    os.environ["DIGITALFRONT_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "digitalfront.settings"
    server_url = os.environ.get("DATABASE_URL", "")
    name = f"df_bench_{os.getpid()}"
    try:
        if not server_url.startswith(("postgres://", "postgresql://")):
            os.environ.pop("DATABASE_URL", None)
            log(f"SQLite database in {data_dir}")
            yield "sqlite"
            return
        import psycopg

        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
        log(f"PostgreSQL database {name}")
        try:
            yield "postgresql"
        finally:
            if "django" in sys.modules:  # close this process's own connections before dropping
                with contextlib.suppress(Exception):
                    from django.db import connections

                    connections.close_all()
            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            log(f"dropped {name}")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A Redis of the bench's own on a free port, nothing on disk; ``""`` when there is no redis-server."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield ""
        return
    port = free_port()
    proc = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import redis

        client = redis.Redis(port=port)
        for _ in range(100):
            with contextlib.suppress(redis.ConnectionError):
                if client.ping():
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
