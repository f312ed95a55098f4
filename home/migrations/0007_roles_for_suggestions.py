"""Editors and moderators answer residents' topic suggestions; auditors read them."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0006_poll_block"),
        ("deliberation", "0005_participation"),
    ]

    # The roles are applied in full, from home.roles, by the latest roles migration (0017): a
    # database made from scratch need not apply each earlier table on the way (each application
    # costs a rendering of every model). Databases that ran this step keep what it did.
    operations: list = []
