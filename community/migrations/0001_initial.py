"""Households and residents' claims move from ``deliberation`` to ``community`` without losing a
row: this migration takes them over in Django's state only, on their existing tables; 0002 then
renames the tables and builds the register on them."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("deliberation", "0007_ballot_ledger"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Household",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("building", models.CharField(help_text="e.g. 3 or 3号楼", max_length=20, verbose_name="building")),
                        ("unit", models.CharField(blank=True, help_text="e.g. 2单元", max_length=20, verbose_name="unit")),
                        ("room", models.CharField(help_text="e.g. 502", max_length=20, verbose_name="room")),
                        ("floor_area", models.DecimalField(blank=True, decimal_places=2, help_text="The registered exclusive floor area, for owners' decisions.", max_digits=8, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name="floor area (m²)")),
                        ("owner_ref", models.CharField(blank=True, help_text="Units with the same reference belong to one owner and count once by headcount (e.g. the register's owner number; “developer” for all unsold units). Empty: this unit's owner owns nothing else here.", max_length=64, verbose_name="owner reference")),
                    ],
                    options={
                        "db_table": "deliberation_household",
                        "verbose_name": "household",
                        "verbose_name_plural": "households",
                        "ordering": ["building", "unit", "room"],
                        "constraints": [models.UniqueConstraint(fields=("building", "unit", "room"), name="household_unique_address")],
                    },
                ),
                migrations.CreateModel(
                    name="Residency",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("status", models.CharField(choices=[("pending", "Waiting for verification"), ("verified", "Verified"), ("rejected", "Rejected")], default="pending", max_length=10, verbose_name="status")),
                        ("is_owner", models.BooleanField(default=False, verbose_name="owner")),
                        ("claimed_at", models.DateTimeField(auto_now_add=True, verbose_name="claimed")),
                        ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided")),
                        ("decided_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="decided by")),
                        ("household", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="residencies", to="community.household", verbose_name="household")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="residencies", to=settings.AUTH_USER_MODEL, verbose_name="user")),
                    ],
                    options={
                        "db_table": "deliberation_residency",
                        "verbose_name": "residency",
                        "verbose_name_plural": "residencies",
                        "permissions": [("verify_residency", "Can verify or reject residents' claims")],
                        "constraints": [models.UniqueConstraint(fields=("user", "household"), name="residency_unique_claim")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
