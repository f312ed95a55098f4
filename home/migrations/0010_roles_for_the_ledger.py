"""The supervision committee (审计) reads the ballot ledger."""

from django.db import migrations

from home.roles import apply_roles


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0009_roles_for_search_terms"),
        ("deliberation", "0007_ballot_ledger"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
