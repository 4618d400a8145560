"""The feedback API: intake (anonymous), tracking by the private link, the staff endpoints' permission
matrix, bad input, and group commit through the writer thread."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from digitalfront.feedback.models import Case, Channel, Status
from digitalfront.feedback.services import intake

from .conftest import submission

pytestmark = pytest.mark.django_db


def post_json(client, url, body):
    return client.post(url, json.dumps(body) if not isinstance(body, str) else body, content_type="application/json")


def body(fw, **overrides):
    data = {"content": "Cống thoát nước tắc gây ngập tổ dân phố 3 mỗi khi mưa.", "province": fw.p1.pk,
            "commune": "00004", "phone": "0912345678", "name": "Đỗ Thị Hoa"}
    data.update(overrides)
    return data


def test_intake_answers_201_with_code_and_private_link(fw):
    response = post_json(Client(), "/api/v1/feedback/", body(fw))
    assert response.status_code == 201
    data = response.json()
    case = Case.objects.get(code=data["code"])
    assert case.channel == Channel.API and case.commune == fw.c11 and data["status"] == "received"
    assert data["tracking_url"].endswith(f"/phan-anh/theo-doi/{case.code}/?k={data['token']}")
    tracked = Client().get(f"/api/v1/feedback/track/{case.code}", {"k": data["token"]})
    assert tracked.status_code == 200 and tracked.json()["events"][0]["note"] == "Đã tiếp nhận phản ánh."
    assert Client().get(f"/api/v1/feedback/track/{case.code}", {"k": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ("không phải json", 422, None),
        ({"province": 1}, 422, "content"),
        ({"content": "Nội dung đủ dài để gửi đi", "province": 1, "bogus": 1}, 422, "bogus"),
        ("BODY_PROVINCE_UNKNOWN", 422, "province"),
        ("BODY_LATITUDE", 422, "latitude"),
    ],
)
def test_bad_input_gets_a_vietnamese_error_and_changes_nothing(fw, payload, status, field):
    if payload == "BODY_PROVINCE_UNKNOWN":
        payload = body(fw, province=987654)
    elif payload == "BODY_LATITUDE":
        payload = body(fw, latitude=123)
    response = post_json(Client(), "/api/v1/feedback/", payload)
    assert response.status_code == status
    assert response.json()["field"] == field and response.json()["detail"]
    assert not Case.objects.exists()


def test_past_the_limit_the_api_asks_for_the_challenge(fw, settings):
    from digitalfront.core import challenge

    settings.DIGITALFRONT_FEEDBACK_LIMITS = {"ip": 100, "device": 1, "account": 5}
    settings.DIGITALFRONT_CHALLENGE_BITS = 4
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}}
    client = Client()
    assert post_json(client, "/api/v1/feedback/", body(fw, device_id="phone-1")).status_code == 201
    refused = post_json(client, "/api/v1/feedback/", body(fw, device_id="phone-1"))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "challenge_required" and Case.objects.count() == 1
    answer = json.dumps(challenge.solve(challenge.issue(difficulty_bits=4)))
    solved = post_json(client, "/api/v1/feedback/", body(fw, device_id="phone-1", challenge=answer))
    assert solved.status_code == 201 and Case.objects.count() == 2


def test_topics_are_public(fw):
    codes = [t["code"] for t in Client().get("/api/v1/feedback/topics").json()]
    assert len(codes) == 10 and "dat-dai" in codes and codes[-1] == "khac"


LIST = {"anonymous": 401, "citizen": 200, "elsewhere": 200, "here": 200, "above": 200, "admin": 200}
SEES = {"anonymous": False, "citizen": False, "elsewhere": False, "here": True, "above": True, "admin": True}
DETAIL = {"anonymous": 401, "citizen": 404, "elsewhere": 404, "here": 200, "above": 200, "admin": 200}
ACT = {"anonymous": 401, "citizen": 404, "elsewhere": 404, "here": 200, "above": 404, "admin": 200}


def test_case_list_matrix(fw, client_for, who):
    case = intake.submit(submission(fw)).case
    response = client_for(who).get("/api/v1/feedback/cases")
    assert response.status_code == LIST[who]
    if response.status_code == 200:
        codes = [item["code"] for item in response.json()["items"]]
        assert (case.code in codes) == SEES[who]


def test_case_detail_matrix(fw, client_for, who):
    case = intake.submit(submission(fw)).case
    assert client_for(who).get(f"/api/v1/feedback/cases/{case.code}").status_code == DETAIL[who]


def test_case_action_matrix(fw, client_for, who):
    case = intake.submit(submission(fw)).case
    response = post_json(client_for(who), f"/api/v1/feedback/cases/{case.code}/accept", {})
    assert response.status_code == ACT[who]
    assert (Case.objects.get(pk=case.pk).status == Status.ACCEPTED) == (ACT[who] == 200)


def test_actions_through_the_api(fw, client_for):
    case = intake.submit(submission(fw)).case
    client = client_for("here")
    assert post_json(client, f"/api/v1/feedback/cases/{case.code}/answer", {"answer": "x"}).status_code == 409
    assert post_json(client, f"/api/v1/feedback/cases/{case.code}/accept", {}).json()["status"] == "accepted"
    refused = post_json(client, f"/api/v1/feedback/cases/{case.code}/extend",
                        {"complexity": "complex", "decision_number": "1", "reason": "x"})
    assert refused.status_code == 409 and "không được gia hạn" in refused.json()["detail"]
    done = post_json(client, f"/api/v1/feedback/cases/{case.code}/answer", {"answer": "Đã thông cống."})
    assert done.status_code == 200 and done.json()["status"] == "answered"
    assert post_json(client, f"/api/v1/feedback/cases/{case.code}/nope", {}).status_code == 404
    filtered = client.get("/api/v1/feedback/cases", {"status": "khong-co"})
    assert filtered.status_code == 422


def test_denunciation_sender_is_redacted_in_the_api(fw, client_for):
    case = intake.submit(submission(fw, kind="denunciation", name="Vũ Bí Mật")).case
    data = client_for("admin").get(f"/api/v1/feedback/cases/{case.code}").json()
    assert data["sender"] == {"redacted": True}
    assert "Vũ Bí Mật" not in json.dumps(data, ensure_ascii=False)


def _skip_without_a_shared_database() -> None:
    """The writer thread opens its own connection: SQLite's in-memory test database is private to the
    test's connection, so these tests run in CI's PostgreSQL pass (and on a SQLite file)."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("the writer thread needs a database other threads can open: runs on PostgreSQL in CI")


