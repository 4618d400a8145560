"""Entering and confirming congresses. Keyword arguments, one transaction, an audit event each.

Validation (:func:`check`) gives a Vietnamese 422 on the field at fault and changes nothing: dates inside
the term, attending not more than summoned, every composition count and the standing committee not
larger than the committee, the chair and vice-chairs within the standing committee, results before the
report. Entry is by the unit's own staff; once the level above has confirmed, the record is locked until
it is returned for correction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from digitalfront.core import audit, live
from digitalfront.core.errors import InvalidState, NotFound, PermissionDenied, ValidationFailed
from digitalfront.core.scoping import scope_for
from digitalfront.orgs.models import Level, Unit

from ..access import congress_for
from ..models import COMPOSITION, STATUS_ORDER, Congress, Status, Term

LEVELS = (Level.PROVINCE, Level.COMMUNE)
MAX_PEOPLE = 100_000
COUNT_FIELDS = ("delegates_summoned", "delegates_attending", "committee_size", "standing_size",
                "delegates_to_above", *(name for name, _ in COMPOSITION))
DATE_FIELDS = ("planned_on", "held_on")
TEXT_FIELDS = {"venue": 300, "chair": 150}
NAME_LISTS = {"vice_chairs": 20, "standing_members": 50}  # lists of full names, and their longest length
EDITABLE = (*COUNT_FIELDS, *DATE_FIELDS, *TEXT_FIELDS, *NAME_LISTS)
LABELS = {
    "delegates_summoned": "Số đại biểu được triệu tập", "delegates_attending": "Số đại biểu có mặt",
    "committee_size": "Số ủy viên Ủy ban", "standing_size": "Số ủy viên Ban Thường trực",
    "delegates_to_above": "Số đại biểu dự đại hội cấp trên", "planned_on": "Ngày dự kiến",
    "held_on": "Ngày tổ chức", "venue": "Địa điểm", "chair": "Chủ tịch", "vice_chairs": "Phó chủ tịch",
    "standing_members": "Ủy viên Ban Thường trực khác",
    **dict(COMPOSITION),
}


def _fmt(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def clean(values: dict[str, Any]) -> dict[str, Any]:
    """Types and bounds of each field sent (unknown fields refused)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name not in EDITABLE:
            raise ValidationFailed(f"Trường không được hỗ trợ: {name}.", field=name)
        label = LABELS[name]
        if name in COUNT_FIELDS:
            if value in (None, ""):
                out[name] = None
                continue
            if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
                raise ValidationFailed(f"{label} phải là số nguyên không âm.", field=name)
            number = int(str(value).strip())
            if number > MAX_PEOPLE:
                raise ValidationFailed(f"{label} quá lớn (tối đa {MAX_PEOPLE:,}).".replace(",", "."), field=name)
            out[name] = number
        elif name in DATE_FIELDS:
            if value in (None, ""):
                out[name] = None
            elif isinstance(value, datetime.date):
                out[name] = value
            else:
                try:
                    out[name] = datetime.date.fromisoformat(str(value))
                except ValueError:
                    raise ValidationFailed(f"{label} không hợp lệ (định dạng NNNN-TT-NN).", field=name) from None
        elif name in NAME_LISTS:
            names = value.splitlines() if isinstance(value, str) else value
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise ValidationFailed(f"{label}: danh sách họ tên.", field=name)
            names = [" ".join(n.split()) for n in names if n.strip()]
            if len(names) > NAME_LISTS[name] or any(len(n) > 150 for n in names):
                raise ValidationFailed(f"Danh sách {label.lower()} quá dài.", field=name)
            out[name] = names
        else:
            text = " ".join(str(value or "").split())
            if len(text) > TEXT_FIELDS[name]:
                raise ValidationFailed(f"{label} quá dài (tối đa {TEXT_FIELDS[name]} ký tự).", field=name)
            out[name] = text
    return out


