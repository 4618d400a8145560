"""Units: loading the national hierarchy, and reorganisations (merge, split) that keep history."""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from digitalfront.core import audit
from digitalfront.core.bulk import analyze, insert_rows
from digitalfront.core.errors import ValidationFailed
from digitalfront.core.scoping import subtree_q
from digitalfront.core.text import fold, nfc
from digitalfront.orgs.models import (
    LEVEL_DEPTH,
    Level,
    OrganisationType,
    Unit,
    UnitChange,
    UnitChangeKind,
    make_path,
    path_ids,
)
from digitalfront.orgs.services import rollups

CENTRAL_CODE = "VN"
CENTRAL_NAME = "Trung ương"
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config" / "organisations.json"
DEFAULT_VALID_FROM = datetime.date(2025, 7, 1)  # the 2025 reorganisation took effect
Progress = Callable[[str, int, int], None]


def organisation_config() -> list[dict[str, Any]]:
    """The organisation types from the configured JSON file (or the bundled default)."""
    path = Path(getattr(settings, "DIGITALFRONT_ORGANISATIONS_FILE", "") or DEFAULT_CONFIG)
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data["organisations"])


def sync_organisation_types() -> int:
    """Create or update the organisation types of the configuration; returns how many there are."""
    valid_levels = set(Level.values)
    for item in organisation_config():
        bad = set(item["levels"]) - valid_levels
        if bad:
            raise ValidationFailed(f"Cấu hình tổ chức {item['code']}: cấp không hợp lệ {sorted(bad)}.")
        OrganisationType.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": nfc(item["name"]),
                "short_name": nfc(item.get("short_name") or item["name"]),
                "kind": item["kind"],
                "levels": item["levels"],
                "level_names": item.get("level_names", {}),
                "order": item.get("order", 0),
            },
        )
    return OrganisationType.objects.count()


# Village names: numbered or named, by the kind of commune and the region.
_NAMED = [
    "Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Tân Lập", "Tân Tiến", "Hòa Bình", "Thống Nhất",
    "Quyết Tiến", "Đoàn Kết", "Phú Xuân", "An Phú", "Bình An", "Tân Hưng", "Phước Lợi", "Đồng Tâm", "Hợp Nhất",
    "Vĩnh Phúc", "Thanh Bình", "Đại Đồng", "Hưng Thịnh", "Minh Khai", "Quang Trung", "Đình", "Chùa", "Cầu",
    "Bến", "Làng Mới", "Trại", "Gò", "Bàu", "Xóm Mới", "Phú Thọ", "Yên Thịnh", "Tiền Phong", "Hồng Phong",
]
_SOUTH_PROVINCES_FROM = 75  # province codes from Đồng Nai southwards: "ấp"
_HIGHLAND_PROVINCES = {"02", "04", "08", "11", "12", "14", "15", "19", "20", "66", "68", "64", "56"}


def _village_kind(province_code: str, commune_kind: str, rng: random.Random) -> str:
    if commune_kind == "phường" or (commune_kind == "đặc khu" and rng.random() < 0.5):
        return "Khu phố" if int(province_code) >= _SOUTH_PROVINCES_FROM else "Tổ dân phố"
    if int(province_code) >= _SOUTH_PROVINCES_FROM:
        return "Ấp"
    if province_code in _HIGHLAND_PROVINCES and rng.random() < 0.6:
        return "Bản"
    return "Thôn"


