"""Polls go through the 社区审核 workflow like pages (issue 14): the Poll snippet is assigned to
the workflow, and moderators gain ``deliberation.publish_poll`` to approve them; editors keep
add/change and submit their drafts."""

from django.db import migrations

from home.roles import apply_roles, apply_workflow


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0017_roles_for_sealing_and_audit"),
        ("deliberation", "0013_remove_poll_unit"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.RunPython(apply_roles, migrations.RunPython.noop),
        migrations.RunPython(apply_workflow, migrations.RunPython.noop),
    ]
