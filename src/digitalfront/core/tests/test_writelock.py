"""``core.writelock``: the writers of an embedded database file take turns on an operating-system lock;
elsewhere it does nothing."""

from __future__ import annotations

import threading
import time
from typing import Any

from digitalfront.core import writelock


def test_the_second_writer_waits_for_the_first_and_goes_on_at_once(monkeypatch: Any, tmp_path: Any) -> None:
    monkeypatch.setattr(writelock, "_lock_path", lambda: tmp_path / "db.sqlite3.writers.lock")
    order: list[str] = []
    holding, released_at = threading.Event(), []

    def first() -> None:
        with writelock.turn():
            order.append("first in")
            holding.set()
            time.sleep(0.3)
            order.append("first out")
            released_at.append(time.monotonic())

    thread = threading.Thread(target=first)
    thread.start()
    holding.wait(5)
    with writelock.turn():
        entered = time.monotonic()
        order.append("second in")
    thread.join(5)
    assert order == ["first in", "first out", "second in"]
    assert entered - released_at[0] < 0.1  # woken by the kernel, not after a sleep


def test_nothing_to_lock_on_an_in_memory_database_or_postgresql(db: Any) -> None:
    assert writelock._lock_path() is None  # the tests' SQLite database lives in memory; or PostgreSQL
    with writelock.turn():
        pass


def test_a_database_file_gets_a_lock_file_beside_it(monkeypatch: Any, tmp_path: Any) -> None:
    from django.db import connection

    monkeypatch.setattr(connection, "vendor", "sqlite")
    monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "db.sqlite3"))
    assert writelock._lock_path() == tmp_path / "db.sqlite3.writers.lock"
    with writelock.turn():
        assert (tmp_path / "db.sqlite3.writers.lock").exists()
