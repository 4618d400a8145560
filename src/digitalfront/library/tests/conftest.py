"""Fixtures of the library tests: an isolated search index per test, on each available backend, and a
small library written for the tests (not real law: short texts that exercise the search)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection

from digitalfront.library import indexing
from digitalfront.library.models import Document, Group, Kind, Status
from digitalfront.library.search import engine
from digitalfront.library.services.documents import DocumentMeta, create_document

LAW_TEXT = """LUẬT THỬ NGHIỆM VỀ CƯ TRÚ VÀ GIẤY TỜ
Chương I
NHỮNG QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Luật này quy định việc đăng ký thường trú, đăng ký tạm trú và cấp thẻ căn cước công dân.
Điều 2. Giải thích từ ngữ
Trong Luật này, các từ ngữ dưới đây được hiểu như sau:
1. Chỗ ở hợp pháp là nơi được sử dụng để sinh sống, thuộc quyền sở hữu hoặc quyền sử dụng của công dân.
2. Cơ quan đăng ký cư trú là Công an cấp xã.
Chương II
ĐĂNG KÝ THƯỜNG TRÚ
Điều 3. Hồ sơ đăng ký thường trú
1. Tờ khai thay đổi thông tin cư trú.
2. Giấy tờ, tài liệu chứng minh việc sở hữu chỗ ở hợp pháp.
Điều 4. Trách nhiệm của Ủy ban nhân dân cấp xã
1. Ủy ban nhân dân cấp xã phối hợp với cơ quan đăng ký cư trú trong việc quản lý cư trú trên địa bàn.
2. Niêm yết công khai thủ tục hành chính về cư trú tại trụ sở.
Điều 5. Thời hạn giải quyết
Trong thời hạn 07 ngày làm việc kể từ ngày nhận đủ hồ sơ, cơ quan đăng ký cư trú phải thẩm định, cập nhật thông tin.
"""

OLD_TEXT = """NGHỊ ĐỊNH THỬ NGHIỆM VỀ SỔ HỘ KHẨU
Điều 1. Sổ hộ khẩu
Sổ hộ khẩu được cấp cho từng hộ gia đình để ghi nhận nơi thường trú.
Điều 2. Đổi sổ hộ khẩu
Sổ hộ khẩu bị hư hỏng thì được đổi tại cơ quan công an.
"""

GUIDE_TEXT = """Hướng dẫn đăng ký khai sinh cho trẻ em
Bước 1. Chuẩn bị giấy tờ
Tờ khai đăng ký khai sinh, giấy chứng sinh do cơ sở y tế cấp.
Bước 2. Nộp hồ sơ
Nộp tại Ủy ban nhân dân cấp xã nơi cư trú của cha hoặc mẹ, hoặc trực tuyến trên Cổng dịch vụ công.
Lệ phí
Miễn lệ phí khi đăng ký đúng hạn.
"""


@pytest.fixture(autouse=True)
def _isolated_index(tmp_path: Any, settings: Any) -> Iterator[None]:
    settings.LIBRARY_SEARCH_PATH = tmp_path / "search" / "library.sqlite3"
    indexing.reset_backend()
    yield
    indexing.reset_backend()


def backends() -> list[str]:
    return ["embedded", "postgres"]


@pytest.fixture(params=backends())
def backend(request: Any, settings: Any, db: Any) -> str:
    """Run the test on each backend available here (postgres only when the database is PostgreSQL)."""
    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.skip("backend postgres cần PostgreSQL: chạy trong lượt PostgreSQL của .ci/run")
    settings.LIBRARY_SEARCH_BACKEND = request.param
    indexing.reset_backend()
    engine.forget_synonyms()
    cache.delete(indexing.VECTOR_GENERATION_KEY)
    return str(request.param)


def make_library(capture: Any) -> dict[str, Document]:
    """Three documents: a law in force (chapters, articles, clauses), a repealed decree, a guide."""
    law_group = Group.objects.get(slug="thu-vien-phap-luat")
    services = Group.objects.get(slug="dich-vu-cong")
    with capture(execute=True):
        law = create_document(actor=None, group=law_group, text=LAW_TEXT, meta=DocumentMeta(
            title="Luật Thử nghiệm về cư trú", kind=Kind.LAW, number="01/2024/QH15", issuing_body="Quốc hội",
            issued_on=datetime.date(2024, 6, 1), effective_on=datetime.date(2025, 1, 1)))
        old = create_document(actor=None, group=law_group, text=OLD_TEXT, meta=DocumentMeta(
            title="Nghị định Thử nghiệm về sổ hộ khẩu", kind=Kind.DECREE, number="10/2010/NĐ-CP",
            issuing_body="Chính phủ", issued_on=datetime.date(2010, 3, 1), status=Status.REPEALED))
        guide = create_document(actor=None, group=services, text=GUIDE_TEXT, meta=DocumentMeta(
            title="Đăng ký khai sinh", kind=Kind.GUIDE, issuing_body="Bộ Tư pháp"))
    return {"law": law, "old": old, "guide": guide}


@pytest.fixture
def library(backend: str, django_capture_on_commit_callbacks: Any) -> dict[str, Document]:
    return make_library(django_capture_on_commit_callbacks)
