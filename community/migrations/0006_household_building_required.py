"""The household's building is now the Building row; the owner tick gives way to the relation."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("community", "0005_household_building_names_back")]

    operations = [
        migrations.RemoveField(model_name="household", name="building"),
        migrations.RenameField(model_name="household", old_name="building_ref", new_name="building"),
        migrations.AlterField(
            model_name="household",
            name="building",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="households", to="community.building", verbose_name="building"),
        ),
        migrations.AlterModelOptions(
            name="household",
            options={"ordering": ["building__sort_order", "building__name", "unit", "room"], "verbose_name": "household", "verbose_name_plural": "households"},
        ),
        migrations.AddConstraint(
            model_name="household",
            constraint=models.UniqueConstraint(fields=("building", "unit", "room"), name="household_unique_address"),
        ),
        migrations.RemoveField(model_name="residency", name="is_owner"),
    ]