def _village_names(province_code: str, commune_code: str, commune_kind: str, count: int) -> list[tuple[str, str]]:
    """``count`` plausible village names for one commune, the same every time (seeded by its code)."""
    rng = random.Random(f"villages-{commune_code}")
    kind = _village_kind(province_code, commune_kind, rng)
    numbered = rng.random() < 0.55 or kind in {"Tổ dân phố", "Khu phố"}
    names: list[tuple[str, str]] = []
    pool = list(_NAMED)
    rng.shuffle(pool)
    for i in range(count):
        label = str(i + 1) if numbered or i >= len(pool) else pool[i]
        names.append((f"{kind} {label}", kind.lower()))
    return names


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` over ``weights`` by largest remainders (deterministic, sums to ``total``)."""
    weight_sum = sum(weights) or 1.0
    raw = [total * w / weight_sum for w in weights]
    counts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _next_id() -> int:
    return (Unit.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def _reset_sequence() -> None:
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Unit]):
                cursor.execute(sql)


def level_counts(*, active_only: bool = True) -> dict[str, int]:
    qs = Unit.objects.all()
    if active_only:
        qs = qs.filter(valid_to__isnull=True)
    counts = dict(qs.values_list("level").annotate(n=Count("id")).order_by())
    return {level: counts.get(level, 0) for level in Level.values}


def load_units(*, villages: int | None = None, progress: Progress | None = None) -> dict[str, int]:
    """Load the real provinces and communes (``vietnam-provinces``) and generated villages.

    Idempotent: units already present (by code) are left alone, missing ones are added. Villages are
    generated deterministically, ``villages`` in all (default ``DIGITALFRONT_VILLAGES``), spread over
    the communes by a weight (wards get more residential groups than rural communes).
    """
    import vietnam_provinces

    total_villages = settings.DIGITALFRONT_VILLAGES if villages is None else villages
    if total_villages < 0:
        raise ValidationFailed("Số thôn, tổ dân phố phải không âm.")
    divisions = json.loads(Path(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))
    report = progress or (lambda stage, done, total: None)
    sync_organisation_types()

    with transaction.atomic():
        existing = dict(Unit.objects.values_list("code", "path"))
        next_id = _next_id()
        new_units: list[tuple[Any, ...]] = []

        def add(code: str, name: str, level: str, kind: str, parent_path: str, generated: bool = False) -> str:
            nonlocal next_id
            if code in existing:
                return existing[code]
            uid = next_id
            next_id += 1
            path = make_path(parent_path, uid)
            parent_id = path_ids(parent_path)[-1] if parent_path else None
            name = nfc(name)
            new_units.append(
                (uid, code, name, fold(name), level, kind, parent_id, path, LEVEL_DEPTH[Level(level)], generated,
                 DEFAULT_VALID_FROM)
            )
            existing[code] = path
            return path

        root = add(CENTRAL_CODE, CENTRAL_NAME, Level.CENTRAL, "trung ương", "")
        communes: list[tuple[str, str, str, str]] = []  # (province code, commune code, kind, path)
        for province in divisions:
            pcode = str(province["code"]).zfill(2)
            ppath = add(pcode, province["name"], Level.PROVINCE, province["division_type"], root)
            for ward in province["wards"]:
                wcode = str(ward["code"]).zfill(5)
                wpath = add(wcode, ward["name"], Level.COMMUNE, ward["division_type"], ppath)
                communes.append((pcode, wcode, ward["division_type"], wpath))
        report("xã, phường, đặc khu", len(communes), len(communes))

        weights = [1.6 if kind == "phường" else 1.0 for _, _, kind, _ in communes]
        allocation = _allocate(total_villages, weights)
        for n, ((pcode, wcode, kind, wpath), count) in enumerate(zip(communes, allocation, strict=True), 1):
            for i, (name, vkind) in enumerate(_village_names(pcode, wcode, kind, count), 1):
                add(f"{wcode}-{i:03d}", name, Level.VILLAGE, vkind, wpath, generated=True)
            if n % 500 == 0 or n == len(communes):
                report("sinh thôn, tổ dân phố", n, len(communes))

        fields = ["id", "code", "name", "name_folded", "level", "kind", "parent_id", "path", "depth",
                  "is_generated", "valid_from"]
        insert_rows(Unit, fields, new_units)
        _reset_sequence()
    if new_units:
        analyze(Unit._meta.db_table)
    return level_counts()


def create_unit(*, actor: Any, parent: Unit, code: str, name: str, kind: str = "",
                valid_from: datetime.date | None = None) -> Unit:
    """Create one unit under ``parent`` (one level down)."""
    code, name = nfc(code), nfc(name)
    if not code or not name:
        raise ValidationFailed("Mã và tên đơn vị không được để trống.")
    if Unit.objects.filter(code=code).exists():
        raise ValidationFailed(f"Mã đơn vị {code} đã tồn tại.", field="code")
    levels = list(Level.values)
    if parent.level == Level.VILLAGE:
        raise ValidationFailed("Không thể tạo đơn vị dưới cấp thôn, tổ dân phố.")
    level = levels[levels.index(parent.level) + 1]
    with transaction.atomic():
        unit = Unit.objects.create(
            code=code, name=name, name_folded=fold(name), level=level, kind=kind, parent=parent,
            path=f"tmp-{code}"[:64], depth=parent.depth + 1, valid_from=valid_from or timezone.localdate(),
        )
        unit.path = make_path(parent.path, unit.pk)
        unit.save(update_fields=["path"])
        audit.record(actor=actor, action="unit.create", obj=unit, unit_path=unit.path)
    return unit


def _move(unit: Unit, new_parent: Unit) -> None:
    """Re-parent ``unit`` (and its subtree) under ``new_parent``, carrying its roll-up contribution."""
    if new_parent.path.startswith(unit.path):
        raise ValidationFailed("Không thể chuyển đơn vị vào chính cây con của nó.")
    old_ancestors = unit.ancestor_ids()
    old_path = unit.path
    new_path = make_path(new_parent.path, unit.pk)
    rollups.shift_subtree(unit, old_ancestors=old_ancestors, new_ancestors=path_ids(new_path)[:-1])
    depth_shift = new_parent.depth + 1 - unit.depth
    descendants = list(Unit.objects.filter(subtree_q("path", old_path, strict=True)))
    for d in descendants:
        d.path = new_path + d.path[len(old_path) :]
        d.depth += depth_shift
    unit.parent = new_parent
    unit.path = new_path
    unit.depth = new_parent.depth + 1
    unit.save(update_fields=["parent", "path", "depth"])
    Unit.objects.bulk_update(descendants, ["path", "depth"], batch_size=1000)


def merge_units(*, actor: Any, sources: Sequence[Unit], target: Unit, effective: datetime.date,
                decision: str = "") -> UnitChange:
    """Merge ``sources`` into ``target`` (same level) from ``effective``.

    Each source's children move under the target; the source itself is closed (``valid_to``) and kept
    as a historical child of the target, with its reports, so everything it reported keeps counting in
    the target's and the target's ancestors' roll-ups.
    """
    if not sources:
        raise ValidationFailed("Chưa chọn đơn vị bị sáp nhập.")
    with transaction.atomic():
        target = Unit.objects.select_for_update().get(pk=target.pk)
        if target.valid_to is not None:
            raise ValidationFailed("Đơn vị tiếp nhận đã hết hiệu lực.")
        change = UnitChange.objects.create(kind=UnitChangeKind.MERGE, effective=effective, decision=nfc(decision),
                                           created_by=actor if getattr(actor, "is_authenticated", False) else None)
        change.targets.add(target)
        for source in sources:
            source = Unit.objects.select_for_update().get(pk=source.pk)
            if source.pk == target.pk:
                raise ValidationFailed("Không thể sáp nhập một đơn vị vào chính nó.")
            if source.level != target.level:
                raise ValidationFailed("Chỉ sáp nhập các đơn vị cùng cấp.")
            if source.valid_to is not None:
                raise ValidationFailed(f"Đơn vị {source.name} đã hết hiệu lực.")
            for child in list(Unit.objects.filter(parent=source, valid_to__isnull=True)):
                _move(child, target)
            _move(source, target)
            source.valid_to = effective - datetime.timedelta(days=1)
            source.successor = target
            source.save(update_fields=["valid_to", "successor"])
            change.sources.add(source)
            audit.record(actor=actor, action="unit.merge", obj=source, unit_path=target.path,
                         target=target.code, effective=effective.isoformat(), decision=decision)
    return change


def split_unit(*, actor: Any, source: Unit, parts: Sequence[dict[str, Any]], effective: datetime.date,
               decision: str = "") -> list[Unit]:
    """Split ``source`` into new units (siblings of it) from ``effective``.

    ``parts`` are ``{"code", "name", "children": [unit ids]}``; every active child of the source must go
    to exactly one part. The source is closed and keeps its own reports in place, so the totals of its
    parent and above are unchanged by the split.
    """
    if len(parts) < 2:
        raise ValidationFailed("Chia tách cần ít nhất hai đơn vị mới.")
    with transaction.atomic():
        source = Unit.objects.select_for_update().get(pk=source.pk)
        if source.valid_to is not None or source.parent is None:
            raise ValidationFailed("Không thể chia tách đơn vị này.")
        children = {c.pk: c for c in Unit.objects.filter(parent=source, valid_to__isnull=True)}
        assigned = [cid for part in parts for cid in part.get("children", [])]
        if sorted(assigned) != sorted(children):
            raise ValidationFailed("Mỗi đơn vị cấp dưới phải được giao cho đúng một đơn vị mới.")
        change = UnitChange.objects.create(kind=UnitChangeKind.SPLIT, effective=effective, decision=nfc(decision),
                                           created_by=actor if getattr(actor, "is_authenticated", False) else None)
        change.sources.add(source)
        created = []
        for part in parts:
            unit = create_unit(actor=actor, parent=source.parent, code=part["code"], name=part["name"],
                               kind=part.get("kind", source.kind), valid_from=effective)
            for cid in part.get("children", []):
                _move(children[cid], unit)
            change.targets.add(unit)
            created.append(unit)
        source.valid_to = effective - datetime.timedelta(days=1)
        source.save(update_fields=["valid_to"])
        audit.record(actor=actor, action="unit.split", obj=source, unit_path=source.path,
                     targets=[u.code for u in created], effective=effective.isoformat(), decision=decision)
    return created
