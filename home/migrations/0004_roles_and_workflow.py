"""The groups 编辑, 审核, 审计 and 居民 with their permissions, and the 社区审核 workflow."""

from django.db import migrations

from home.roles import apply_roles, apply_workflow


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_create_homepage"),
        ("news", "0001_initial"),
        ("deliberation", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.RunPython(apply_roles, migrations.RunPython.noop),
        migrations.RunPython(apply_workflow, migrations.RunPython.noop),
    ]
