"""Moderators keep the register (buildings, grids, flats, claims) in its new app; auditors read
it; grid workers (网格员) get their group."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0014_infrastructure_moves_to_core"),
        ("community", "0006_household_building_required"),
    ]

    # The roles are applied in full, from home.roles, by the latest roles migration (0017): a
    # database made from scratch need not apply each earlier table on the way (each application
    # costs a rendering of every model). Databases that ran this step keep what it did.
    operations: list = []
