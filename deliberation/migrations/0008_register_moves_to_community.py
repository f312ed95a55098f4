"""Households and residents' claims now belong to ``community`` (its 0001 took over their
tables); who took part points at the household there."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("deliberation", "0007_ballot_ledger"),
        ("community", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="participation",
                    name="household",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="participations", to="community.household"),
                ),
                migrations.DeleteModel(name="Residency"),
                migrations.DeleteModel(name="Household"),
            ],
            database_operations=[],
        ),
    ]
