"""Benchmark of the live congress dashboard (issue 7).

On a database of its own (SQLite file, or a new PostgreSQL database with ``DATABASE_URL``): the 34
provinces and 3,321 communes (``load-units --villages 0``: villages hold no congress), a whole simulated
term (``congresses.demo``), a staff account; then its own web server as production runs it (granian, 2
workers, threads, ``DJANGO_DEBUG=0``) and its own Redis as the live broker shared by the workers and this
process (``BENCH_LIVE=database`` measures the database broker instead; without redis-server, the same).

- ``dashboard_p95_ms``: ``GET /dai-hoi/`` (national view, full data), signed in, 50 timed runs;
- ``drilldown_p95_ms``: ``GET /dai-hoi/tinh/<code>/`` of the province with the most communes, 50 runs;
- ``dashboard_after_change_p95_ms``, ``drilldown_after_change_p95_ms``: the same pages, each request right
  after a result is saved (untimed) through the service, so that the cached figures are always stale and
  every request computes them again;
- ``push_p95_ms``: a result saved through the service in this process (its transaction committed) →
  the event read by a subscriber of ``/dai-hoi/su-kien/`` over HTTP, 30 saves one after the other.

Targets: 100, 100 and 1000 ms. One JSON line on standard output; progress on standard error::

    .venv/bin/python bench/dashboard.py
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from common import free_port, fresh_database, log, p95, redis_server

WARMUP, RUNS, PUSHES = 5, 50, 30
WORKERS, THREADS = 2, 8
PASSWORD = "bench-mat-khau-2026"  # noqa: S105 - a throw-away account of the bench's own database
TARGETS = {"dashboard_p95_ms": 100.0, "drilldown_p95_ms": 100.0, "push_p95_ms": 1000.0}


def digitalfront(*args: str) -> None:
    command = [sys.executable, "-m", "digitalfront", *args, "--skip-checks"]
    if subprocess.run(command, stdout=subprocess.DEVNULL, check=False).returncode != 0:
        sys.exit(f"digitalfront {' '.join(args)} failed")


@contextlib.contextmanager
def web_server(port: int) -> Iterator[None]:
    env = {**os.environ, "DJANGO_DEBUG": "0", "DB_CONN_MAX_AGE": "60", "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(WORKERS), "--blocking-threads", str(THREADS), "--log-level", "warning",
               "digitalfront.wsgi:application"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr, start_new_session=True)
    try:
        yield
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def sign_in(session: Any, base: str, username: str) -> None:
    page = session.get(f"{base}/dang-nhap/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        sys.exit("no sign-in form")
    response = session.post(f"{base}/dang-nhap/", data={"username": username, "password": PASSWORD,
                                                        "csrfmiddlewaretoken": token.group(1)},
                            headers={"Referer": f"{base}/dang-nhap/"}, timeout=30)
    if response.status_code != 200 or "/dang-nhap/" in response.url:
        sys.exit(f"sign-in failed: {response.status_code} {response.url}")


def timed(session: Any, url: str, before: Callable[[], None] | None = None) -> list[float]:
    """``RUNS`` timed GETs after ``WARMUP`` untimed ones; ``before`` (untimed) runs ahead of each."""
    for _ in range(WARMUP):
        if session.get(url, timeout=30).status_code != 200:
            sys.exit(f"GET {url} failed")
    samples = []
    for _ in range(RUNS):
        if before is not None:
            before()
        started = time.perf_counter()
        response = session.get(url, timeout=30)
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            sys.exit(f"GET {url}: {response.status_code}")
    return samples


def subscriber(session: Any, url: str, events: queue.Queue[tuple[float, dict[str, Any]]], ready: threading.Event,
               stop: threading.Event) -> None:
    """Read the event stream; put (arrival time, data) of each event; reconnect when the server ends it."""
    while not stop.is_set():
        with session.get(url, stream=True, timeout=(10, 60), headers={"Accept": "text/event-stream"}) as response:
            ready.set()
            data: list[str] = []
            for raw in response.iter_lines(decode_unicode=True):
                if stop.is_set():
                    return
                if raw is None:
                    continue
                if raw.startswith("data:"):
                    data.append(raw[5:].strip())
                elif raw == "" and data:
                    with contextlib.suppress(ValueError):
                        events.put((time.perf_counter(), json.loads("\n".join(data))))
                    data = []


def main() -> None:
    import requests

    broker = redis_server() if os.environ.get("BENCH_LIVE", "redis") == "redis" else contextlib.nullcontext("")
    with fresh_database() as backend, broker as redis_url:
        if redis_url:
            os.environ["REDIS_URL"] = redis_url
            os.environ["DIGITALFRONT_LIVE_BACKEND"] = "redis"
        log("migrate, units (34 provinces, 3,321 communes)")
        digitalfront("migrate", "--noinput")
        digitalfront("load-units", "--villages", "0", "--quiet")
        import django

        django.setup()
        from digitalfront.accounts.models import UnitRole, User
        from digitalfront.congresses.demo import load_congress_demo
        from digitalfront.congresses.models import Congress
        from digitalfront.congresses.services import congresses as service
        from digitalfront.orgs.models import Level, Unit

        log("simulated term")
        started = time.perf_counter()
        term = load_congress_demo()
        generate_s = time.perf_counter() - started
        central = Unit.objects.get(level=Level.CENTRAL)
        viewer = User.objects.create_user(username="bench.trunguong", password=PASSWORD, full_name="Bench")
        UnitRole.objects.create(user=viewer, unit=central, role="viewer")
        editor = User.objects.create_user(username="bench.nhaplieu", password=PASSWORD, full_name="Bench 2")
        UnitRole.objects.create(user=editor, unit=central, role="data_entry")
        largest = max(Unit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True),
                      key=lambda p: Unit.objects.filter(parent=p, valid_to__isnull=True).count())
        from django.db import connections

        connections.close_all()

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with web_server(port):
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with contextlib.suppress(requests.RequestException):
                    if requests.get(f"{base}/dang-nhap/", timeout=2).status_code == 200:
                        break
                time.sleep(0.2)
            else:
                sys.exit("the web server did not start")
            session = requests.Session()
            sign_in(session, base, viewer.username)
            log("national dashboard")
            dashboard = timed(session, f"{base}/dai-hoi/")
            log(f"drill-down: {largest.name}")
            drilldown = timed(session, f"{base}/dai-hoi/tinh/{largest.code}/")

            # the same pages right after a result is saved somewhere: the cached figures are stale, so
            # every request computes them again (what a page loaded during a busy congress day costs)
            changes = iter(Congress.objects.filter(term__name=term["term"], status="held")
                           .values_list("pk", "delegates_attending")[PUSHES:PUSHES + 2 * RUNS])

            def change() -> None:
                pk, attending = next(changes)
                fewer = max(0, (attending or 1) - 1)
                service.update(actor=editor, congress_id=pk, values={"delegates_attending": fewer})

            log("national dashboard, after each change")
            dashboard_changed = timed(session, f"{base}/dai-hoi/", before=change)
            log("drill-down, after each change")
            drilldown_changed = timed(session, f"{base}/dai-hoi/tinh/{largest.code}/", before=change)

            log("push: save -> event")
            events: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
            ready, stop = threading.Event(), threading.Event()
            listener = requests.Session()
            listener.cookies.update(session.cookies)
            thread = threading.Thread(target=subscriber, args=(listener, f"{base}/dai-hoi/su-kien/", events, ready,
                                                               stop), daemon=True)
            thread.start()
            ready.wait(30)
            time.sleep(0.5)
            targets = list(Congress.objects.filter(term__name=term["term"], status="held")
                           .values_list("pk", "delegates_attending")[:PUSHES])
            push = []
            for pk, attending in targets:
                started = time.perf_counter()
                fewer = max(0, (attending or 1) - 1)
                service.update(actor=editor, congress_id=pk, values={"delegates_attending": fewer})
                while True:
                    try:
                        arrived, data = events.get(timeout=10)
                    except queue.Empty:
                        sys.exit(f"no event for congress {pk}")
                    if str(data.get("id", data.get("congress_id"))) == str(pk):
                        push.append((arrived - started) * 1000)
                        break
            stop.set()
        result = {
            "congresses": term["congresses"], "dashboard_p50_ms": round(statistics.median(dashboard), 1),
            "dashboard_p95_ms": round(p95(dashboard), 1), "drilldown_p50_ms": round(statistics.median(drilldown), 1),
            "drilldown_p95_ms": round(p95(drilldown), 1),
            "dashboard_after_change_p95_ms": round(p95(dashboard_changed), 1),
            "drilldown_after_change_p95_ms": round(p95(drilldown_changed), 1),
            "drilldown_communes": Unit.objects.filter(parent=largest).count(),
            "push_p50_ms": round(statistics.median(push), 1), "push_p95_ms": round(p95(push), 1),
            "pushes": len(push), "generate_s": round(generate_s, 1), "live": "redis" if redis_url else "database",
            "server": f"granian {WORKERS}x{THREADS}", "backend": backend, "targets": TARGETS,
        }
        connections.close_all()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
