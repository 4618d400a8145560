"""Benchmark of citizens' submissions over HTTP, as production runs them, and proof that none is lost.

On a fresh database of its own the bench migrates, loads the 34 provinces and 3,321 communes, starts its
own Redis (the shared cache of rate limits; without ``redis-server`` the database cache is used and the
JSON says so) and its own web server as production runs it (granian, 2 workers x 16 threads; or
gunicorn ``gthread`` with ``BENCH_SERVER=gunicorn``; persistent database connections, ``DJANGO_DEBUG=0``),
then loads ``POST /api/v1/feedback/`` with ``CONCURRENCY`` requests in flight (``BENCH_CONCURRENCY``,
32), each a different device in a random commune, from wrk (``bench/intake.lua``; ``make bench-tools``
installs it) when it is installed, else from an asyncio client (aiohttp); ``BENCH_LOAD_TOOL=aiohttp|wrk``
chooses. The crash phase always uses the asyncio client. Every
request does the whole work of a real submission: JSON parsing and validation, the rate-limit checks
(in Redis; the limits are raised so that one loopback address can load it), unit lookup, the ban check,
the working-day deadline, sealing the identity, the case and its first timeline entry, the task that
classifies it later, all committed before the 201.

Figures:
- ``accepted_per_s``, ``p50_ms``, ``p99_ms``: 201 answers per second and their latency over
  ``DURATION_S`` seconds after a warm-up;
- ``db_insert_per_s``: the reference measured in the same run against the same database: plain
  single-row committed INSERTs of a row of the same size on one connection; ``ratio`` is
  ``accepted_per_s / db_insert_per_s``;
- ``lost``: cases answered 201 but missing from the database afterwards, over the whole run, which
  includes a crash phase: the server is killed with SIGKILL in the middle of a load, and every code that
  had been answered 201 is looked up (must be 0).

Run from the repository root (about 2 minutes)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/intake.py
    .venv/bin/python bench/intake.py            # the embedded default (SQLite)

Progress goes to standard error; standard output gets exactly one JSON line.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any

from common import free_port, fresh_database, log, redis_server

CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "32"))
WARMUP_S = 4
DURATION_S = int(os.environ.get("BENCH_SECONDS", "20"))
CRASH_AFTER_S = 4
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "16"))
SERVER = os.environ.get("BENCH_SERVER", "granian")
# the load: wrk (C, epoll; `make bench-tools` installs it) when present, else the asyncio client
LOAD_TOOL = os.environ.get("BENCH_LOAD_TOOL") or ("wrk" if shutil.which("wrk") else "aiohttp")
WRK_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "intake.lua")
REFERENCE_INSERTS = 3000
START_TIMEOUT_S = 60

CONTENTS = [
    "Rác thải ùn ứ nhiều ngày ở đầu ngõ {n}, bốc mùi hôi, đề nghị chính quyền thu gom kịp thời.",
    "Đèn đường ở tổ dân phố {n} hỏng hơn một tháng, buổi tối rất tối và nguy hiểm cho người đi đường.",
    "Đề nghị kiểm tra việc cấp giấy chứng nhận quyền sử dụng đất chậm so với giấy hẹn {n} ngày.",
    "Quán karaoke số {n} hát đến khuya gây ồn ào, ảnh hưởng giấc ngủ của người dân xung quanh.",
    "Đoạn đường liên thôn dài {n}00 mét xuống cấp, nhiều ổ gà, mùa mưa ngập sâu.",
]


def digitalfront(*args: str) -> None:
    command = [sys.executable, "-m", "digitalfront", *args]
    if subprocess.run(command, stdout=subprocess.DEVNULL, check=False).returncode != 0:
        sys.exit(f"digitalfront {' '.join(args)} failed")


@contextlib.contextmanager
def web_server(port: int, log_path: str) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "DJANGO_DEBUG": "0", "DB_CONN_MAX_AGE": "60", "PYTHONUNBUFFERED": "1",
           "DIGITALFRONT_FEEDBACK_LIMITS": "ip=1000000000,device=100,account=100"}
    if SERVER == "granian":
        command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
                   "--workers", str(WORKERS), "--blocking-threads", str(THREADS), "--backlog", "2048",
                   "--log-level", "warning", "digitalfront.wsgi:application"]
    else:
        command = [sys.executable, "-m", "gunicorn", "digitalfront.wsgi", "--bind", f"127.0.0.1:{port}",
                   "--workers", str(WORKERS), "--threads", str(THREADS), "--worker-class", "gthread",
                   "--backlog", "2048", "--log-level", "warning"]
    with open(log_path, "ab") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=20)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


async def wait_ready(base: str) -> None:
    import aiohttp

    deadline = time.monotonic() + START_TIMEOUT_S
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            with contextlib.suppress(aiohttp.ClientError, OSError):
                async with session.get(f"{base}/api/v1/feedback/topics") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.2)
    sys.exit("the web server did not start")


def payload(rng: random.Random, communes: list[tuple[int, int]], n: int) -> dict[str, Any]:
    province, commune = rng.choice(communes)
    return {"content": rng.choice(CONTENTS).format(n=n % 97 + 1), "province": province, "commune": commune,
            "name": "Người dân thử tải", "phone": f"09{rng.randrange(10**8):08d}", "consent_publish": True,
            "device_id": f"bench-{n}"}


async def load(base: str, communes: list[tuple[int, int]], *, seconds: float, warmup: float = 0.0,
               accepted: list[str] | None = None, stop_on_error: bool = False) -> dict[str, Any]:
    """POST submissions for ``warmup + seconds``; latencies of 201s after the warm-up. Codes answered 201
    go into ``accepted``."""
    import aiohttp

    rng = random.Random(2026)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = 0
    start = time.monotonic()
    measure_from, end = start + warmup, start + warmup + seconds
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    timeout = aiohttp.ClientTimeout(total=30)

    async def one(session: aiohttp.ClientSession) -> None:
        nonlocal counter
        while time.monotonic() < end:
            counter += 1
            body = payload(rng, communes, counter)
            sent = time.monotonic()
            try:
                async with session.post(f"{base}/api/v1/feedback/", json=body) as response:
                    data = await response.read()
                    status = response.status
            except (TimeoutError, aiohttp.ClientError, OSError):
                statuses[0] = statuses.get(0, 0) + 1
                if stop_on_error:  # the server is gone: this request may or may not have been written
                    return
                continue
            statuses[status] = statuses.get(status, 0) + 1
            if status == 201:
                if accepted is not None:
                    accepted.append(json.loads(data)["code"])
                if sent >= measure_from:
                    latencies.append((time.monotonic() - sent) * 1000)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(one(session) for _ in range(CONCURRENCY)))
    elapsed = min(time.monotonic(), end) - measure_from
    return {"latencies": latencies, "statuses": statuses, "elapsed": elapsed}


def run_wrk(base: str, communes: list[tuple[int, int]], seconds: float) -> dict[str, Any]:
    """``CONCURRENCY`` connections of wrk (one thread) for ``seconds``: statuses, codes answered 201,
    p50/p99 latency of every answer, duration (``intake.lua``)."""
    work = tempfile.mkdtemp(prefix="df_bench_wrk_")
    communes_path, out_path = os.path.join(work, "communes.txt"), os.path.join(work, "out.json")
    with open(communes_path, "w") as out:
        out.writelines(f"{province} {commune}\n" for province, commune in communes)
    env = {**os.environ, "BENCH_COMMUNES": communes_path, "BENCH_OUT": out_path}
    command = ["wrk", "-t", "1", "-c", str(CONCURRENCY), "-d", f"{int(seconds)}s", "--timeout", "30s",
               "-s", WRK_SCRIPT, base]
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
    with open(out_path) as result:
        data: dict[str, Any] = json.load(result)
    shutil.rmtree(work, ignore_errors=True)
    return data


def reference_inserts(backend: str, size: int) -> float:
    """Plain single-row committed INSERTs of a ``size``-byte row on one connection (the baseline)."""
    text = "x" * size
    if backend == "postgresql":
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("CREATE TABLE bench_reference (id bigserial PRIMARY KEY, body text NOT NULL, "
                         "created_at timestamptz NOT NULL DEFAULT now())")
            start = time.perf_counter()
            for _ in range(REFERENCE_INSERTS):
                conn.execute("INSERT INTO bench_reference (body) VALUES (%s)", (text,))
            elapsed = time.perf_counter() - start
            conn.execute("DROP TABLE bench_reference")
    else:
        import sqlite3

        path = os.path.join(os.environ["DIGITALFRONT_DATA_DIR"], "db.sqlite3")
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("CREATE TABLE bench_reference (id INTEGER PRIMARY KEY, body TEXT NOT NULL, created_at TEXT)")
        start = time.perf_counter()
        for _ in range(REFERENCE_INSERTS):
            conn.execute("INSERT INTO bench_reference (body, created_at) VALUES (?, datetime('now'))", (text,))
        elapsed = time.perf_counter() - start
        conn.execute("DROP TABLE bench_reference")
        conn.close()
    return REFERENCE_INSERTS / elapsed


def django_query(code: str) -> Any:
    """Run ``code`` (which sets ``result``) in a fresh process with Django set up; return ``result``."""
    script = "import json, django\ndjango.setup()\n" + code + "\nprint(json.dumps(result))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    with fresh_database() as backend, redis_server() as redis_url:
        if redis_url:
            os.environ["REDIS_URL"] = redis_url
        log("migrate, load the 34 provinces and 3,321 communes")
        digitalfront("migrate", "--noinput")
        digitalfront("load_units", "--villages", "0", "--quiet")
        communes = django_query(
            "from digitalfront.orgs.models import Unit\n"
            "result = list(Unit.objects.filter(level='commune').values_list('parent_id', 'pk'))")
        row_size = len(json.dumps(payload(random.Random(1), communes, 1), ensure_ascii=False).encode())
        log(f"reference: {REFERENCE_INSERTS} single-row committed inserts of {row_size} bytes")
        db_insert_per_s = reference_inserts(backend, row_size)
        log(f"reference: {db_insert_per_s:.0f} inserts/s")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log_path = os.path.join(tempfile.gettempdir(), f"df_bench_intake_{os.getpid()}.log")
        accepted: list[str] = []
        with web_server(port, log_path):
            asyncio.run(wait_ready(base))
            log(f"load ({LOAD_TOOL}): {CONCURRENCY} in flight, {WARMUP_S} s warm-up, {DURATION_S} s measured")
            if LOAD_TOOL == "wrk":
                accepted += run_wrk(base, communes, WARMUP_S)["codes"]
                measured = run_wrk(base, communes, DURATION_S)
                accepted += measured["codes"]
                statuses = measured["statuses"]
                accepted_per_s = int(statuses.get("201", 0)) / measured["duration_s"]
                p50, p99 = measured["p50_ms"], measured["p99_ms"]  # every answer (all 201 when none refused)
            else:
                result = asyncio.run(load(base, communes, seconds=DURATION_S, warmup=WARMUP_S, accepted=accepted))
                latencies = sorted(result["latencies"])
                statuses = result["statuses"]
                accepted_per_s = len(latencies) / result["elapsed"]
                p50 = statistics.median(latencies) if latencies else None
                p99 = latencies[int(0.99 * (len(latencies) - 1))] if latencies else None
        log(f"accepted {accepted_per_s:.0f}/s, statuses {statuses}")

        log(f"crash phase: SIGKILL the server {CRASH_AFTER_S} s into a load")
        with web_server(port, log_path) as proc:
            asyncio.run(wait_ready(base))

            async def crash() -> dict[str, Any]:
                task = asyncio.create_task(load(base, communes, seconds=60, accepted=accepted, stop_on_error=True))
                await asyncio.sleep(CRASH_AFTER_S)
                os.killpg(proc.pid, signal.SIGKILL)
                return await task

            crashed = asyncio.run(crash())
        log(f"crash phase statuses {crashed['statuses']}")
        codes_path = os.path.join(os.environ["DIGITALFRONT_DATA_DIR"], "answered_201.json")
        with open(codes_path, "w") as out:
            json.dump(sorted(set(accepted)), out)
        found = django_query(
            "from digitalfront.feedback.models import Case\n"
            f"codes = json.load(open({codes_path!r}))\n"
            "result = sum(Case.objects.filter(code__in=codes[i:i + 5000]).count() for i in range(0, len(codes), 5000))")
        lost = len(set(accepted)) - found

    print(json.dumps({
        "accepted_per_s": round(accepted_per_s, 1),
        "p50_ms": round(p50, 1) if p50 is not None else None,
        "p99_ms": round(p99, 1) if p99 is not None else None,
        "lost": lost,
        "answered_201": len(set(accepted)),
        "db_insert_per_s": round(db_insert_per_s, 1),
        "ratio": round(accepted_per_s / db_insert_per_s, 3),
        "concurrency": CONCURRENCY,
        "load_tool": LOAD_TOOL,
        "server": f"{SERVER} {WORKERS}x{THREADS}",
        "cache": "redis" if redis_url else "database",
        "measured_s": DURATION_S,
        "communes": len(communes),
        "backend": backend,
    }))


if __name__ == "__main__":
    main()
