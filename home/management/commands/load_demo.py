"""Build the demo community 幸福里社区: pages, news, activities, proposals, households, accounts.

Idempotent: run it twice and nothing is duplicated; what exists is left as editors left it.
Every account gets the password from DEMO_PASSWORD (default documented in the README).
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from core.models import Throttle
from home import demo as home_demo
from home.demo import deliberation as deliberation_demo
from home.demo import news as news_demo


class Command(BaseCommand):
    help = "Load the demo community (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo accounts.")

    def handle(self, *args, quiet=False, **options):
        password = settings.DEMO_PASSWORD
        with transaction.atomic():
            accounts = home_demo.build_accounts(password)
            site = home_demo.build_site()
            news_demo.load(site, accounts)
            deliberation_demo.load(site, accounts)
            # The demo's ballots and comments went through the services' rate limits; the
            # people trying the demo should start with none used.
            Throttle.objects.all().delete()
        if quiet:
            return
        self.stdout.write(self.style.SUCCESS("Demo community 幸福里社区 is ready."))
        self.stdout.write(f"  Password for every account: {password}")
        self.stdout.write("  admin      superuser")
        self.stdout.write("  editor     编辑 (writes pages, submits them for approval)")
        self.stdout.write("  moderator  审核 (approves, publishes, verifies residents)")
        self.stdout.write("  auditor    审计 (read-only)")
        self.stdout.write(f"  resident1 … resident{home_demo.RESIDENT_COUNT}  verified residents")
        self.stdout.write("  newcomer   signed up, waiting for verification")
