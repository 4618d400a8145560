"""The background processes and their health page.

* ``digitalfront worker --with-scheduler`` as a real process on its own SQLite file: it runs a task
  enqueued by another process, writes its heartbeats, stops on SIGTERM with exit code 0 and marks them
  stopped; started again after an outage, its scheduler enqueues a missed periodic job once.
  ``digitalfront scheduler`` alone beats and stops cleanly too.
* Heartbeats: statuses running, stopped, lost.
* ``/he-thong/suc-khoe/`` and ``.json``: who may see them, what they say about dead processes, late
  jobs and failed tasks (never the tasks' arguments).
"""

import datetime
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from digitalfront.core import scheduler
from digitalfront.core.models import ProcessHeartbeat, ScheduledJob
from digitalfront.core.templatetags.core_nav import shows_health
from digitalfront.core.testing import make_user, sign_in
from digitalfront.core.tests.sample_tasks import fail_with, noop, periodic_marker, write_marker

PRELUDE = """
import json, sys
import django
django.setup()
cfg = json.loads(sys.argv[1])
"""
# The worker process of the catch-up test: a job registered as an app's ready() would, then the console
# command's own entry point with the arguments of `digitalfront worker --with-scheduler`.
WORKER_WITH_JOB = PRELUDE + """
import datetime
from digitalfront.core import scheduler
from digitalfront.core.tests.sample_tasks import periodic_marker
scheduler.register(cfg["job"], every=datetime.timedelta(hours=1), task=periodic_marker)
from digitalfront.__main__ import main
sys.argv = ["digitalfront", "worker", "--with-scheduler"]
main()
"""
SETUP = PRELUDE + """
import datetime
from django.utils import timezone
from digitalfront.core.models import ScheduledJob
from digitalfront.core.tests.sample_tasks import write_marker
print(write_marker.enqueue("lan-dau").id)
# the state a scheduler left before the machine was off for three hours
now = timezone.now()
ScheduledJob.objects.create(name=cfg["job"], task_path="", every_seconds=3600,
                            last_enqueued_at=now - datetime.timedelta(hours=4),
                            next_run_at=now - datetime.timedelta(hours=3))
"""
JOB = "kiem-thu-dinh-ky"
TASKS = DBTaskResult._meta.db_table


# --- a real worker process ----------------------------------------------------------------------------


