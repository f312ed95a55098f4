"""Editors and moderators teach the search the community's own words."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0008_roles_for_comments"),
        ("search", "0001_documents_and_terms"),
    ]

    # The roles are applied in full, from home.roles, by the latest roles migration (0017): a
    # database made from scratch need not apply each earlier table on the way (each application
    # costs a rendering of every model). Databases that ran this step keep what it did.
    operations: list = []
