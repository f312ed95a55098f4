"""Editors and moderators teach the search the community's own words."""

from django.db import migrations

from home.roles import apply_roles


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0008_roles_for_comments"),
        ("search", "0001_documents_and_terms"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
