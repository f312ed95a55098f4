"""Throttle and PageCacheGeneration now belong to ``core`` (its 0001 took over their tables)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0013_page_url_path_index"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Throttle"),
                migrations.DeleteModel(name="PageCacheGeneration"),
            ],
            database_operations=[],
        ),
    ]
