"""Data: each poll's voters from its old voting unit (a Civil Code poll is decided by owners);
polls made before approval existed were live from the start. Undone, the closing ledger entries
(which the older code does not know) are dropped and each seal is put back on its last ballot."""

from django.db import migrations

CIVIL_CODE = ("civil_code_ordinary", "civil_code_major")


def forwards(apps, schema_editor):
    Poll = apps.get_model("deliberation", "Poll")
    for poll in Poll.objects.all():
        if poll.unit == "household":
            poll.voters = "owners" if poll.rule in CIVIL_CODE else "households"
        else:
            poll.voters = "residents"
        poll.live = True
        poll.first_published_at = poll.first_published_at or poll.created_at
        poll.last_published_at = poll.last_published_at or poll.created_at
        poll.save(update_fields=["voters", "live", "first_published_at", "last_published_at"])


def backwards(apps, schema_editor):
    Poll = apps.get_model("deliberation", "Poll")
    LedgerEntry = apps.get_model("deliberation", "LedgerEntry")
    # Before this step a seal covered the ballots only: drop each closing entry and seal at
    # the ballot before it, as the older code sealed.
    for entry in LedgerEntry.objects.filter(kind="close"):
        Poll.objects.filter(pk=entry.poll_id).update(
            ledger_head=entry.previous_hash, ledger_length=entry.position - 1
        )
        entry.delete()
    Poll.objects.filter(voters="residents").update(unit="person")
    Poll.objects.exclude(voters="residents").update(unit="household")


class Migration(migrations.Migration):
    dependencies = [("deliberation", "0011_poll_electorate_workflow_early_close")]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
