"""Moderators keep the register (buildings, grids, flats, claims) in its new app; auditors read
it; grid workers (网格员) get their group."""

from django.db import migrations

from home.roles import apply_roles


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0014_infrastructure_moves_to_core"),
        ("community", "0006_household_building_required"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
