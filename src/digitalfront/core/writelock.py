"""Writers of the embedded database taking turns without polling.

SQLite lets one writer at a time hold its database; the others wait in its busy handler, which sleeps in
growing steps (up to 100 ms) before trying again, so under a steady stream of writes from several
processes a waiting transaction can sleep long after the lock came free. Hot writers (intake's batch
writer in every web process) take an operating-system lock on a file beside the database first: the
kernel wakes the next one as soon as the lock is released. Other writers are unaffected (they still
meet SQLite's own lock and its busy handler). On PostgreSQL, or on an in-memory database, this does
nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from django.db import connection


def _lock_path() -> Path | None:
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    return Path(f"{name}.writers.lock")


@contextlib.contextmanager
def turn() -> Iterator[None]:
    """Hold the writers' turn of the embedded database for the length of the block (a transaction)."""
    path = _lock_path()
    if path is None:
        yield
        return
    try:
        import fcntl
    except ImportError:  # not on a POSIX system: SQLite's own waiting only
        yield
        return
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
