from django.db import migrations

import accounts.models


def superusers_become_system_administrators(apps, schema_editor):
    """Superusers made by `createsuperuser` before it set the role were commune officers without a unit: locked out
    of the portal and of Django admin. They were meant to be system administrators."""
    User = apps.get_model("accounts", "User")
    User.objects.filter(is_superuser=True, is_staff=True, role="commune_officer", scope_unit__isnull=True).update(
        role="system_admin"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_exportlog"),
    ]

    operations = [
        # `createsuperuser` makes system administrators (accounts.models.UserManager).
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", accounts.models.UserManager()),
            ],
        ),
        migrations.RunPython(superusers_become_system_administrators, migrations.RunPython.noop),
    ]
