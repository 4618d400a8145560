"""Periodic jobs and the heartbeats of the background processes.

Apps register their periodic jobs in ``AppConfig.ready()``::

    from digitalfront.core import scheduler
    scheduler.register("nhac-han-xu-ly", every=datetime.timedelta(hours=1), task=send_deadline_reminders)

where the task is a ``django.tasks`` task (``@task``) taking no arguments. The registry lives in
memory, the state in the database (``core.ScheduledJob``), so a scheduler that was stopped knows at its
first :func:`tick` what it missed. A job that missed several intervals runs *once*: jobs are written to
process everything that is due up to the moment they run, not one interval's worth.

A tick never enqueues a job twice, even with two schedulers running: each due job is locked
(``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL; on SQLite the ``IMMEDIATE`` transaction takes the
write lock at BEGIN, so schedulers queue), re-checked, enqueued and moved on *in one transaction*. The
database task backend writes its row in that transaction, so a crash loses no run and doubles none.

The processes (``digitalfront worker``, ``digitalfront scheduler``) write a ``core.ProcessHeartbeat``
row every :data:`HEARTBEAT_SECONDS`; the health page (``core.health``) reads them.
"""

from __future__ import annotations

import datetime
import logging
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass
from types import FrameType
from typing import Any

from django.db import DatabaseError, close_old_connections, connection, transaction
from django.tasks import Task
from django.utils import timezone

from digitalfront.core.models import ProcessHeartbeat, ScheduledJob

logger = logging.getLogger(__name__)

#: How often a background process writes its heartbeat.
HEARTBEAT_SECONDS = 10
#: A heartbeat older than this (three missed beats) means the process is gone or hung.
STALE_AFTER = datetime.timedelta(seconds=3 * HEARTBEAT_SECONDS)
#: How often the scheduler loop looks for due jobs; a job runs at most this late.
TICK_SECONDS = 5
#: Stopped processes' heartbeats are kept this long (the health page shows recent restarts), then pruned.
KEEP_STOPPED = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Job:
    """A registered periodic job: ``task`` (no arguments) is enqueued every ``every``."""

    name: str
    every: datetime.timedelta
    task: Task

    @property
    def every_seconds(self) -> int:
        return int(self.every.total_seconds())


_registry: dict[str, Job] = {}


def register(name: str, *, every: datetime.timedelta, task: Task) -> Job:
    """Register the periodic job ``name``: enqueue ``task`` (a ``@task`` taking no arguments) every
    ``every`` (one second at least). Called from ``AppConfig.ready()``; registering the same job again
    replaces it (``ready()`` may run twice in tests), so the code decides the interval."""
    if not isinstance(task, Task):
        raise TypeError(f"{name}: task must be a django.tasks Task (decorated with @task), not {task!r}")
    if every < datetime.timedelta(seconds=1):
        raise ValueError(f"{name}: the interval must be one second or more")
    if not name or len(name) > ScheduledJob._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ValueError(f"{name!r}: a job name has 1 to 100 characters")
    job = Job(name=name, every=every, task=task)
    _registry[name] = job
    return job


def unregister(name: str) -> None:
    """Forget the job ``name`` (tests; a job switched off in code). Its database row stays, unused."""
    _registry.pop(name, None)


def registered() -> dict[str, Job]:
    """The registered jobs by name (a copy)."""
    return dict(_registry)


def sync_jobs(now: datetime.datetime | None = None) -> None:
    """Give every registered job its database row; a new job is due at once (it runs at the first tick).

    An interval changed in code is written to the row; the next run already planned stays, unless the
    new interval brings it closer."""
    now = now or timezone.now()
    known = {job.name: job for job in ScheduledJob.objects.filter(name__in=list(_registry))}
    for name, job in _registry.items():
        row = known.get(name)
        if row is None:
            # ignore_conflicts: another scheduler may create the same row at the same moment
            ScheduledJob.objects.bulk_create([ScheduledJob(
                name=name, task_path=job.task.module_path, every_seconds=job.every_seconds, next_run_at=now,
            )], ignore_conflicts=True)
        elif row.every_seconds != job.every_seconds or row.task_path != job.task.module_path:
            updates: dict[str, Any] = {"every_seconds": job.every_seconds, "task_path": job.task.module_path}
            if row.last_enqueued_at is not None:
                updates["next_run_at"] = min(row.next_run_at, row.last_enqueued_at + job.every)
            ScheduledJob.objects.filter(pk=row.pk).update(**updates)


