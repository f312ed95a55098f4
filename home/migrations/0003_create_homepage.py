"""Replace Wagtail's placeholder page with our home page, so a fresh site is ours at once."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("home", "HomePage")

    if HomePage.objects.exists():
        return
    Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore").delete()
    homepage_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    root = Page.objects.get(depth=1)
    homepage = HomePage.objects.create(
        title="首页",
        draft_title="首页",
        slug="home",
        content_type=homepage_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale_id=root.locale_id,
        hero_heading="欢迎来到社区议事厅",
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page_id": homepage.id, "site_name": ""},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_pages_and_settings"),
        
    ]

    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
