from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("deliberation", "0012_poll_voters_from_unit")]

    operations = [migrations.RemoveField(model_name="poll", name="unit")]