def tick(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every enabled registered job due at ``now`` (default: the current time), once each, and
    plan its next run at ``now + every``. Returns the names of the jobs enqueued by this call.

    One transaction per job: a job whose enqueue fails is logged and retried at the next tick, and does
    not hold back the others."""
    now = now or timezone.now()
    sync_jobs(now)
    due = ScheduledJob.objects.filter(enabled=True, next_run_at__lte=now, name__in=list(_registry))
    enqueued = []
    for name in list(due.values_list("name", flat=True)):  # read before the per-job transactions
        try:
            if _enqueue_if_due(name, now):
                enqueued.append(name)
        except Exception:
            logger.exception("Scheduled job %s could not be enqueued; retrying at the next tick", name)
    return enqueued


def _enqueue_if_due(name: str, now: datetime.datetime) -> bool:
    job = _registry[name]
    with transaction.atomic():
        # Re-read under the lock: another scheduler may have enqueued it since the query in tick();
        # then next_run_at has moved past now (or the row is locked and skipped).
        row = (ScheduledJob.objects.select_for_update(skip_locked=True)
               .filter(name=name, enabled=True, next_run_at__lte=now).first())
        if row is None:
            return False
        result = job.task.enqueue()
        row.last_enqueued_at = now
        row.next_run_at = now + job.every
        row.last_task_id = str(result.id)[:64]
        row.save(update_fields=["last_enqueued_at", "next_run_at", "last_task_id"])
    logger.info("Scheduled job %s enqueued as task %s", name, result.id)
    return True


def run_loop(stop: threading.Event, *, tick_seconds: float = TICK_SECONDS) -> None:
    """Tick every ``tick_seconds`` until ``stop`` is set. A failing tick (database locked or briefly
    gone) is logged and the loop goes on: the next tick catches up."""
    try:
        while not stop.is_set():
            close_old_connections()
            try:
                tick()
            except Exception:  # the loop must outlive a bad tick: its heartbeat says it is alive
                logger.exception("Scheduler tick failed; trying again in %s s", tick_seconds)
            stop.wait(tick_seconds)
    finally:
        connection.close()  # this thread's connection; its row locks are long released


class StopSignals:
    """SIGTERM and SIGINT as a request to stop, for a command's main thread: :meth:`wait` returns once
    one arrived. The handler only writes an attribute: a handler must take no lock (``Event.set()`` there
    deadlocks when the signal lands while the main thread holds that event's lock)."""

    def __init__(self) -> None:
        self.received: int | None = None

    def install(self) -> StopSignals:
        signal.signal(signal.SIGINT, self._handle)
        signal.signal(signal.SIGTERM, self._handle)
        return self

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.received = signum

    def wait(self, poll: float = 0.2) -> None:
        while self.received is None:
            time.sleep(poll)


# --- heartbeats ---------------------------------------------------------------------------------------


class Heartbeat:
    """The ``ProcessHeartbeat`` row of this process for one ``kind`` (worker or scheduler)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.hostname = socket.gethostname()[:255]
        self.pid = os.getpid()

    def _row(self) -> Any:
        return ProcessHeartbeat.objects.filter(kind=self.kind, hostname=self.hostname, pid=self.pid)

    def start(self) -> None:
        """Write the row of a process that has just started (a reused pid takes the old row over), and
        prune the rows of processes that stopped long ago."""
        now = timezone.now()
        ProcessHeartbeat.objects.update_or_create(
            kind=self.kind, hostname=self.hostname, pid=self.pid,
            defaults={"started_at": now, "last_seen_at": now, "stopped_at": None},
        )
        ProcessHeartbeat.objects.filter(last_seen_at__lt=now - KEEP_STOPPED).delete()

    def beat(self) -> None:
        """Say the process is still alive."""
        if not self._row().update(last_seen_at=timezone.now(), stopped_at=None):
            self.start()  # the row was deleted (pruned by hand): write it again

    def stop(self) -> None:
        """Mark the process as stopped cleanly."""
        now = timezone.now()
        self._row().update(last_seen_at=now, stopped_at=now)


def run_heartbeats(kinds: list[str], stop: threading.Event, *, every: float = HEARTBEAT_SECONDS,
                   started: threading.Event | None = None) -> None:
    """Beat for each of ``kinds`` every ``every`` seconds until ``stop`` is set, then mark them stopped.

    ``started`` is set once the first beat is written (or failed), so that a command can print that it
    runs only once the health page would agree."""
    beats = [Heartbeat(kind) for kind in kinds]
    try:
        first = True
        while first or not stop.wait(every):
            close_old_connections()
            try:
                for beat in beats:
                    if first:
                        beat.start()
                    else:
                        beat.beat()
            except DatabaseError:
                logger.exception("Heartbeat could not be written; trying again in %s s", every)
            if first and started is not None:
                started.set()
            first = False
        for beat in beats:
            try:
                beat.stop()
            except DatabaseError:
                logger.exception("The stopped heartbeat could not be written")
    finally:
        connection.close()


def status_of(heartbeat: ProcessHeartbeat, now: datetime.datetime | None = None) -> str:
    """``"running"``, ``"stopped"`` (exited cleanly) or ``"lost"`` (no beat for :data:`STALE_AFTER`)."""
    if heartbeat.stopped_at is not None:
        return "stopped"
    now = now or timezone.now()
    return "lost" if heartbeat.last_seen_at < now - STALE_AFTER else "running"


def alive(kind: str, now: datetime.datetime | None = None) -> bool:
    """Whether some process of ``kind`` has beaten recently and not stopped."""
    now = now or timezone.now()
    return ProcessHeartbeat.objects.filter(kind=kind, stopped_at__isnull=True,
                                           last_seen_at__gte=now - STALE_AFTER).exists()
