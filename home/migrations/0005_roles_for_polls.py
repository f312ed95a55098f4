"""Polls: editors and moderators set them up, moderators enter paper ballots, auditors read."""

from django.db import migrations

from home.roles import apply_roles


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_roles_and_workflow"),
        ("deliberation", "0002_polls_and_ballots"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
