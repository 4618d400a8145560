"""``digitalfront worker [--with-scheduler]``: run the background tasks of every queue.

The task loop is django-tasks-db's (``db_worker``'s ``Worker``), in the main thread; a second thread
writes the heartbeat (``core.ProcessHeartbeat``), and with ``--with-scheduler`` a third one runs the
periodic-job scheduler (``core.scheduler``), so that the embedded default needs one extra process only.
In production run workers without it and one or two ``digitalfront scheduler`` processes.

SIGTERM or SIGINT (Ctrl+C) lets the running task finish, then the process exits with code 0 and its
heartbeats marked stopped; a second signal ends the running task (exit code 1), as ``db_worker`` does.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from digitalfront.core import scheduler
from digitalfront.core.models import ProcessHeartbeat

LOGGERS = ("django.tasks", "django_tasks_db", "digitalfront.core.scheduler")


def configure_logging(verbosity: int) -> None:
    """Task starts and ends at INFO with the default verbosity (the root handler writes to stderr)."""
    level = {0: logging.CRITICAL, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    for name in LOGGERS:
        logging.getLogger(name).setLevel(level)


#: Signals this close to the first one are the same request to stop: a terminal's Ctrl+C reaches every
#: process of its group, and scripts/run.sh then sends SIGTERM as well.
SAME_REQUEST_SECONDS = 2.0


class GracefulWorker(Worker):
    """``db_worker``'s loop, stopping without ``sys.exit``: the first signal ends the loop after the
    running task or the current idle wait (``interval``), so that the command can stop its threads and
    mark its heartbeat stopped; and a task just claimed is never left half-started."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.first_signal_at: float | None = None

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        # No lock may be taken here (the threads' Event is set by the main thread once the loop ends):
        # a second signal landing while the first handler holds a lock would deadlock.
        now = time.monotonic()
        if self.first_signal_at is not None and now - self.first_signal_at < SAME_REQUEST_SECONDS:
            return
        if not self.running:  # a second, later signal: as db_worker, end the running task (exit 1)
            super().shutdown(signum, frame)
            return
        self.first_signal_at = now
        self.running = False  # before logging: a signal landing during the log call is then ignored
        logging.getLogger("django_tasks_db").warning(
            "Received %s - shutting down after the current task (press Ctrl+C again to force)",
            signal.strsignal(signum))


class Command(BaseCommand):
    help = "Chạy bộ xử lý tác vụ nền cho mọi hàng đợi; --with-scheduler chạy kèm bộ lập lịch tác vụ định kỳ."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--with-scheduler", action="store_true",
                            help="Chạy kèm bộ lập lịch trong cùng tiến trình (cấu hình một máy)")
        parser.add_argument("--queues", default="*",
                            help="Các hàng đợi, cách nhau bằng dấu phẩy (mặc định: tất cả, '*')")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="Số giây chờ khi không có tác vụ trước khi xem lại hàng đợi (mặc định 1)")

    def handle(self, *args: Any, with_scheduler: bool = False, queues: str = "*", interval: float = 1.0,
               verbosity: int = 1, **options: Any) -> None:
        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            raise CommandError("Tác vụ nền không dùng cơ sở dữ liệu (DIGITALFRONT_TASKS_BACKEND): "
                               "không có gì để bộ xử lý chạy.")
        if interval <= 0:
            raise CommandError("--interval phải lớn hơn 0.")
        configure_logging(verbosity)
        stop = threading.Event()  # ends the threads; set by the main thread only, never by a signal handler
        queue_names = [q.strip() for q in queues.split(",") if q.strip()] or ["*"]
        # unique across the pool, and readable in the task results: which machine and process ran it
        worker_id = f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"
        worker = GracefulWorker(
            queue_names=queue_names, interval=interval, batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS, startup_delay=True, max_tasks=None,
            worker_id=worker_id, excluded_queue_names=[],
        )
        kinds = [ProcessHeartbeat.Kind.WORKER.value]
        if with_scheduler:
            kinds.append(ProcessHeartbeat.Kind.SCHEDULER.value)
        started = threading.Event()
        threads = [threading.Thread(target=scheduler.run_heartbeats, args=(kinds, stop),
                                    kwargs={"started": started}, name="heartbeat", daemon=True)]
        if with_scheduler:
            threads.append(threading.Thread(target=scheduler.run_loop, args=(stop,), name="scheduler",
                                            daemon=True))
        worker.configure_signals()
        for thread in threads:
            thread.start()
        try:
            started.wait(10)
            self.stdout.write(
                f"Bộ xử lý tác vụ nền đang chạy (tiến trình {os.getpid()}, hàng đợi: "
                f"{'tất cả' if '*' in queue_names else ', '.join(queue_names)}"
                f"{', kèm bộ lập lịch' if with_scheduler else ''}). Dừng: Ctrl+C")
            self.stdout.flush()
            worker.run()
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
            worker.reset_signals()
        self.stdout.write("Bộ xử lý tác vụ nền đã dừng.")