class Platform:
    """This platform in a temporary directory with its own SQLite file, as ``accounts/tests/processes.py``
    starts a second instance."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.db = directory / "db.sqlite3"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DIGITALFRONT_"))}
        env.update(DATABASE_URL=f"sqlite:///{self.db}", DIGITALFRONT_DATA_DIR=str(directory),
                   DJANGO_SETTINGS_MODULE="digitalfront.settings", DJANGO_DEBUG="0", PYTHONUNBUFFERED="1")
        self.env = env

    def run(self, *args: str) -> str:
        done = subprocess.run([sys.executable, *args], env=self.env, check=True, capture_output=True, text=True,
                              timeout=300)
        return done.stdout

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, *args], env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def query(self, sql: str, *params: object) -> list[tuple]:
        with sqlite3.connect(self.db, timeout=20) as db:
            return db.execute(sql, params).fetchall()

    def wait_for(self, what: str, check, process: subprocess.Popen, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            if process.poll() is not None:
                raise AssertionError(f"the worker exited before {what}: {process.communicate()}")
            if time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"timed out waiting for {what}: {process.communicate()}")
            time.sleep(0.2)

    def live_heartbeats(self) -> set[str]:
        return {kind for (kind,) in self.query("SELECT kind FROM core_processheartbeat WHERE stopped_at IS NULL")}

    def stop(self, process: subprocess.Popen) -> tuple[int, str, str]:
        process.send_signal(signal.SIGTERM)
        try:
            out, err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        return process.returncode, out, err


def test_worker_process_runs_tasks_beats_stops_cleanly_and_its_scheduler_catches_up(tmp_path):
    platform = Platform(tmp_path)
    platform.run("-m", "digitalfront", "migrate", "--skip-checks")
    task_id = platform.run("-c", SETUP, json.dumps({"job": JOB})).strip()

    def task_status(path: str) -> list[str]:
        return [s for (s,) in platform.query(f"SELECT status FROM {TASKS} WHERE task_path = ?", path)]

    # 1. the console command itself: runs the task enqueued by another process, beats, stops on SIGTERM
    worker = platform.start("-m", "digitalfront", "worker", "--with-scheduler")
    platform.wait_for("the task to succeed and the heartbeats", lambda: (
        task_status(write_marker.module_path) == ["SUCCESSFUL"]
        and platform.live_heartbeats() == {"worker", "scheduler"}), worker)
    assert (tmp_path / "lan-dau.marker").read_text() == "lan-dau"
    assert platform.query(f"SELECT worker_ids FROM {TASKS} WHERE id = ?",
                          task_id.replace("-", ""))[0][0].count(f":{worker.pid}:") == 1
    code, out, err = platform.stop(worker)
    assert code == 0, err
    assert "Bộ xử lý tác vụ nền đang chạy" in out and "kèm bộ lập lịch" in out
    assert "Bộ xử lý tác vụ nền đã dừng." in out
    beats = platform.query("SELECT kind, pid, stopped_at FROM core_processheartbeat ORDER BY kind")
    assert [(kind, pid) for kind, pid, _ in beats] == [("scheduler", worker.pid), ("worker", worker.pid)]
    assert all(stopped for _, _, stopped in beats)
    # the job's row was left alone: no process had it registered
    assert task_status(periodic_marker.module_path) == []

    # 2. started again with the job registered: the run missed while it was off is enqueued once, at start
    before = platform.query("SELECT next_run_at FROM core_scheduledjob WHERE name = ?", JOB)[0][0]
    worker = platform.start("-c", WORKER_WITH_JOB, json.dumps({"job": JOB}))
    platform.wait_for("the missed periodic job to run", lambda: (
        task_status(periodic_marker.module_path) == ["SUCCESSFUL"]), worker)
    code, out, err = platform.stop(worker)
    assert code == 0, err
    assert task_status(periodic_marker.module_path) == ["SUCCESSFUL"]  # once, not three times
    assert (tmp_path / "periodic.marker").read_text() == "run\n"
    last, next_run = platform.query(
        "SELECT last_enqueued_at, next_run_at FROM core_scheduledjob WHERE name = ?", JOB)[0]
    assert last > before
    at = datetime.datetime.fromisoformat(last)
    assert datetime.datetime.fromisoformat(next_run) - at == datetime.timedelta(hours=1)
    assert platform.live_heartbeats() == set()

    # 3. the scheduler alone: beats, stops on SIGTERM with code 0, its heartbeat marked stopped
    alone = platform.start("-m", "digitalfront", "scheduler")
    platform.wait_for("the scheduler's heartbeat", lambda: platform.live_heartbeats() == {"scheduler"}, alone)
    code, out, err = platform.stop(alone)
    assert code == 0, err
    assert "Bộ lập lịch đang chạy" in out and "Bộ lập lịch đã dừng." in out
    assert platform.query("SELECT stopped_at IS NOT NULL FROM core_processheartbeat WHERE pid = ?",
                          alone.pid) == [(1,)]
    assert task_status(periodic_marker.module_path) == ["SUCCESSFUL"]  # not registered there: untouched


# --- heartbeats ---------------------------------------------------------------------------------------


T0 = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_heartbeat_is_running_then_lost_without_beats_and_stopped_when_marked():
    beat = scheduler.Heartbeat(ProcessHeartbeat.Kind.WORKER)
    with time_machine.travel(T0, tick=False):
        beat.start()
    row = ProcessHeartbeat.objects.get()
    assert (row.hostname, row.pid, row.started_at, row.stopped_at) == (beat.hostname, os.getpid(), T0, None)
    assert scheduler.status_of(row, T0 + scheduler.STALE_AFTER) == "running"
    assert scheduler.status_of(row, T0 + scheduler.STALE_AFTER + datetime.timedelta(seconds=1)) == "lost"
    assert scheduler.alive("worker", T0 + datetime.timedelta(seconds=29))
    assert not scheduler.alive("worker", T0 + datetime.timedelta(seconds=31))
    assert not scheduler.alive("scheduler", T0)
    with time_machine.travel(T0 + datetime.timedelta(seconds=25), tick=False):
        beat.beat()
    row.refresh_from_db()
    assert row.last_seen_at == T0 + datetime.timedelta(seconds=25)
    assert scheduler.status_of(row, T0 + datetime.timedelta(seconds=50)) == "running"
    with time_machine.travel(T0 + datetime.timedelta(seconds=30), tick=False):
        beat.stop()
    row.refresh_from_db()
    assert row.stopped_at == T0 + datetime.timedelta(seconds=30)
    assert scheduler.status_of(row, T0 + datetime.timedelta(seconds=31)) == "stopped"
    assert not scheduler.alive("worker", T0 + datetime.timedelta(seconds=31))
    # a restart under the same pid takes the row over; rows stopped long ago are pruned
    old = ProcessHeartbeat.objects.create(kind="scheduler", hostname="may-cu", pid=1, started_at=T0,
                                          last_seen_at=T0, stopped_at=T0)
    with time_machine.travel(T0 + datetime.timedelta(days=8), tick=False):
        beat.start()
    assert not ProcessHeartbeat.objects.filter(pk=old.pk).exists()
    assert ProcessHeartbeat.objects.get().stopped_at is None


# --- the health page ----------------------------------------------------------------------------------


@pytest.fixture
def health_urls(settings):
    """The health pages under ``/he-thong/`` while the root URLconf does not include them yet."""
    try:
        reverse("system:health")
        return
    except NoReverseMatch:
        pass
    from digitalfront import urls as root

    urlconf = types.ModuleType("health_test_urls")
    urlconf.urlpatterns = [path("he-thong/", include("digitalfront.core.health_urls")),  # type: ignore[attr-defined]
                           *root.urlpatterns]
    for code in (400, 403, 404, 500):
        setattr(urlconf, f"handler{code}", getattr(root, f"handler{code}"))
    settings.ROOT_URLCONF = urlconf


@pytest.fixture
def jobs(monkeypatch):
    monkeypatch.setattr(scheduler, "_registry", {})


PAGE = "/he-thong/suc-khoe/"
JSON = "/he-thong/suc-khoe.json"


def heartbeat(kind: str, *, ago: int, stopped: bool = False, pid: int = 4242) -> ProcessHeartbeat:
    now = timezone.now()
    seen = now - datetime.timedelta(seconds=ago)
    return ProcessHeartbeat.objects.create(kind=kind, hostname="may-chu-1", pid=pid, started_at=seen,
                                           last_seen_at=seen, stopped_at=seen if stopped else None)


@pytest.mark.usefixtures("health_urls")
@pytest.mark.parametrize("url", [PAGE, JSON])
def test_only_superusers_see_the_health_pages(client_for, world, url):
    assert reverse("system:health") == PAGE and reverse("system:health_json") == JSON
    response = client_for("anonymous").get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    staff = make_user("nhanvien.kythuat")
    staff.is_staff = True  # may use Django's admin for some models, is not a superuser
    staff.save()
    clients = {who: client_for(who) for who in ("citizen", "here", "above")}
    clients["staff"] = Client()
    sign_in(clients["staff"], staff)
    for who, client in clients.items():
        response = client.get(url)
        assert response.status_code == 404, who
        assert "Không tìm thấy" in response.content.decode()
    response = client_for("admin").get(url)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert shows_health(world.user("admin")) and not shows_health(staff) and not shows_health(None)


@pytest.mark.usefixtures("health_urls", "jobs")
def test_page_shows_dead_and_live_processes_and_banners(client_for):
    admin = client_for("admin")
    page = admin.get(PAGE).content.decode()
    assert "Không có bộ xử lý tác vụ nào đang chạy" in page
    assert "Không có bộ lập lịch nào đang chạy" in page
    assert "Chưa có tiến trình nền nào báo tín hiệu" in page

    heartbeat("worker", ago=300, pid=11)  # no beat for five minutes, never said goodbye
    heartbeat("scheduler", ago=120, stopped=True, pid=12)
    page = admin.get(PAGE).content.decode()
    assert page.count('badge badge-late">Mất liên lạc') == 1
    assert page.count('badge badge-late">Đã dừng') == 1
    assert "Đang chạy</span>" not in page
    assert "Không có bộ xử lý tác vụ nào đang chạy" in page and "Không có bộ lập lịch nào đang chạy" in page
    assert "5 phút trước" in page

    heartbeat("worker", ago=3, pid=13)
    page = admin.get(PAGE).content.decode()
    assert page.count('badge badge-approved">Đang chạy') == 1
    assert "Không có bộ xử lý tác vụ nào đang chạy" not in page
    assert "Không có bộ lập lịch nào đang chạy" in page
    assert "Mọi tiến trình nền đang chạy bình thường" not in page

    heartbeat("scheduler", ago=1, pid=13)
    page = admin.get(PAGE).content.decode()
    assert "Không có bộ" not in page
    assert "Mọi tiến trình nền đang chạy bình thường" in page


@pytest.mark.usefixtures("health_urls", "jobs")
def test_json_reports_processes_jobs_and_tasks_without_personal_data(client_for):
    admin = client_for("admin")
    data = admin.get(JSON).json()
    assert {"worker_alive", "scheduler_alive", "jobs", "tasks", "ok"} <= set(data)
    assert (data["worker_alive"], data["scheduler_alive"], data["jobs"], data["ok"]) == (False, False, [], False)
    assert data["tasks"] == {"ready": 0, "running": 0, "failed_24h": 0, "successful_24h": 0,
                             "oldest_ready_seconds": None, "recent_failures": []}

    heartbeat("worker", ago=2)
    heartbeat("scheduler", ago=2)
    now = timezone.now()
    scheduler.register("dung-han", every=datetime.timedelta(hours=1), task=noop)
    scheduler.register("bi-tre", every=datetime.timedelta(minutes=5), task=write_marker)
    scheduler.register("moi-them", every=datetime.timedelta(days=1), task=periodic_marker)
    scheduler.register("da-tat", every=datetime.timedelta(minutes=1), task=noop)
    ScheduledJob.objects.create(name="dung-han", task_path=noop.module_path, every_seconds=3600,
                                last_enqueued_at=now - datetime.timedelta(minutes=10),
                                next_run_at=now + datetime.timedelta(minutes=50))
    ScheduledJob.objects.create(name="bi-tre", task_path=write_marker.module_path, every_seconds=300,
                                last_enqueued_at=now - datetime.timedelta(minutes=30),
                                next_run_at=now - datetime.timedelta(minutes=25))
    ScheduledJob.objects.create(name="da-tat", task_path=noop.module_path, every_seconds=60, enabled=False,
                                next_run_at=now - datetime.timedelta(days=1))
    ScheduledJob.objects.create(name="da-bo", task_path="cu.tac_vu", every_seconds=60,
                                next_run_at=now - datetime.timedelta(days=1))

    secret = "Nguyễn Thị Bí Mật"
    noop.enqueue()
    failing = fail_with.enqueue(secret)
    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="kiem-thu", excluded_queue_names=[])
    worker.run_task(DBTaskResult.objects.get(id=failing.id))
    assert DBTaskResult.objects.get(id=failing.id).status == "FAILED"

    response = admin.get(JSON)
    assert secret not in response.content.decode()
    data = response.json()
    assert (data["worker_alive"], data["scheduler_alive"]) == (True, True)
    jobs = {job["name"]: job for job in data["jobs"]}
    assert set(jobs) == {"bi-tre", "da-bo", "da-tat", "dung-han", "moi-them"}
    assert jobs["bi-tre"]["late"] is True and jobs["bi-tre"]["every_seconds"] == 300
    assert jobs["dung-han"]["late"] is False and jobs["dung-han"]["task"] == noop.module_path
    assert jobs["da-tat"] == {**jobs["da-tat"], "late": False, "enabled": False, "registered": True}
    assert jobs["da-bo"] == {**jobs["da-bo"], "late": False, "enabled": True, "registered": False}
    assert jobs["moi-them"]["next_run_at"] is None and jobs["moi-them"]["late"] is False
    assert data["ok"] is False  # a late job
    tasks = data["tasks"]
    assert (tasks["ready"], tasks["running"], tasks["failed_24h"], tasks["successful_24h"]) == (1, 0, 1, 0)
    assert tasks["oldest_ready_seconds"] >= 0
    assert tasks["recent_failures"] == [{"task": fail_with.module_path, "exception": "builtins.ValueError",
                                         "finished_at": tasks["recent_failures"][0]["finished_at"]}]

    page = admin.get(PAGE).content.decode()
    assert secret not in page
    assert "builtins.ValueError" in page and fail_with.module_path in page
    assert "Bị trễ" in page and "Đúng hạn" in page and "Đã tắt" in page and "chờ bộ lập lịch" in page
    assert "Chờ chạy lần đầu" in page and "Không còn trong mã nguồn" in page
    assert "mỗi 5 phút" in page and "mỗi 1 ngày" in page
    assert 'id="tac-vu-that-bai"><span class="badge badge-late">1</span>' in page


def test_a_signal_stops_the_worker_loop_and_only_a_later_second_one_forces_it(monkeypatch):
    """Ctrl+C reaches every process of the terminal's group and scripts/run.sh then sends SIGTERM too:
    signals within SAME_REQUEST_SECONDS are one request (finish the running task); a later one forces."""
    from digitalfront.core.management.commands import worker as command

    monkeypatch.setattr(command.Worker, "reset_signals", lambda self: None)  # keep pytest's handlers
    clock = [100.0]
    monkeypatch.setattr(command.time, "monotonic", lambda: clock[0])
    loop = command.GracefulWorker(queue_names=["*"], interval=1, batch=False, backend_name="default",
                                  startup_delay=False, max_tasks=None, worker_id="kiem-thu",
                                  excluded_queue_names=[])
    loop.running_task = True
    loop.shutdown(signal.SIGINT, None)
    assert loop.running is False  # the loop ends after the running task; no exit from the handler
    clock[0] += 0.5
    loop.shutdown(signal.SIGTERM, None)  # the same request, from run.sh's trap
    clock[0] += command.SAME_REQUEST_SECONDS
    with pytest.raises(SystemExit) as exited:
        loop.shutdown(signal.SIGINT, None)  # pressed again: end the running task
    assert exited.value.code == 1
