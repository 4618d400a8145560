"""The periodic-job scheduler (``core.scheduler``): first run, intervals, catch-up after a gap, state
that survives a restart, disabled jobs, no double enqueue, and enqueue and state in one transaction."""

import datetime
import importlib

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from digitalfront.core import scheduler
from digitalfront.core.models import ScheduledJob
from digitalfront.core.tests.sample_tasks import noop

T0 = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)
JOB = "kiem-thu"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def registry(monkeypatch):
    """An empty registry for each test (the apps' own jobs stay out of the counts), restored after."""
    monkeypatch.setattr(scheduler, "_registry", {})
    return scheduler._registry


def runs() -> int:
    return DBTaskResult.objects.filter(task_path=noop.module_path).count()


def tick_at(moment: datetime.datetime) -> list[str]:
    with time_machine.travel(moment, tick=False):
        return scheduler.tick()


def row() -> ScheduledJob:
    return ScheduledJob.objects.get(name=JOB)


def test_first_tick_enqueues_a_new_job_and_plans_the_next_run():
    scheduler.register(JOB, every=HOUR, task=noop)
    assert tick_at(T0) == [JOB]
    assert runs() == 1
    job = row()
    assert (job.last_enqueued_at, job.next_run_at, job.every_seconds) == (T0, T0 + HOUR, 3600)
    result = DBTaskResult.objects.get(task_path=noop.module_path)
    assert job.last_task_id == str(result.id)
    assert result.status == "READY"
    assert result.enqueued_at == T0


def test_a_tick_before_the_interval_does_nothing():
    scheduler.register(JOB, every=HOUR, task=noop)
    tick_at(T0)
    assert tick_at(T0 + datetime.timedelta(minutes=59, seconds=59)) == []
    assert runs() == 1
    assert row().next_run_at == T0 + HOUR
    assert tick_at(T0 + HOUR) == [JOB]  # due exactly at next_run_at
    assert runs() == 2


def test_after_a_gap_of_three_intervals_one_tick_enqueues_once():
    scheduler.register(JOB, every=HOUR, task=noop)
    tick_at(T0)
    later = T0 + 3 * HOUR + datetime.timedelta(minutes=20)
    assert tick_at(later) == [JOB]
    assert runs() == 2  # one catch-up run, not three
    job = row()
    assert job.last_enqueued_at == later
    assert job.next_run_at == later + HOUR  # moved past now, not T0 + 2h
    assert tick_at(later) == []  # a second tick at the same moment finds nothing due
    assert runs() == 2


def test_the_database_row_decides_after_a_restart():
    scheduler.register(JOB, every=HOUR, task=noop)
    tick_at(T0)
    # a new scheduler process: the module (and its in-memory registry) is loaded afresh
    fresh = importlib.reload(scheduler)
    assert fresh.registered() == {}
    fresh.register(JOB, every=HOUR, task=noop)
    assert tick_at(T0 + datetime.timedelta(minutes=30)) == []  # not "new": it ran at T0
    assert runs() == 1
    # stopped for a while, then started again after the planned run: it catches up once
    fresh = importlib.reload(scheduler)
    fresh.register(JOB, every=HOUR, task=noop)
    assert tick_at(T0 + 5 * HOUR) == [JOB]
    assert runs() == 2


def test_disabled_jobs_are_skipped():
    scheduler.register(JOB, every=HOUR, task=noop)
    scheduler.sync_jobs(T0)
    ScheduledJob.objects.filter(name=JOB).update(enabled=False)
    assert tick_at(T0) == []
    assert tick_at(T0 + 10 * HOUR) == []
    assert runs() == 0
    ScheduledJob.objects.filter(name=JOB).update(enabled=True)
    assert tick_at(T0 + 10 * HOUR) == [JOB]
    assert runs() == 1


def test_rows_of_jobs_no_longer_registered_are_ignored():
    ScheduledJob.objects.create(name="da-bo", every_seconds=60, next_run_at=T0 - HOUR)
    assert tick_at(T0) == []
    assert DBTaskResult.objects.count() == 0


def test_a_job_is_not_enqueued_twice_by_two_schedulers():
    """The second scheduler saw the job as due (its query ran before the first committed), but the
    re-check under the row lock finds it moved on."""
    scheduler.register(JOB, every=HOUR, task=noop)
    scheduler.sync_jobs(T0)
    with time_machine.travel(T0, tick=False):
        assert scheduler._enqueue_if_due(JOB, T0) is True
        assert scheduler._enqueue_if_due(JOB, T0) is False
    assert runs() == 1


def test_enqueue_and_state_update_commit_together(monkeypatch):
    """If the state cannot be written, the task row is rolled back too, and the next tick retries."""
    scheduler.register(JOB, every=HOUR, task=noop)
    scheduler.sync_jobs(T0)

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("disk full")

    with monkeypatch.context() as m:
        m.setattr(ScheduledJob, "save", broken_save)
        assert tick_at(T0) == []
    assert runs() == 0
    assert row().last_enqueued_at is None
    assert tick_at(T0 + datetime.timedelta(seconds=5)) == [JOB]
    assert runs() == 1


def test_a_changed_interval_is_written_and_may_bring_the_next_run_closer():
    scheduler.register(JOB, every=HOUR, task=noop)
    tick_at(T0)
    scheduler.register(JOB, every=datetime.timedelta(minutes=15), task=noop)
    assert tick_at(T0 + datetime.timedelta(minutes=10)) == []
    assert row().every_seconds == 900
    assert row().next_run_at == T0 + datetime.timedelta(minutes=15)
    assert tick_at(T0 + datetime.timedelta(minutes=15)) == [JOB]


def test_register_refuses_what_is_not_a_periodic_task():
    with pytest.raises(TypeError):
        scheduler.register(JOB, every=HOUR, task=noop.func)  # the plain function, not the Task
    with pytest.raises(ValueError, match="one second"):
        scheduler.register(JOB, every=datetime.timedelta(0), task=noop)
    with pytest.raises(ValueError, match="characters"):
        scheduler.register("x" * 101, every=HOUR, task=noop)
    assert scheduler.registered() == {}