def check(term: Term, record: dict[str, Any], *, today: datetime.date | None = None) -> None:
    """The rules between fields, on the record as it would be after the change."""
    today = today or timezone.localdate()
    for name in DATE_FIELDS:
        day = record.get(name)
        if day is not None and not term.starts_on <= day <= term.ends_on:
            raise ValidationFailed(f"{LABELS[name]} phải nằm trong nhiệm kỳ {term.name} "
                                   f"({_fmt(term.starts_on)} – {_fmt(term.ends_on)}).", field=name)
    if record.get("held_on") is not None and record["held_on"] > today:
        raise ValidationFailed("Ngày tổ chức chưa đến: hãy ghi vào ngày dự kiến.", field="held_on")
    summoned, attending = record.get("delegates_summoned"), record.get("delegates_attending")
    if summoned is not None and attending is not None and attending > summoned:
        raise ValidationFailed(f"Số đại biểu có mặt ({attending}) không thể lớn hơn số được triệu tập ({summoned}).",
                               field="delegates_attending")
    size = record.get("committee_size")
    if size is not None:
        for name in ("standing_size", *(n for n, _ in COMPOSITION)):
            value = record.get(name)
            if value is not None and value > size:
                raise ValidationFailed(f"{LABELS[name]} ({value}) không thể lớn hơn số ủy viên Ủy ban ({size}).",
                                       field=name)
    standing = record.get("standing_size")
    leaders = (1 if record.get("chair") else 0) + len(record.get("vice_chairs") or [])
    if standing is not None and leaders > standing:
        raise ValidationFailed(f"Chủ tịch và các phó chủ tịch ({leaders} người) phải nằm trong Ban Thường trực "
                               f"({standing} người).", field="vice_chairs")
    named = leaders + len(record.get("standing_members") or [])
    if standing is not None and named > standing:
        raise ValidationFailed(f"Ban Thường trực có {standing} người, danh sách ghi {named} người (kể cả chủ tịch "
                               "và các phó chủ tịch).", field="standing_members")


def _publish(congress: Congress, action: str, previous: str | None, changed: list[str]) -> None:
    """On commit, tell the dashboards (``core.live``, channel ``congresses``) what changed."""
    unit = congress.unit
    province = unit if unit.level == Level.PROVINCE else unit.parent
    data = {"kind": "congress", "action": action, "id": congress.pk, "unit_code": unit.code,
            "unit_name": unit.name, "province_code": province.code if province else "", "level": congress.level,
            "status": congress.status, "status_label": Status(congress.status).label, "previous_status": previous,
            "changed": changed, "planned_on": _fmt(congress.planned_on) if congress.planned_on else "",
            "held_on": _fmt(congress.held_on) if congress.held_on else ""}
    transaction.on_commit(lambda: live.publish("congresses", data))


def _record(congress: Congress) -> dict[str, Any]:
    return {name: getattr(congress, name) for name in EDITABLE}


def plan(*, actor: Any, unit: Unit, term: Term, values: dict[str, Any] | None = None) -> Congress:
    """The congress of ``unit`` for ``term``, with what is known of it (planned date, venue, delegates)."""
    if unit.level not in LEVELS:
        raise ValidationFailed("Chỉ theo dõi đại hội cấp tỉnh và cấp xã.", field="unit")
    if not scope_for(actor, "edit").covers(unit.path):
        raise PermissionDenied("Bạn không được nhập thông tin đại hội của đơn vị này.")
    cleaned = clean(values or {})
    check(term, cleaned)
    with transaction.atomic():
        if Congress.objects.filter(term=term, unit=unit).exists():
            raise InvalidState(f"Đại hội của {unit.name} nhiệm kỳ {term.name} đã có.")
        congress = Congress.objects.create(term=term, unit=unit, level=unit.level, **cleaned)
        audit.record(actor=actor, action="congress.plan", obj=congress, unit_path=unit.path, **_jsonable(cleaned))
        _publish(congress, "plan", None, sorted(cleaned))
    return congress


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in values.items()}


def update(*, actor: Any, congress_id: int, values: dict[str, Any]) -> Congress:
    """Change what the unit's staff enter; a confirmed congress is locked."""
    cleaned = clean(values)
    with transaction.atomic():
        congress = congress_for(actor, congress_id, "edit")
        congress = Congress.objects.select_for_update().select_related("term", "unit").get(pk=congress.pk)
        if congress.status == Status.CONFIRMED:
            raise InvalidState("Cấp trên đã xác nhận kết quả: hãy đề nghị trả lại để sửa.")
        record = {**_record(congress), **cleaned}
        check(congress.term, record)
        if congress.status == Status.REPORTED:
            _require_results(record)
        for name, value in cleaned.items():
            setattr(congress, name, value)
        congress.save()
        audit.record(actor=actor, action="congress.update", obj=congress, unit_path=congress.unit.path,
                     **_jsonable(cleaned))
        _publish(congress, "update", congress.status, sorted(cleaned))
    return congress


