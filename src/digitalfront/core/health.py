"""The administrators' health page of the background work: ``/he-thong/suc-khoe/`` and its JSON variant
``/he-thong/suc-khoe.json`` for monitoring (``core.health_urls``).

It answers three questions: is a worker running (tasks get done), is a scheduler running (periodic jobs
get enqueued, none is late), and are tasks piling up or failing. Superusers only; anybody else signed
in gets the same 404 as a missing page, anonymous users the login page.

Failed tasks are shown by task path, time and exception class only: their arguments and tracebacks
may hold personal data (a citizen's name in a notification) and never leave the database here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Min
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult

from digitalfront.core import scheduler
from digitalfront.core.models import ProcessHeartbeat, ScheduledJob

#: A job whose planned run is this much in the past has been missed (the scheduler ticks every few s).
LATE_AFTER = datetime.timedelta(minutes=1)
RECENT = datetime.timedelta(hours=24)
FAILURES_SHOWN = 10
PROCESSES_SHOWN = 20
STATUS_LABELS = {"running": "Đang chạy", "stopped": "Đã dừng", "lost": "Mất liên lạc"}


@dataclass
class ProcessRow:
    kind: str
    kind_label: str
    hostname: str
    pid: int
    started_at: datetime.datetime
    last_seen_at: datetime.datetime
    stopped_at: datetime.datetime | None
    status: str
    seen_ago: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def ok(self) -> bool:
        return self.status == "running"


@dataclass
class JobRow:
    name: str
    task_path: str
    every_seconds: int
    enabled: bool
    last_enqueued_at: datetime.datetime | None
    next_run_at: datetime.datetime | None  # None: registered, the scheduler has not seen it yet
    late: bool
    registered: bool

    @property
    def every_label(self) -> str:
        return every_label(self.every_seconds)


@dataclass
class Health:
    """What the page and the JSON show, read at ``now``."""

    now: datetime.datetime
    processes: list[ProcessRow]
    worker_alive: bool
    scheduler_alive: bool
    jobs: list[JobRow]
    tasks: dict[str, Any]
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.worker_alive and self.scheduler_alive and not any(job.late for job in self.jobs)


def every_label(seconds: int) -> str:
    """``5400`` -> ``"1 giờ 30 phút"``."""
    parts = []
    for size, unit in ((86400, "ngày"), (3600, "giờ"), (60, "phút"), (1, "giây")):
        if seconds >= size:
            parts.append(f"{seconds // size} {unit}")
            seconds %= size
    return " ".join(parts) or "0 giây"


def ago_label(delta: datetime.timedelta) -> str:
    """How long ago, in the largest whole unit: ``"5 phút"`` (Django's ``timesince`` has no Vietnamese)."""
    seconds = max(int(delta.total_seconds()), 0)
    for size, unit in ((86400, "ngày"), (3600, "giờ"), (60, "phút")):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{seconds} giây"


def read_health(now: datetime.datetime | None = None) -> Health:
    """The state of the workers, schedulers, periodic jobs and task queue at ``now``."""
    now = now or timezone.now()
    kinds = dict(ProcessHeartbeat.Kind.choices)
    processes = [
        ProcessRow(kind=hb.kind, kind_label=str(kinds.get(hb.kind, hb.kind)), hostname=hb.hostname, pid=hb.pid,
                   started_at=hb.started_at, last_seen_at=hb.last_seen_at, stopped_at=hb.stopped_at,
                   status=scheduler.status_of(hb, now), seen_ago=ago_label(now - hb.last_seen_at))
        for hb in ProcessHeartbeat.objects.order_by("-last_seen_at", "-pk")[:PROCESSES_SHOWN]
    ]
    return Health(
        now=now, processes=processes,
        worker_alive=scheduler.alive(ProcessHeartbeat.Kind.WORKER, now),
        scheduler_alive=scheduler.alive(ProcessHeartbeat.Kind.SCHEDULER, now),
        jobs=_jobs(now), tasks=_tasks(now), failures=_failures(),
    )


def _jobs(now: datetime.datetime) -> list[JobRow]:
    registered = scheduler.registered()
    rows = []
    seen = set()
    for job in ScheduledJob.objects.all():
        seen.add(job.name)
        is_registered = job.name in registered
        rows.append(JobRow(
            name=job.name, task_path=job.task_path, every_seconds=job.every_seconds, enabled=job.enabled,
            last_enqueued_at=job.last_enqueued_at, next_run_at=job.next_run_at, registered=is_registered,
            late=job.enabled and is_registered and job.next_run_at < now - LATE_AFTER,
        ))
    for name, reg in registered.items():
        if name not in seen:  # added in code since the scheduler last ran
            rows.append(JobRow(name=name, task_path=reg.task.module_path, every_seconds=reg.every_seconds,
                               enabled=True, last_enqueued_at=None, next_run_at=None, late=False,
                               registered=True))
    return sorted(rows, key=lambda r: r.name)


def _tasks(now: datetime.datetime) -> dict[str, Any]:
    since = now - RECENT
    results = DBTaskResult.objects.all()
    oldest = results.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
    return {
        "ready": results.filter(status=TaskResultStatus.READY).count(),
        "running": results.filter(status=TaskResultStatus.RUNNING).count(),
        "failed_24h": results.filter(status=TaskResultStatus.FAILED, finished_at__gte=since).count(),
        "successful_24h": results.filter(status=TaskResultStatus.SUCCESSFUL, finished_at__gte=since).count(),
        # how long the oldest task that could run has waited: a growing figure means too few workers
        "oldest_ready_seconds": int((now - oldest).total_seconds()) if oldest else None,
    }


def _failures() -> list[dict[str, Any]]:
    # only these three columns are read: never the arguments, the return value or the traceback
    rows = (DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
            .order_by("-finished_at").values("task_path", "finished_at", "exception_class_path")[:FAILURES_SHOWN])
    return [{"task": r["task_path"], "finished_at": r["finished_at"], "exception": r["exception_class_path"]}
            for r in rows]


# --- views --------------------------------------------------------------------------------------------


def superuser_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous: the login page; signed in but not a superuser: 404, as for a page that does not exist
    (the page's existence is not advertised)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "is_superuser", False):
            raise Http404("Không tìm thấy trang.")
        return view(request, *args, **kwargs)

    return login_required(never_cache(wrapped))


@superuser_only
def health_page(request: HttpRequest) -> HttpResponse:
    return render(request, "core/health.html", {"health": read_health(), "nav": "health",
                                                "stale_seconds": int(scheduler.STALE_AFTER.total_seconds())})


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@superuser_only
def health_json(request: HttpRequest) -> HttpResponse:
    health = read_health()
    return JsonResponse({
        "ok": health.ok,
        "checked_at": _iso(health.now),
        "worker_alive": health.worker_alive,
        "scheduler_alive": health.scheduler_alive,
        "processes": [{"kind": p.kind, "hostname": p.hostname, "pid": p.pid, "status": p.status,
                       "started_at": _iso(p.started_at), "last_seen_at": _iso(p.last_seen_at),
                       "stopped_at": _iso(p.stopped_at)} for p in health.processes],
        "jobs": [{"name": j.name, "task": j.task_path, "every_seconds": j.every_seconds, "enabled": j.enabled,
                  "registered": j.registered, "last_enqueued_at": _iso(j.last_enqueued_at),
                  "next_run_at": _iso(j.next_run_at), "late": j.late} for j in health.jobs],
        "tasks": {**health.tasks, "recent_failures": [{**f, "finished_at": _iso(f["finished_at"])}
                                                      for f in health.failures]},
    })
