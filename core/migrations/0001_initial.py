"""The throttle counters and the page cache generation move from ``home`` to ``core``: the rows
stay where they are (state only), then the tables take core's names."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0013_page_url_path_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Throttle",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("scope", models.CharField(max_length=30)),
                        ("key", models.CharField(max_length=64)),
                        ("started_at", models.DateTimeField()),
                        ("hits", models.PositiveIntegerField(default=0)),
                        ("blocked_until", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "db_table": "home_throttle",
                        "constraints": [models.UniqueConstraint(fields=("scope", "key"), name="one_throttle_per_scope_and_key")],
                    },
                ),
                migrations.CreateModel(
                    name="PageCacheGeneration",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("value", models.PositiveBigIntegerField(default=0)),
                    ],
                    options={"db_table": "home_pagecachegeneration"},
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="throttle", table=None),
        migrations.AlterModelTable(name="pagecachegeneration", table=None),
    ]
