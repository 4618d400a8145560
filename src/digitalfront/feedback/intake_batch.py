"""Group commit for intake: many requests, one transaction, each answered only after the commit.

A web process under load receives submissions on many threads at once. Instead of one transaction
(and one disk flush) per submission, each request thread hands its checked :class:`Submission` to the
process's writer thread and waits; the writer takes everything that is waiting (no artificial delay:
at low load a batch is one submission), writes it with ``intake.write_many`` in one transaction, and
wakes each request with its receipt. A request is therefore acknowledged exactly when its case is
committed, and a crash before the commit loses only requests that were never answered.

The abuse limits (``feedback.guard``) are counted by the writer too, for the whole batch in one round
trip to the shared cache: a submission past a limit is answered with :class:`guard.Refused` and not
written. If a batch fails as a whole (a database error), its submissions are retried one by one, so one
bad submission cannot fail the others. ``DIGITALFRONT_INTAKE_BATCH=0`` writes in the request's own thread
(the tests do, because their data lives in the test's transaction).
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.db import close_old_connections, connections

from . import guard
from .services import intake

logger = logging.getLogger(__name__)

MAX_BATCH = 200
WAIT_SECONDS = 30.0


@dataclass
class _Pending:
    built: intake.Built
    count: guard.Count | None = None
    done: threading.Event = field(default_factory=threading.Event)
    receipt: intake.Receipt | None = None
    error: BaseException | None = None


class Writer:
    """The process's writer thread and its queue (created on first use, after any fork)."""

    def __init__(self) -> None:
        self.queue: queue.Queue[_Pending | None] = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="intake-writer", daemon=True)
        self.thread.start()

    def submit(self, submission: intake.Submission, count: guard.Count | None = None) -> intake.Receipt:
        pending = _Pending(intake.build(submission), count)  # the CPU work in the request's thread
        self.queue.put(pending)
        if not pending.done.wait(WAIT_SECONDS):
            raise TimeoutError("intake writer did not answer")
        if pending.error is not None:
            raise pending.error
        assert pending.receipt is not None
        return pending.receipt

    def _take(self) -> list[_Pending | None]:
        batch: list[_Pending | None] = [self.queue.get()]
        while len(batch) < MAX_BATCH and batch[-1] is not None:
            try:
                batch.append(self.queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def stop(self) -> None:
        """Finish what is queued, close the thread's database connection and end the thread."""
        self.queue.put(None)
        self.thread.join(WAIT_SECONDS)

    def _run(self) -> None:
        while True:
            taken = self._take()
            batch = [p for p in taken if p is not None]
            if batch:
                self._write(batch)
            if len(batch) < len(taken):  # the stop sentinel
                connections.close_all()
                return

    def _write(self, batch: list[_Pending]) -> None:
        batch = self._within_limits(batch)
        if not batch:
            return
        close_old_connections()
        try:
            receipts = intake.write_many([p.built for p in batch])
        except Exception:
            logger.warning("intake batch of %d failed; writing one by one", len(batch), exc_info=True)
            for pending in batch:
                try:
                    pending.receipt = intake.write_many([pending.built])[0]
                except BaseException as exc:
                    pending.error = exc
                pending.done.set()
            return
        for pending, receipt in zip(batch, receipts, strict=True):
            pending.receipt = receipt
            pending.done.set()

    def _within_limits(self, batch: list[_Pending]) -> list[_Pending]:
        """Count the batch's submissions against the abuse limits at once; answer those refused."""
        counted = [p for p in batch if p.count is not None]
        if not counted:
            return batch
        try:
            verdicts = guard.check_many([p.count for p in counted if p.count is not None])
        except Exception as exc:  # the shared cache is down: the same error as counting in the request
            logger.warning("intake batch of %d: limits not counted", len(counted), exc_info=True)
            for pending in counted:
                pending.error = exc
                pending.done.set()
            return [p for p in batch if p.count is None]
        for pending, verdict in zip(counted, verdicts, strict=True):
            if not verdict.allowed:
                pending.error = guard.Refused(verdict)
                pending.done.set()
        return [p for p in batch if p.error is None]


_writer: Writer | None = None
_lock = threading.Lock()
_pid = 0


def writer() -> Writer:
    global _writer, _pid
    import os

    with _lock:
        if _writer is None or _pid != os.getpid() or not _writer.thread.is_alive():
            _writer, _pid = Writer(), os.getpid()
        return _writer


def shutdown() -> None:
    """Stop this process's writer thread, if any (tests; a clean exit)."""
    global _writer
    with _lock:
        if _writer is not None:
            _writer.stop()
        _writer = None


def enabled() -> bool:
    return bool(getattr(settings, "DIGITALFRONT_INTAKE_BATCH", True))


def submit_batched(submission: intake.Submission, count: guard.Count | None = None) -> intake.Receipt:
    """Count ``submission`` against the abuse limits (``count``, from ``guard.counted``; raises
    :class:`guard.Refused` past them), write it (through the writer thread when batching is on) and
    return its receipt."""
    if not enabled() or submission.files:
        if count is not None:
            verdict = guard.check_many([count])[0]
            if not verdict.allowed:
                raise guard.Refused(verdict)
        return intake.submit(submission)
    return writer().submit(submission, count)
