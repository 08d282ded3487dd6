"""Give every user who already exists in a corporate schema an employee profile."""

from typing import Any

from django.db import migrations


def create_profiles(apps: Any, schema_editor: Any) -> None:
    user_model = apps.get_model("accounts", "User")
    employee_model = apps.get_model("corporate", "Employee")
    existing = set(employee_model.objects.values_list("user_id", flat=True))
    employee_model.objects.bulk_create(
        [employee_model(user_id=pk) for pk in user_model.objects.values_list("pk", flat=True) if pk not in existing]
    )


class Migration(migrations.Migration):
    dependencies = [("corporate", "0001_initial")]

    operations = [migrations.RunPython(create_profiles, migrations.RunPython.noop)]