def _run_with_the_writer(send, senders: int) -> None:
    """``send(n)`` in ``senders`` threads at once, then the writer thread stopped (no connection of these
    threads, the senders' or the writer's, may outlive the test database)."""
    from django.db import connections

    from digitalfront.feedback import intake_batch

    def sender(n: int) -> None:
        try:
            send(n)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(senders)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        intake_batch.shutdown()


@pytest.mark.django_db(transaction=True)
def test_the_writer_thread_commits_concurrent_submissions_in_batches(world, settings):
    """Group commit: 24 requests from 8 threads, every one answered with a committed case."""
    _skip_without_a_shared_database()
    settings.DIGITALFRONT_INTAKE_BATCH = True
    from digitalfront.feedback import intake_batch

    receipts, errors = [], []

    def send(n: int) -> None:
        try:
            for i in range(3):
                sub = intake.prepare(content=f"Phản ánh đồng thời số {n}-{i} về rác thải ùn ứ.",
                                     province=world.p1.pk, commune=world.c11.pk)
                receipts.append(intake_batch.submit_batched(sub))
        except Exception as exc:
            errors.append(exc)

    _run_with_the_writer(send, 8)
    assert not errors
    assert len(receipts) == 24
    assert Case.objects.filter(code__in=[r.code for r in receipts]).count() == 24


@pytest.mark.django_db(transaction=True)
def test_the_writer_counts_the_limits_of_its_whole_batch(world, settings):
    """The writer counts a batch against the abuse limits at once: of five submissions sent together from
    one device allowed two, two are written and three refused (asking for the challenge), none lost."""
    _skip_without_a_shared_database()
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from digitalfront.feedback import guard, intake_batch

    settings.DIGITALFRONT_INTAKE_BATCH = True
    settings.DIGITALFRONT_FEEDBACK_LIMITS = {"ip": 100, "device": 2, "account": 5}
    request = RequestFactory().post("/api/v1/feedback/", REMOTE_ADDR="203.0.113.9")
    request.user = AnonymousUser()
    results: list[object] = []
    start = threading.Barrier(5)

    def send(n: int) -> None:
        sub = intake.prepare(content=f"Phản ánh số {n} gửi cùng lúc từ một máy.", province=world.p1.pk,
                             commune=world.c11.pk)
        start.wait()
        try:
            results.append(intake_batch.submit_batched(sub, guard.counted(request, device="cung-mot-may")))
        except guard.Refused as refused:
            results.append(refused.verdict)

    _run_with_the_writer(send, 5)
    receipts = [r for r in results if isinstance(r, intake.Receipt)]
    refused = [r for r in results if isinstance(r, guard.Verdict)]
    assert len(receipts) == 2 and len(refused) == 3
    assert all(v.needs_challenge and v.retry_after_s > 0 for v in refused)
    assert set(Case.objects.values_list("code", flat=True)) == {r.code for r in receipts}


