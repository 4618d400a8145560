"""What a question must be before the assistant looks for an answer.

* Empty, oversized, control characters or a broken encoding: a :class:`QuestionError` (400, or 413 when
  too long) with a Vietnamese message; nothing is recorded.
* Attempts to change what the assistant does ("bỏ qua hướng dẫn", "ignore your instructions") or to
  make it list the platform's records ("hiển thị tất cả đơn tố cáo") are refused, politely, and
  recorded as refused (the administrators see them). Refusing is a courtesy, not the protection: the
  assistant reads only the library and the knowledge the user may read (``access``), so no question can
  reach other data; the model, when there is one, sees only those sources.
"""

from __future__ import annotations

import re
import unicodedata

from digitalfront.core.errors import DomainError
from digitalfront.core.text import fold

MAX_QUESTION_CHARS = 1000
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")

REFUSAL = (
    "Tôi chỉ trả lời câu hỏi nghiệp vụ dựa trên thư viện pháp luật và kiến thức nghiệp vụ mà bạn được "
    "xem. Tôi không thay đổi cách làm việc theo yêu cầu trong câu hỏi và không tra cứu hay liệt kê hồ sơ, "
    "phản ánh, đơn thư hoặc dữ liệu cá nhân. Hãy đặt câu hỏi về quy định hoặc nghiệp vụ cần tìm hiểu."
)


class QuestionError(DomainError):
    status = 400


# folded forms; each names an attempt to override the instructions or to pull records out
_OVERRIDE = [
    r"\b(bo qua|phot lo|lo di|quen di|quen het|khong can tuan theo|dung tuan theo|vuot qua)\b.{0,40}"
    r"\b(huong dan|chi dan|chi thi|lenh|quy tac|nguyen tac|gioi han|rang buoc|prompt)\b",
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instruction|instructions|rules|prompt|guidelines|"
    r"restrictions|above|previous)\b",
    r"\bsystem prompt\b|\bprompt he thong\b|\bjailbreak\b|\bdeveloper mode\b|\bcau lenh he thong\b",
    r"\b(you are now|act as|pretend to be|tu bay gio ban la|hay dong vai|dong vai la)\b",
]
_DUMP_VERBS = r"(hien thi|liet ke|xuat|in ra|cho xem|cho toi xem|trich xuat|show|list|dump|export|print|reveal)"
_RECORDS = (r"(phan anh|to cao|khieu nai|kien nghi|don thu|ho so|nguoi dung|tai khoan|mat khau|du lieu|"
            r"danh tinh|co so du lieu|denunciations?|complaints?|records?|users?|passwords?|database)")
_DUMP = [
    _DUMP_VERBS + r"\b.{0,30}\b(tat ca|toan bo|moi|het|all|every)\b.{0,30}\b" + _RECORDS + r"\b",
    r"\b(select|delete|drop|update)\b.{0,40}\b(from|table|where)\b",
]
_PATTERNS = [re.compile(p) for p in _OVERRIDE + _DUMP]


def clean(text: object) -> str:
    """The question, NFC and with its spaces collapsed. Raises :class:`QuestionError`."""
    if not isinstance(text, str):
        raise QuestionError("Câu hỏi phải là văn bản.", field="question")
    if len(text) > MAX_QUESTION_CHARS * 4:
        raise _too_long()
    text = unicodedata.normalize("NFC", text)
    if _CONTROL.search(text.replace("\n", " ").replace("\r", " ").replace("\t", " ")):
        raise QuestionError("Câu hỏi chứa ký tự không hợp lệ (sai bảng mã?).", field="question")
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise QuestionError("Hãy nhập câu hỏi.", field="question")
    if len(text) > MAX_QUESTION_CHARS:
        raise _too_long()
    return text


def _too_long() -> QuestionError:
    error = QuestionError(f"Câu hỏi quá dài (tối đa {MAX_QUESTION_CHARS:,} ký tự).".replace(",", "."),
                          field="question", code="too_long")
    error.status = 413
    return error


def is_manipulation(text: str) -> bool:
    """True when the question tries to change the assistant's instructions or to pull records out."""
    folded = " ".join(fold(text).split())
    return any(p.search(folded) for p in _PATTERNS)
