"""Moderators moderate comments and keep the sensitive-word list; auditors read both."""

from django.db import migrations

from home.roles import apply_roles


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0007_roles_for_suggestions"),
        ("deliberation", "0006_comments"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
