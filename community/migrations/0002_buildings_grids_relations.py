"""The register grows into the community's own app, keeping every row:

- the tables of households and claims take community's names;
- every building written in the register becomes a ``Building`` (spellings of one building —
  3栋, 3号楼, 三号楼 — become one, unless that would merge two flats of the same address);
- grids (网格) with their grid workers;
- a claim states the relation to the flat: the former "owner" tick becomes 业主, the rest family
  members (家庭成员), as they were counted before;
- permissions and admin history follow the models to their new app.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models



def content_types_follow(apps, schema_editor, old="deliberation", new="community"):
    """Permissions, group grants and admin history hang on the content type: move it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("household", "residency"):
        moved = ContentType.objects.filter(app_label=old, model=model)
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            moved.update(app_label=new)


def content_types_return(apps, schema_editor):
    content_types_follow(apps, schema_editor, old="community", new="deliberation")


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("deliberation", "0008_register_moves_to_community"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelTable(name="household", table=None),
        migrations.AlterModelTable(name="residency", table=None),
        migrations.RunPython(content_types_follow, content_types_return),
        migrations.CreateModel(
            name="Grid",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="e.g. 第一网格", max_length=40, unique=True, verbose_name="name")),
                ("workers", models.ManyToManyField(blank=True, help_text="The grid workers (网格员) responsible for this grid.", related_name="grids", to=settings.AUTH_USER_MODEL, verbose_name="grid workers")),
            ],
            options={"verbose_name": "grid", "verbose_name_plural": "grids", "ordering": ["name"]},
        ),
        migrations.CreateModel(
            name="Building",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="As residents say it, e.g. 3号楼 or 3栋.", max_length=20, verbose_name="name")),
                ("key", models.CharField(editable=False, help_text="The same for every spelling of the name (3栋, 3号楼, 三号楼).", max_length=20, unique=True, verbose_name="key")),
                ("sort_order", models.PositiveIntegerField(default=0, help_text="Buildings are listed by this, then by name.", verbose_name="sort order")),
                ("grid", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="buildings", to="community.grid", verbose_name="grid")),
            ],
            options={"verbose_name": "building", "verbose_name_plural": "buildings", "ordering": ["sort_order", "name"]},
        ),
        migrations.AddField(
            model_name="household",
            name="building_ref",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="households", to="community.building"),
        ),
        migrations.AddField(
            model_name="residency",
            name="relation",
            field=models.CharField(choices=[("owner", "Owner"), ("family", "Family member"), ("tenant", "Tenant")], default="family", help_text="Owner, family member or tenant, as the resident stated and staff confirmed.", max_length=10, verbose_name="relation"),
        ),
    ]
