"""Undone, the building names come back from the Building rows (data only, see 0003)."""

from django.db import migrations


def names_from_buildings(apps, schema_editor):
    Household = apps.get_model("community", "Household")
    for household in Household.objects.select_related("building_ref"):
        household.building = household.building_ref.name
        household.save(update_fields=["building"])


class OnlyWhenUndone(migrations.RunPython):
    """Nothing to do forwards, so nothing to render forwards (a RunPython renders every model
    before it runs, even a no-op)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass


class Migration(migrations.Migration):
    dependencies = [("community", "0004_household_building_names_default")]

    operations = [OnlyWhenUndone(migrations.RunPython.noop, names_from_buildings)]
