"""Housekeeping of the background work itself."""

from __future__ import annotations

import datetime

from django.tasks import task
from django.utils import timezone

KEEP_FINISHED_DAYS = 14


@task()
def prune_task_results() -> int:
    """Delete results of tasks that finished more than :data:`KEEP_FINISHED_DAYS` days ago (their
    arguments are ids, but the table grows with every submission). Returns how many rows went."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - datetime.timedelta(days=KEEP_FINISHED_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
