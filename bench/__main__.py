"""Run every benchmark and print its figures as Markdown rows for bench/README.md.

``make bench`` runs this against a throwaway SQLite database under var/ (or $DATABASE_URL):
the demo community plus 10,000 generated news items, so listings are measured at the size of
a real archive.
"""

import argparse
import os
import platform

import django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200, help="renders per page")
    parser.add_argument("--seconds", type=float, default=8.0, help="HTTP load time per page")
    parser.add_argument("--news-items", type=int, default=10_000, help="generated news items")
    parser.add_argument("--only", choices=["pages", "ballots"], help="run one group")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench import ballots, http, pages
    from bench.bulk import bulk_news_pages
    from news.models import NewsIndexPage, NewsPage

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--quiet")
    index = NewsIndexPage.objects.first()
    missing = (
        args.news_items - NewsPage.objects.child_of(index).filter(slug__startswith="bulk-").count()
    )
    if missing > 0:
        bulk_news_pages(index, missing)

    python = platform.python_version()
    print(f"Machine: {platform.node()} · {os.cpu_count()} cores · Python {python}")
    print(f"Database: {connection.vendor}; news items: {NewsPage.objects.count()}")
    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        database_url = f"sqlite:///{database['NAME']}"
    else:
        database_url = os.environ["DATABASE_URL"]
    if args.only in (None, "pages"):
        pages.run(repeat=args.repeat)
        http.run(database_url, pages.PAGES, seconds=args.seconds)
    if args.only in (None, "ballots"):
        ballots.run_voting(database_url)
        ballots.run_tally()


if __name__ == "__main__":
    main()
