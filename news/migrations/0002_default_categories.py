"""The five categories every community starts with; editors may add more."""

from django.db import migrations

CATEGORIES = [
    ("通知公告", "notices"),
    ("社区动态", "updates"),
    ("办事指南", "guides"),
    ("文化活动", "culture"),
    ("温馨提示", "tips"),
]


def create_categories(apps, schema_editor):
    NewsCategory = apps.get_model("news", "NewsCategory")
    for position, (name, slug) in enumerate(CATEGORIES):
        NewsCategory.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": position})


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]

    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
