"""Run every benchmark and print its figures as Markdown rows for bench/README.md.

``make bench`` runs this against a throwaway SQLite database under var/ (or $DATABASE_URL).
"""

import argparse
import os
import platform

import django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200, help="requests per page")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--quiet")

    from bench import pages

    python = platform.python_version()
    print(f"Machine: {platform.node()} · {os.cpu_count()} cores · Python {python}")
    print(f"Database: {connection.vendor}")
    pages.run(repeat=args.repeat)


if __name__ == "__main__":
    main()
