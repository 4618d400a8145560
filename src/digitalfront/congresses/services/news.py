"""News of a congress, by the unit's own staff, with an optional photo.

The photo goes through ``feedback.attachments`` (type from the bytes, decoded and re-encoded: no EXIF, no
GPS position survives; the stored name is generated). A PDF or anything that is not a photo is refused with
a Vietnamese 422 on ``photo``; nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from digitalfront.core import audit, live
from digitalfront.core.errors import ValidationFailed
from digitalfront.feedback import attachments

from ..access import congress_for
from ..models import NewsItem

TITLE_MAX = 300
BODY_MAX = 10_000


def clean_photo(upload: Any) -> attachments.CleanFile | None:
    """The photo checked and re-encoded, or None; a refusal is a 422 on ``photo``."""
    if upload is None:
        return None
    try:
        clean = attachments.clean_upload(upload)
    except ValidationFailed as exc:
        if exc.code.startswith("pdf_"):
            raise ValidationFailed(_not_a_photo(upload), field="photo", code="file_type") from None
        raise ValidationFailed(exc.message, field="photo", code=exc.code) from None
    if clean.kind != attachments.IMAGE:
        raise ValidationFailed(_not_a_photo(upload), field="photo", code="file_type")
    return clean


def _not_a_photo(upload: Any) -> str:
    name = attachments.clean_original_name(getattr(upload, "name", ""))
    return f"Tệp “{name}” không phải ảnh (JPEG, PNG hoặc WebP)."


def add(*, actor: Any, congress_id: int, title: str, body: str = "", published: bool = True,
        photo: Any = None) -> NewsItem:
    """A news item on the congress (``edit`` at its unit or above)."""
    title = " ".join(str(title or "").split())
    body = str(body or "").strip()
    if not title:
        raise ValidationFailed("Hãy nhập tiêu đề tin.", field="title")
    if len(title) > TITLE_MAX:
        raise ValidationFailed(f"Tiêu đề quá dài (tối đa {TITLE_MAX} ký tự).", field="title")
    if len(body) > BODY_MAX:
        raise ValidationFailed(f"Nội dung quá dài (tối đa {BODY_MAX:,} ký tự).".replace(",", "."), field="body")
    congress = congress_for(actor, congress_id, "edit")
    clean = clean_photo(photo)
    item = NewsItem(congress=congress, title=title, body=body, published=bool(published),
                    created_by=actor if getattr(actor, "is_authenticated", False) else None)
    stored = ""
    try:
        with transaction.atomic():
            if clean is not None:
                item.photo.save(clean.name, ContentFile(clean.content), save=False)
                stored = str(item.photo.name)
            item.save()
            audit.record(actor=actor, action="congress.news", obj=congress, unit_path=congress.unit.path,
                         news=item.pk, title=title, photo=bool(stored), published=item.published)
            if item.published:
                event = {"kind": "news", "id": item.pk, "congress_id": congress.pk, "title": title,
                         "unit_name": congress.unit.name,
                         "created_at": timezone.localtime(item.created_at).strftime("%d/%m/%Y %H:%M")}
                transaction.on_commit(lambda: live.publish("congresses", event))
    except Exception:
        if stored:
            item.photo.storage.delete(stored)
        raise
    return item
