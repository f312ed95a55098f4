"""Every household gets its Building; every claim its relation (see 0002). Data only: on
PostgreSQL a table cannot change shape in the transaction that updated its rows."""

from django.db import migrations

from community.names import building_key


def buildings_from_names(apps, schema_editor):
    Building = apps.get_model("community", "Building")
    Household = apps.get_model("community", "Household")
    names = sorted(set(Household.objects.values_list("building", flat=True)))
    addresses = {}
    for household in Household.objects.all():
        addresses.setdefault(building_key(household.building), []).append(
            (household.building, household.unit, household.room)
        )
    for name in names:
        key = building_key(name)
        spellings = {spelling for spelling, _unit, _room in addresses[key]}
        flats = [(unit, room) for _spelling, unit, room in addresses[key]]
        if len(spellings) > 1 and len(flats) != len(set(flats)):
            # Two spellings name the same flat twice: keep them apart rather than lose one.
            key = name.strip().lower()
        building, _created = Building.objects.get_or_create(key=key, defaults={"name": name.strip()})
        Household.objects.filter(building=name).update(building_ref=building)


def relations_from_owner_ticks(apps, schema_editor):
    Residency = apps.get_model("community", "Residency")
    Residency.objects.filter(is_owner=True).update(relation="owner")
    Residency.objects.filter(is_owner=False).update(relation="family")


def owner_ticks_from_relations(apps, schema_editor):
    Residency = apps.get_model("community", "Residency")
    Residency.objects.update(is_owner=False)
    Residency.objects.filter(relation="owner").update(is_owner=True)



class Migration(migrations.Migration):
    dependencies = [("community", "0002_buildings_grids_relations")]

    operations = [
        migrations.RunPython(relations_from_owner_ticks, owner_ticks_from_relations),
        migrations.RunPython(buildings_from_names, migrations.RunPython.noop),
    ]
