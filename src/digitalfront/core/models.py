"""Models shared by every app: the audit log."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One thing somebody did: who, what, to which object, with a small JSON of details.

    Written by services in the same transaction as the change, so the log and the data agree.
    Personal data never goes into ``data``.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    unit_path = models.CharField(max_length=64, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "nhật ký thao tác"
        verbose_name_plural = "nhật ký thao tác"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"
