"""Seal every poll whose voting has closed, recording its result under its rule.

Run it every few minutes (cron or a systemd timer), beside ``publish_scheduled``:
``*/5 * * * * cd /srv/yishiting && .venv/bin/python manage.py seal_polls``. Sealing twice is
harmless. A poll sealed here records no ``sealed_by`` (系统按时封存); moderators can seal a due
poll from the admin too, and only a confirmed early close seals one before its time.
"""

from django.core.management.base import BaseCommand

from deliberation.models import Poll
from deliberation.services import seal_poll
from deliberation.tally import outcome_in_words


class Command(BaseCommand):
    help = "Seal polls whose voting has closed and record their results."

    def handle(self, *args, **options):
        # A draft past its close is left alone: sealing it would make a result of a poll no
        # resident ever saw.
        for poll in Poll.objects.live().due_for_sealing():
            sealed = seal_poll(poll)
            self.stdout.write(f"{sealed.pk} {sealed.title}: {outcome_in_words(sealed.result)}")
