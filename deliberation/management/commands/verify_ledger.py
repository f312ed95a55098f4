"""``verify_ledger [--poll ID]``: recompute every poll's hash chain and tally from the stored
ballots and compare them with the entries, the seals and the published results.

Exits 0 when everything holds; otherwise 1, naming the first poll and entry that does not.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deliberation.ledger import verify_poll
from deliberation.models import Poll


class Command(BaseCommand):
    help = "Verify the ballot ledger of every poll (or one)."

    def add_arguments(self, parser):
        parser.add_argument("--poll", type=int, help="only this poll")

    def handle(self, *args, poll=None, **options):
        polls = Poll.objects.order_by("pk")
        if poll is not None:
            polls = polls.filter(pk=poll)
            if not polls.exists():
                raise CommandError(_("There is no poll %(poll)s.") % {"poll": poll})
        failed = []
        for each in polls:
            problems = verify_poll(each)
            if problems:
                failed.append(problems[0])
                self.stderr.write(f"FAIL {problems[0]}")
            else:
                length = each.ledger.count()
                self.stdout.write(
                    "ok   "
                    + ngettext(
                        "poll %(poll)s: %(count)s entry verified",
                        "poll %(poll)s: %(count)s entries verified",
                        length,
                    )
                    % {"poll": each.pk, "count": length}
                )
        if failed:
            raise CommandError(
                _("%(count)s poll(s) failed verification; first: %(problem)s")
                % {"count": len(failed), "problem": failed[0]}
            )
        self.stdout.write(_("All %(count)s polls verified.") % {"count": polls.count()})
