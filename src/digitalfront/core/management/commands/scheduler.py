"""``digitalfront scheduler``: enqueue the periodic jobs (``core.scheduler``) when they are due.

Ticks every few seconds (``core.scheduler.TICK_SECONDS``) and writes its heartbeat. Several schedulers
may run at once (one per machine for availability): a job is still enqueued once per due time. The
tasks themselves are run by ``digitalfront worker``. SIGTERM or SIGINT stop it cleanly (exit code 0).
"""

from __future__ import annotations

import os
import threading
from typing import Any

from django.core.management.base import BaseCommand

from digitalfront.core import scheduler
from digitalfront.core.management.commands.worker import configure_logging
from digitalfront.core.models import ProcessHeartbeat


class Command(BaseCommand):
    help = "Chạy bộ lập lịch: đưa các tác vụ định kỳ vào hàng đợi khi đến hạn."

    def handle(self, *args: Any, verbosity: int = 1, **options: Any) -> None:
        configure_logging(verbosity)
        signals = scheduler.StopSignals().install()
        stop = threading.Event()  # set by this (main) thread only, never by a signal handler
        started = threading.Event()
        threads = [
            threading.Thread(target=scheduler.run_heartbeats, args=([ProcessHeartbeat.Kind.SCHEDULER.value], stop),
                             kwargs={"started": started}, name="heartbeat", daemon=True),
            threading.Thread(target=scheduler.run_loop, args=(stop,), name="scheduler", daemon=True),
        ]
        for thread in threads:
            thread.start()
        try:
            started.wait(10)
            jobs = ", ".join(sorted(scheduler.registered())) or "chưa có"
            self.stdout.write(f"Bộ lập lịch đang chạy (tiến trình {os.getpid()}; tác vụ định kỳ: {jobs}). "
                              "Dừng: Ctrl+C")
            self.stdout.flush()
            signals.wait()
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
        self.stdout.write("Bộ lập lịch đã dừng.")
