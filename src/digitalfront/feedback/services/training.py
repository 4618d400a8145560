"""Learning from staff: ``digitalfront feedback retrain`` trains the topic, urgency and sentiment models
on the labels staff confirmed or corrected (``TrainingLabel``), and key rotation re-seals identities."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import transaction

from digitalfront.core.models import AuditEvent

from ..classification import MODEL_NAMES
from ..identity import rotate
from ..models import Case, TrainingLabel

MIN_LABELS = 30
MIN_PER_CLASS = 2


def labelled(field: str) -> tuple[list[str], list[str]]:
    """The texts and labels of ``field``, the latest decision per case (older corrections are replaced)."""
    rows = TrainingLabel.objects.filter(field=field).order_by("created_at").values_list("text", "value")
    texts, labels = [], []
    for text, value in rows:
        texts.append(text)
        labels.append(value)
    return texts, labels


def retrain(*, fields: tuple[str, ...] = ("topic", "urgency", "sentiment"), use_embeddings: bool = True,
            progress: Callable[[str], None] | None = None, actor: Any = None) -> dict[str, Any]:
    """Train each field's model on the staff labels; a field with too few labels (fewer than
    :data:`MIN_LABELS`, or a single class) is skipped and keeps its previous model."""
    from digitalfront.ai.classifier import train_and_save

    report: dict[str, Any] = {}
    for field in fields:
        texts, labels = labelled(field)
        counts = Counter(labels)
        usable = {label for label, n in counts.items() if n >= MIN_PER_CLASS}
        pairs = [(t, label) for t, label in zip(texts, labels, strict=True) if label in usable]
        if len(pairs) < MIN_LABELS or len(usable) < 2:
            report[field] = {"skipped": True, "labels": len(texts), "classes": len(counts),
                             "reason": f"cần ít nhất {MIN_LABELS} nhãn của 2 lớp trở lên"}
            continue
        if progress:
            progress(f"Huấn luyện mô hình {field}: {len(pairs)} nhãn, {len(usable)} lớp")
        meta = train_and_save(MODEL_NAMES[field], [t for t, _ in pairs], [label for _, label in pairs],
                              use_embeddings=use_embeddings, progress=progress or (lambda _m: None))
        report[field] = {"skipped": False, "labels": len(pairs), "classes": len(usable),
                         **{k: v for k, v in meta.items() if k in ("cv_accuracy", "cv_macro_f1", "train_s")}}
    AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None, action="feedback.retrain",
        object_type="ai.model", object_id="feedback",
        data={f: {"labels": r["labels"], "skipped": r["skipped"]} for f, r in report.items()})
    return report


def rotate_identity_keys(*, batch: int = 500, progress: Callable[[str], None] | None = None) -> int:
    """Re-encrypt every sealed identity and private link with the first key of ``DIGITALFRONT_IDENTITY_KEYS``;
    afterwards the old keys can be removed. Returns how many cases were re-sealed."""
    done = 0
    last = 0
    while True:
        with transaction.atomic():
            rows = list(Case.objects.select_for_update().filter(pk__gt=last).order_by("pk")
                        .only("pk", "identity_sealed", "link_sealed")[:batch])
            if not rows:
                break
            for case in rows:
                case.identity_sealed = rotate(case.identity_sealed)
                case.link_sealed = rotate(case.link_sealed)
            Case.objects.bulk_update(rows, ["identity_sealed", "link_sealed"])
            last = rows[-1].pk
            done += len(rows)
        if progress:
            progress(f"Đã mã hoá lại {done} phản ánh")
    return done
