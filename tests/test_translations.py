"""The Chinese catalogue is complete and compiled, so no English slips onto a Chinese page."""

import gettext
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "site" / "locale" / "zh_Hans" / "LC_MESSAGES"


def entries() -> list[str]:
    return (CATALOGUE / "django.po").read_text(encoding="utf-8").split("\n\n")[1:]


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
    msgids = [m.group(1) for e in entries() if (m := re.search(r'^msgid "(.+)"$', e, re.M))]
    stale = [
        msgid
        for msgid in msgids
        if "%" not in msgid and translations.gettext(msgid.replace('\\"', '"')) == msgid
    ]
    assert len(msgids) > 100
    assert stale == [], "run `make messages` to recompile site/locale"
