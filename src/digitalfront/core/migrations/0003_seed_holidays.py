from django.db import migrations


def seed_holidays(apps, schema_editor):
    from digitalfront.core.holiday_seed import seed

    seed(apps.get_model("core", "Holiday"), range(2024, 2036))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_holiday")]

    operations = [migrations.RunPython(seed_holidays, migrations.RunPython.noop)]
