"""The Chinese catalogue is complete and compiled, so no English slips onto a Chinese page."""

import gettext
import json
import re
from pathlib import Path

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import translation

import pytest

from tests.factories import CommentFactory, SuperuserFactory

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "site" / "locale" / "zh_Hans" / "LC_MESSAGES"


def entries() -> list[str]:
    return (CATALOGUE / "django.po").read_text(encoding="utf-8").split("\n\n")[1:]


def translated(translations: gettext.GNUTranslations, context: str | None, msgid: str) -> str:
    """The compiled translation of an entry, read with its msgctxt when it has one."""
    return translations.pgettext(context, msgid) if context else translations.gettext(msgid)


def test_every_message_has_a_chinese_translation():
    untranslated = [
        e for e in entries() if e.splitlines()[-1] == 'msgstr ""' and "msgid_plural" not in e
    ]
    fuzzy = [e for e in entries() if "#, fuzzy" in e]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_its_source():
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    found = [
        m.groups()
        for e in entries()
        if (m := re.search(r'^(?:msgctxt "(.+)"\n)?msgid "(.+)"$', e, re.M))
    ]
    msgids = [msgid for _context, msgid in found]
    stale = [
        msgid
        for context, msgid in found
        if "%" not in msgid
        and translated(translations, context, msgid.replace('\\"', '"')) == msgid
    ]
    assert len(msgids) > 100
    assert stale == [], "run `make messages` to recompile site/locale"


def sidebar_labels(html: str) -> list[str]:
    """Every label in the Wagtail admin's sidebar, which the page carries as JSON for its script."""
    props = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    labels, nodes = [], [json.loads(props[1])]
    while nodes:
        node = nodes.pop()
        if isinstance(node, dict):
            labels += [node["label"]] if isinstance(node.get("label"), str) else []
            nodes += node.values()
        elif isinstance(node, list):
            nodes += node
    return labels


@pytest.mark.django_db
def test_the_admin_menu_uses_wagtails_own_words_for_pages_and_reports(client_for):
    labels = sidebar_labels(client_for(SuperuserFactory()).get("/admin/").content.decode())
    assert "页面" in labels and "报告" in labels
    assert "分页" not in labels and "举报数" not in labels


@pytest.mark.django_db
def test_our_pagination_and_report_counts_keep_their_own_words(client_for, rf):
    CommentFactory()  # the moderation queue shows its columns once there is a comment
    items = Paginator(range(30), 10).page(2)
    with translation.override("zh-hans"):
        nav = render_to_string("includes/pagination.html", {"items": items}, request=rf.get("/"))
    assert 'aria-label="分页"' in nav
    queue = client_for(SuperuserFactory()).get("/admin/snippets/deliberation/stancecomment/")
    assert "举报数" in queue.content.decode()
