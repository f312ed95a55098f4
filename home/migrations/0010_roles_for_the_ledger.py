"""The supervision committee (审计) reads the ballot ledger."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0009_roles_for_search_terms"),
        ("deliberation", "0007_ballot_ledger"),
    ]

    # The roles are applied in full, from home.roles, by the latest roles migration (0017): a
    # database made from scratch need not apply each earlier table on the way (each application
    # costs a rendering of every model). Databases that ran this step keep what it did.
    operations: list = []
