"""``digitalfront library import-alqac`` and ``eval`` on small files written by the tests."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from digitalfront.library.models import Document, Passage, Section

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLES = [
    {"law_id": "Luật Thử nghiệm A", "article_id": "1", "title": "Phạm vi điều chỉnh",
     "text": "Phạm vi điều chỉnh\n\nLuật này quy định về việc nuôi ong lấy mật."},
    {"law_id": "Luật Thử nghiệm A", "article_id": "2", "title": "Điều kiện nuôi ong",
     "text": "Điều kiện nuôi ong\n\n1. Có địa điểm nuôi cách nhà ở ít nhất 50 mét.\n\n"
             "2. Có sổ theo dõi đàn ong."},
    {"law_id": "Luật Thử nghiệm B", "article_id": "7", "title": "Quyền của người trồng chè",
     "text": "Quyền của người trồng chè\n\nNgười trồng chè được hỗ trợ giống và phân bón."},
]


def run(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("library", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue().strip().splitlines()[-1])  # type: ignore[no-any-return]


def write(tmp_path: Path, content: Any, name: str = "law.json") -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content, ensure_ascii=False).encode())
    return str(path)


def test_import_then_eval(tmp_path: Path) -> None:
    result = run("import-alqac", write(tmp_path, ARTICLES), "--background")
    assert result["documents"] == 2 and result["articles"] == 3 and result["vectors"] == "background"
    assert Section.objects.get(document__title="Luật Thử nghiệm A", number="2").passages.count() == 2
    questions = [{"question_id": "q1", "text": "Nuôi ong cần điều kiện gì?",
                  "relevant_articles": [{"law_id": "Luật Thử nghiệm A", "article_id": "2"}]},
                 {"question_id": "q2", "text": "nguoi trong che duoc ho tro gi",
                  "relevant_articles": [{"law_id": "Luật Thử nghiệm B", "article_id": "7"}]}]
    figures = run("eval", "--questions", write(tmp_path, questions, "q.json"))
    assert figures["n"] == 2 and figures["recall_at_1"] == 1.0 and figures["mrr_at_10"] == 1.0
    assert {"recall_at_10", "mrr_at_10", "recall_at_1", "n"} <= set(figures)
    # importing again replaces, it does not duplicate
    run("import-alqac", write(tmp_path, ARTICLES), "--background")
    assert Document.objects.count() == 2 and Section.objects.filter(kind="article").count() == 3


@pytest.mark.parametrize(("content", "message"), [
    (b"{not json", "không phải JSON hợp lệ"),
    ("Điều 1".encode("utf-16-le"), "không phải UTF-8"),
    ({"law_id": "x"}, "danh sách điều luật"),
    ([{"law_id": "Luật A", "text": "Điều một"}], "thiếu law_id hoặc article_id"),
    ([{"law_id": "Luật A", "article_id": "1", "text": "  "}], "không có nội dung"),
    ([*ARTICLES, ARTICLES[0]], "xuất hiện hai lần"),
])
def test_bad_files_change_nothing(tmp_path: Path, content: Any, message: str) -> None:
    run("import-alqac", write(tmp_path, ARTICLES[2:]), "--background")
    before = (Document.objects.count(), Passage.objects.count())
    with pytest.raises(CommandError, match=message):
        run("import-alqac", write(tmp_path, content, "bad.json"), "--background")
    assert (Document.objects.count(), Passage.objects.count()) == before


def test_missing_file_and_bad_k(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Không tìm thấy"):
        run("import-alqac", str(tmp_path / "none.json"))
    questions = write(tmp_path, [{"text": "a", "relevant_articles": [{"law_id": "x", "article_id": "1"}]}], "q.json")
    with pytest.raises(CommandError, match="--k"):
        run("eval", "--questions", questions, "--k", "0")
    with pytest.raises(CommandError, match="relevant_articles"):
        run("eval", "--questions", write(tmp_path, [{"text": "câu hỏi"}], "q2.json"))
