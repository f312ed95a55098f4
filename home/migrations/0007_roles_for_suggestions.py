"""Editors and moderators answer residents' topic suggestions; auditors read them."""

from django.db import migrations

from home.roles import apply_roles


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0006_poll_block"),
        ("deliberation", "0005_participation"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
