"""Polls: editors and moderators set them up, moderators enter paper ballots, auditors read."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_roles_and_workflow"),
        ("deliberation", "0002_polls_and_ballots"),
    ]

    # The roles are applied in full, from home.roles, by the latest roles migration (0017): a
    # database made from scratch need not apply each earlier table on the way (each application
    # costs a rendering of every model). Databases that ran this step keep what it did.
    operations: list = []
