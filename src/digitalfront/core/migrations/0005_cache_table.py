"""The database cache's table (rate limits, challenges) exists after a bare ``migrate``: the embedded
default uses it, and a production cache on Redis leaves it unused."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_scheduledjob_processheartbeat")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
