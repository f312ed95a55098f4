"""Moderators seal polls and enter paper ballots, and auditors audit them, by permissions named
for what they do (``deliberation.seal_poll``, ``enter_paper_ballot``, ``audit_poll``) instead of
the borrowed ``add_participation`` and ``view_ledgerentry``."""

from django.db import migrations

from home.roles import apply_roles


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0016_block_templates_in_core"),
        ("deliberation", "0010_staff_permissions_on_polls"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
