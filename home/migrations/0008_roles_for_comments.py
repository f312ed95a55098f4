"""Moderators moderate comments and keep the sensitive-word list; auditors read both."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0007_roles_for_suggestions"),
        ("deliberation", "0006_comments"),
    ]

    # The roles are applied in full, from home.roles, by the latest roles migration (0017): a
    # database made from scratch need not apply each earlier table on the way (each application
    # costs a rendering of every model). Databases that ran this step keep what it did.
    operations: list = []