def _require_results(record: dict[str, Any]) -> None:
    for name in ("held_on", "delegates_attending", "committee_size", "chair"):
        if record.get(name) in (None, ""):
            raise ValidationFailed(f"Cần nhập {LABELS[name].lower()} trước khi báo cáo kết quả.", field=name)


def set_status(*, actor: Any, congress_id: int, status: str) -> Congress:
    """Move a congress forward (or back, before it is reported) by its own staff; ``confirmed`` is the
    level above's (:func:`confirm`)."""
    if status not in Status.values or status == Status.CONFIRMED:
        raise ValidationFailed("Tình trạng không hợp lệ.", field="status")
    with transaction.atomic():
        congress = congress_for(actor, congress_id, "edit")
        congress = Congress.objects.select_for_update().select_related("term", "unit").get(pk=congress.pk)
        if congress.status == Status.CONFIRMED:
            raise InvalidState("Cấp trên đã xác nhận kết quả: không đổi được tình trạng.")
        if congress.status == status:
            raise InvalidState(f"Đại hội đang ở tình trạng “{congress.get_status_display()}”.")
        record = _record(congress)
        if STATUS_ORDER.index(Status(status)) >= STATUS_ORDER.index(Status.HELD) and record.get("held_on") is None:
            raise ValidationFailed("Cần nhập ngày tổ chức.", field="held_on")
        if status == Status.REPORTED:
            _require_results(record)
            congress.reported_at, congress.reported_by = timezone.now(), actor
        previous = congress.status
        congress.status = status
        congress.save()
        audit.record(actor=actor, action="congress.status", obj=congress, unit_path=congress.unit.path,
                     previous=previous, status=status)
        _publish(congress, "status", previous, ["status"])
    return congress


def confirm(*, actor: Any, congress_id: int) -> Congress:
    """The level above confirms the results reported (approvers at a strict ancestor)."""
    with transaction.atomic():
        try:
            congress = congress_for(actor, congress_id, "approve")
        except NotFound:
            congress_for(actor, congress_id, "view")  # visible: then it is a refusal, not a 404
            raise PermissionDenied("Chỉ cấp trên trực tiếp hoặc cao hơn mới xác nhận kết quả đại hội.") from None
        congress = Congress.objects.select_for_update().select_related("unit").get(pk=congress.pk)
        if congress.status != Status.REPORTED:
            raise InvalidState("Chỉ xác nhận được đại hội đã báo cáo kết quả.")
        congress.status, congress.confirmed_at, congress.confirmed_by = Status.CONFIRMED, timezone.now(), actor
        congress.save()
        audit.record(actor=actor, action="congress.confirm", obj=congress, unit_path=congress.unit.path)
        _publish(congress, "confirm", Status.REPORTED, ["status"])
    return congress


def return_for_correction(*, actor: Any, congress_id: int, reason: str) -> Congress:
    """The level above sends reported or confirmed results back to the unit, with a written reason."""
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise ValidationFailed("Hãy ghi lý do trả lại (ít nhất 5 ký tự).", field="reason")
    with transaction.atomic():
        try:
            congress = congress_for(actor, congress_id, "approve")
        except NotFound:
            congress_for(actor, congress_id, "view")
            raise PermissionDenied("Chỉ cấp trên mới trả lại kết quả đại hội.") from None
        congress = Congress.objects.select_for_update().select_related("unit").get(pk=congress.pk)
        if congress.status not in (Status.REPORTED, Status.CONFIRMED):
            raise InvalidState("Chỉ trả lại được kết quả đã báo cáo.")
        previous = congress.status
        congress.status, congress.confirmed_at, congress.confirmed_by = Status.HELD, None, None
        congress.save()
        audit.record(actor=actor, action="congress.return", obj=congress, unit_path=congress.unit.path,
                     reason=reason[:500])
        _publish(congress, "return", previous, ["status"])
    return congress