def test_the_follow_up_task_commits_with_the_cases(world, settings, django_capture_on_commit_callbacks):
    """With tasks in the database, the follow-up is a task row written with the cases (in the caller's
    transaction, as here, a failed intake leaves no task), at most one a second, for every case waiting;
    with another backend a task naming the new cases is sent after the commit."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    intake._next_follow_up[0] = 0.0
    before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        intake.submit_many([submission(world), submission(world)])
    task = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert DBTaskResult.objects.count() == before + 1 and task is not None
    assert task.task_path.endswith("process_new_cases") and task.args_kwargs["args"] == []
    assert task.run_after is not None and task.run_after > timezone.now() - dt.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        intake.submit(submission(world))  # within the same second: the task already enqueued takes it up
    assert DBTaskResult.objects.count() == before + 1

    class Boom(Exception):
        pass

    def submit_then_fail() -> None:
        with transaction.atomic():
            intake.submit(submission(world))
            raise Boom

    intake._next_follow_up[0] = 0.0
    with pytest.raises(Boom):
        submit_then_fail()
    assert DBTaskResult.objects.count() == before + 1  # rolled back with the case
    assert intake._next_follow_up[0] == 0.0  # so the next batch enqueues one

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": ["default", "ai"]}}
    with django_capture_on_commit_callbacks() as callbacks:
        intake.submit(submission(world))
    assert len(callbacks) == 1 and DBTaskResult.objects.count() == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_follow_up_that_cannot_be_enqueued_never_half_acknowledges_a_batch(world, monkeypatch, caplog):
    """If the follow-up task cannot be enqueued, a batch is either written and answered, once, or not
    written at all with the error raised: never written and refused (a retry would write it twice).
    On PostgreSQL a batch without files is one statement, committed on its own before the enqueue: it is
    answered, and the scheduler's sweep follows its cases up later. Elsewhere the task's row is part of the
    batch's transaction: the batch rolls back with it."""

    def down() -> None:
        raise RuntimeError("task queue down")

    monkeypatch.setattr(intake, "_follow_up_soon", down)
    if connection.vendor == "postgresql":
        receipts = intake.submit_many([submission(world), submission(world)])
        assert Case.objects.filter(code__in=[r.code for r in receipts], followed_up_at__isnull=True).count() == 2
        assert Case.objects.count() == 2
        assert "the scheduler's sweep will" in caplog.text
    else:
        with pytest.raises(RuntimeError, match="task queue down"):
            intake.submit_many([submission(world), submission(world)])
        assert Case.objects.count() == 0


def test_the_follow_up_takes_each_waiting_case_once(world, settings):
    """``process_new_cases`` (the intake's task and the scheduler's sweep) claims the cases not followed up,
    suggests, acknowledges each sender once, and finds nothing left the second time."""
    from digitalfront.feedback.tasks import process_new_cases

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "ai", "notifications"]}}
    receipts = intake.submit_many([submission(world), submission(world, phone="", email="")])
    done_before = Case.objects.filter(pk=receipts[0].case.pk).values_list("followed_up_at", flat=True).get()
    assert done_before is None
    from django.tasks import default_task_backend

    default_task_backend.clear()
    assert process_new_cases.call() == Case.objects.filter(followed_up_at__isnull=False).count() >= 2
    cases = Case.objects.filter(pk__in=[r.case.pk for r in receipts])
    assert all(c.followed_up_at is not None and c.suggestion for c in cases)
    acknowledged = [list(r.args) for r in default_task_backend.results if r.task.name == "notify_citizen"]
    assert acknowledged == [[receipts[0].case.pk, "received"]]
    assert process_new_cases.call() == 0


def test_a_ban_the_intake_has_not_seen_yet_is_applied_by_the_follow_up(world, settings):
    """The intake reads the bans every two seconds; a case written in between is hidden by the follow-up
    task, which checks each new case against the bans again."""
    from digitalfront.feedback.identity import contact_hash
    from digitalfront.feedback.models import SenderBan
    from digitalfront.feedback.tasks import process_new_cases

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "ai", "notifications"]}}
    intake.forget_bans()
    intake._active_bans()  # loaded before the ban exists
    sub = submission(world, phone="0987654321")
    SenderBan.objects.create(key_hash=contact_hash(sub.identity), label="Gửi tin rác", reason="Gửi tin rác")
    case = intake.submit(sub).case
    assert not case.hidden  # the intake's list is two seconds old
    process_new_cases.call()
    case.refresh_from_db()
    assert case.hidden and case.from_banned_sender and case.hidden_reason == "banned"
    intake.forget_bans()
