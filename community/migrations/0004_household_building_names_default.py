"""The old building column gets a default and loses its constraint, so that undoing the next
migrations can bring it back before its names are filled in (0005)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("community", "0003_fill_buildings_and_relations")]

    operations = [
        migrations.RemoveConstraint(model_name="household", name="household_unique_address"),
        migrations.AlterModelOptions(
            name="household",
            options={"ordering": ["unit", "room"], "verbose_name": "household", "verbose_name_plural": "households"},
        ),
        migrations.AlterField(
            model_name="household",
            name="building",
            field=models.CharField(default="", help_text="e.g. 3 or 3号楼", max_length=20, verbose_name="building"),
        ),
    ]
