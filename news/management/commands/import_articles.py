"""Import archived articles (.txt, .html, .md) as news pages.

    python manage.py import_articles PATH... [--parent /news/] [--category 通知公告]
                                             [--draft] [--json]

A directory imports every such file under it. Importing a file again updates the page it made
(files are known by name). Each file is imported in its own transaction: a file that is empty,
binary or undecodable is reported with the reason, leaves nothing behind, and the others still
import. The exit status is 1 when any file failed.
"""

import json
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.models import Site

from news.importer import (
    SUPPORTED_SUFFIXES,
    ArticleRejected,
    ImportResult,
    read_article,
    save_article,
)
from news.models import NewsCategory, NewsIndexPage


def files_under(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
        else:
            found.append(path)
    return found


class Command(BaseCommand):
    help = "Import .txt, .html and .md articles as news pages (re-importing updates them)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or directories")
        parser.add_argument(
            "--parent", help="URL path of the news index to import into (default: the first one)"
        )
        parser.add_argument("--category", help="category name or slug for every imported page")
        parser.add_argument(
            "--draft", action="store_true", help="save as drafts for editors to review"
        )
        parser.add_argument("--json", action="store_true", help="one JSON object per file")

    def handle(self, *args, paths, parent=None, category=None, draft=False, json=False, **options):
        index = self.find_parent(parent)
        chosen_category = self.find_category(category)
        failed = 0
        for path in files_under(paths):
            result = self.import_one(path, index, chosen_category, draft)
            failed += result.status == "error"
            self.report(result, as_json=json)
        if failed:
            raise SystemExit(1)

    def find_parent(self, url_path: str | None) -> NewsIndexPage:
        indexes = NewsIndexPage.objects.all()
        if url_path:
            site = Site.objects.filter(is_default_site=True).first()
            wanted = "/" + url_path.strip("/") + "/"
            for index in indexes:
                if index.get_url_parts() and index.relative_url(site) == wanted:
                    return index
            raise CommandError(_("No news index page at %(path)s.") % {"path": url_path})
        index = indexes.first()
        if index is None:
            raise CommandError(_("There is no news index page to import into."))
        return index

    def find_category(self, name: str | None) -> NewsCategory | None:
        if not name:
            return None
        found = NewsCategory.objects.filter(name=name).first()
        found = found or NewsCategory.objects.filter(slug=name).first()
        if found is None:
            known = "、".join(NewsCategory.objects.values_list("name", flat=True))
            raise CommandError(
                _("No category %(name)s. Categories: %(known)s.") % {"name": name, "known": known}
            )
        return found

    def import_one(self, path: Path, index, category, draft: bool) -> ImportResult:
        result = ImportResult(file=str(path))
        try:
            if not path.is_file():
                raise ArticleRejected(_("There is no such file."))
            article = read_article(path.name, path.read_bytes())
            with transaction.atomic():
                page, created = save_article(article, path.name, index, category, draft)
        except ArticleRejected as rejected:
            result.error = str(rejected)
            return result
        except OSError as exc:
            result.error = _("The file could not be read: %(reason)s") % {"reason": exc.strerror}
            return result
        except RecursionError:  # a safety net: the reader's walks are bounded (MAX_NESTING)
            result.error = _("The file is too deeply nested to be read.")
            return result
        result.url = page.url
        result.title = page.title
        result.date = article.date.isoformat() if article.date else None
        result.status = "created" if created else "updated"
        return result

    def report(self, result: ImportResult, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(asdict(result), ensure_ascii=False))
        elif result.status == "error":
            self.stderr.write(f"✗ {result.file}: {result.error}")
        else:
            word = _("created") if result.status == "created" else _("updated")
            self.stdout.write(f"✓ {result.file} → {result.url} ({word}) {result.title}")
