"""Cases remember when the worker followed them up (the intake no longer names them in a task)."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def mark_processed(apps, schema_editor):
    """Cases the follow-up task has already been through (they have a suggestion) are followed up; the
    others wait for the next sweep (a task enqueued before this migration names them by id)."""
    Case = apps.get_model("feedback", "Case")
    Case.objects.exclude(suggestion={}).update(followed_up_at=F("received_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0002_topics'),
        ('orgs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='followed_up_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('followed_up_at__isnull', True)), fields=['id'], name='feedback_follow_up'),
        ),
        migrations.RunPython(mark_processed, migrations.RunPython.noop),
    ]
