"""``digitalfront assistant eval`` and ``ask`` on the small test library (extractive, no model)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from digitalfront.assistant.models import Message

LAW = "Luật Thử nghiệm về cư trú"
QUESTIONS = [
    {"question_id": "DS-1", "question_type": "Đúng/Sai", "answer": "Đúng",
     "text": "Hồ sơ đăng ký thường trú gồm tờ khai thay đổi thông tin cư trú, đúng hay sai?",
     "relevant_articles": [{"law_id": LAW, "article_id": "3"}]},
    {"question_id": "TN-1", "question_type": "Trắc nghiệm", "answer": "B",
     "text": "Thời hạn giải quyết đăng ký thường trú là bao lâu?",
     "choices": {"A": "03 ngày làm việc", "B": "07 ngày làm việc", "C": "15 ngày", "D": "30 ngày"},
     "relevant_articles": [{"law_id": LAW, "article_id": "5"}]},
    {"question_id": "TL-1", "question_type": "Tự luận",
     "text": "Ủy ban nhân dân cấp xã có trách nhiệm gì trong quản lý cư trú?",
     "relevant_articles": [{"law_id": LAW, "article_id": "4"}]},
    # a question that is off the subject and one the assistant will not read: both misses
    {"text": "Cách nấu phở bò ngon tại nhà?", "relevant_articles": [{"law_id": LAW, "article_id": "1"}]},
    {"text": "thường trú\x07", "relevant_articles": [{"law_id": LAW, "article_id": "1"}]},
]


def run(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("assistant", *args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_eval_prints_one_json_line(library: Any, tmp_path: Path) -> None:
    path = tmp_path / "questions.json"
    path.write_text(json.dumps(QUESTIONS, ensure_ascii=False), encoding="utf-8")
    result = run("eval", "--questions", str(path), "--quiet")
    assert result["n"] == 5 and result["mode"] == "extractive" and "answer_accuracy" not in result
    assert result["citation_recall_at_3"] == 0.6 and result["abstain_rate"] == 0.4
    assert 0 < result["p50_ms"] <= result["p95_ms"]
    assert run("eval", "--questions", str(path), "--limit", "2", "--quiet")["citation_recall_at_3"] == 1.0
    assert not Message.objects.exists()  # the evaluation records nothing


@pytest.mark.parametrize(("content", "words"), [
    ("not json", "JSON"), ("{}", "danh sách"), ('[{"text": "x"}]', "relevant_articles"), ("[]", "không có câu hỏi"),
])
def test_eval_refuses_bad_files(library: Any, tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "q.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=words):
        run("eval", "--questions", str(path), "--quiet")
    with pytest.raises(CommandError, match="Không tìm thấy"):
        run("eval", "--questions", str(tmp_path / "missing.json"), "--quiet")


def test_ask(library: Any, world: Any) -> None:
    answer = run("ask", "Hồ sơ đăng ký thường trú gồm những gì?")
    assert answer["outcome"] == "answered" and answer["citations"][0]["label"] == "Điều 3. Hồ sơ đăng ký thường trú"
    # as a staff member of another province: the same library, none of Hà Nội's knowledge
    assert run("ask", "Hồ sơ đăng ký thường trú gồm những gì?", "--user", "canbo.laocai")["outcome"] == "answered"
    with pytest.raises(CommandError, match="Không có tài khoản"):
        run("ask", "x", "--user", "khong-co")
    with pytest.raises(CommandError, match="Hãy nhập câu hỏi"):
        run("ask", "   ")
