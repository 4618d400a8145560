"""Retrieval quality on legal questions: ``digitalfront library eval``.

Questions are in the format of ALQAC's ``questions_dev.json``: ``text`` and ``relevant_articles``
(``law_id`` + ``article_id``). A returned article is a hit when its document's title is the law_id and its
number is the article_id (the ALQAC import keeps both).
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

from .models import Section
from .search import engine
from .services.documents import LibraryError


def read_questions(path: str | Path) -> list[dict[str, Any]]:
    file = Path(path)
    if not file.is_file():
        raise LibraryError(f"Không tìm thấy tệp {path}.")
    try:
        data = json.loads(file.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LibraryError(f"Tệp {path} không phải JSON UTF-8 hợp lệ.") from exc
    if not isinstance(data, list):
        raise LibraryError(f"Tệp {path} phải là một danh sách câu hỏi.")
    out = []
    for i, q in enumerate(data, start=1):
        if not isinstance(q, dict) or not isinstance(q.get("text"), str) or not q["text"].strip():
            raise LibraryError(f"Câu hỏi thứ {i} không có nội dung (text).")
        gold = q.get("relevant_articles")
        if not isinstance(gold, list) or not gold or not all(
                isinstance(g, dict) and "law_id" in g and "article_id" in g for g in gold):
            raise LibraryError(f"Câu hỏi thứ {i} thiếu relevant_articles (law_id, article_id).")
        out.append(q)
    if not out:
        raise LibraryError(f"Tệp {path} không có câu hỏi nào.")
    return out


def article_keys() -> dict[int, tuple[str, str]]:
    """Section id -> (document title, article number)."""
    return {pk: (title, number) for pk, title, number in
            Section.objects.filter(kind="article").values_list("pk", "document__title", "number")}


def evaluate(questions: list[dict[str, Any]], *, k: int = 10, semantic: bool = True) -> dict[str, Any]:
    if k < 1 or k > 100:
        raise LibraryError("k phải từ 1 đến 100.")
    keys = article_keys()
    depth = max(k, 10)
    first: list[int | None] = []
    times = []
    for q in questions:
        gold = {(g["law_id"], str(g["article_id"])) for g in q["relevant_articles"]}
        started = time.perf_counter()
        ranked = engine.article_scores(q["text"], limit=depth, semantic=semantic)
        times.append((time.perf_counter() - started) * 1000)
        found = None
        for rank, ((kind, pk), _) in enumerate(ranked, start=1):
            if kind == "a" and keys.get(pk) in gold:
                found = rank
                break
        first.append(found)
    n = len(questions)

    def recall(depth: int) -> float:
        return round(sum(1 for r in first if r is not None and r <= depth) / n, 4)

    def mrr(depth: int) -> float:
        return round(sum(1 / r for r in first if r is not None and r <= depth) / n, 4)

    times.sort()
    result: dict[str, Any] = {"n": n, "recall_at_1": recall(1), "recall_at_10": recall(10), "mrr_at_10": mrr(10)}
    if k != 10:
        result[f"recall_at_{k}"] = recall(k)
        result[f"mrr_at_{k}"] = mrr(k)
    result.update({"recall_at_3": recall(3), "p50_ms": round(statistics.median(times), 1),
                   "p95_ms": round(times[int(0.95 * (n - 1))], 1), "semantic": semantic})
    return result
