"""Writing audit events (from services, inside their transaction)."""

from typing import Any

from django.db import models

from digitalfront.core.models import AuditEvent


def record(*, actor: Any, action: str, obj: models.Model, unit_path: str = "", **data: Any) -> AuditEvent:
    """Record that ``actor`` did ``action`` to ``obj``. Call inside the service's transaction."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        unit_path=unit_path,
        data=data,
    )
