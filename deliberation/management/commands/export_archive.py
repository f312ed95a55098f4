"""``export_archive OUT``: the public archive as open data, in the directory OUT.

- ``pages.json``: every published public page (title, address, type, date, category, stage,
  result, text) — what the archive search holds, nothing more.
- ``polls/<id>.json``: every sealed poll anyone may see (approved, of a published public
  proposal) — rule, result (with ``result_in_words`` as the page words it: passed, not passed,
  chosen "…", tied, no quorum), how it closed (announced and actual close, who sealed, any early
  close), seal (head hash and number of entries) and its ledger (each entry's position, previous
  hash, hash and the exact payload hashed); no voter, no receipt.
- ``README.txt``: the format and how to re-verify a chain in a few lines.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from deliberation.audit import poll_export
from deliberation.models import Poll
from deliberation.tally import outcome_in_words
from search.models import SearchDocument

RECIPE = """Ballot ledgers (polls/<id>.json, key "ledger")

Each entry: hash = SHA-256( previous_hash + "\\n" + payload ), as lowercase hex, where payload
is the UTF-8 text given (canonical JSON: sorted keys, no spaces) and the first entry's
previous_hash is 64 zeros. The last hash must equal seal.head, and the number of entries
seal.entries. In Python:

    import hashlib, json
    poll = json.load(open("polls/3.json", encoding="utf-8"))
    previous = "0" * 64
    for entry in poll["ledger"]:
        assert entry["previous_hash"] == previous
        previous = hashlib.sha256((previous + "\\n" + entry["payload"]).encode()).hexdigest()
        assert previous == entry["hash"]
    assert previous == poll["seal"]["head"] and len(poll["ledger"]) == poll["seal"]["entries"]

With a shell, jq and sha256sum (the last line printed must equal seal.head):

    prev=$(printf '0%.0s' $(seq 64))
    jq -r '.ledger[].payload' polls/3.json | while IFS= read -r payload; do
      prev=$(printf '%s\\n%s' "$prev" "$payload" | sha256sum | cut -d' ' -f1); echo "$prev"
    done | tail -1

The hashes run over every payload. Counting the "choices" of the payloads that have no "kind"
(or kind "ballot"), weighted by "weight" where the rule counts floor area, gives the published
result. The last payload (kind "close") records the announced close, the actual close
("closed_at"), who sealed ("sealed_by": a user id, null for the scheduled task) and any early
close ("early_close": reason, who asked and confirmed, when). In each poll's file "closes_at" is
the announced close, "closed_at" the actual one, and "sealed_by" and "early_close" name people
by their public names.
"result" holds the counts, "result.kind" says what was asked (motion, choice, approval),
"result.outcome" what it decided (passed, rejected, quorum_not_met for a motion; chosen —
"result.winner" is the choice's id — tie, quorum_not_met for a choice or approval poll),
"result.ranking" the choices in rank order and, for a Civil Code motion, "result.tests" its four
tests (part / whole against the threshold).
"""


class Command(BaseCommand):
    help = "Export the public archive (pages, sealed results, ledgers) as open data."

    def add_arguments(self, parser):
        parser.add_argument("out", help="directory to write into (created if missing)")

    def handle(self, *args, out, **options):
        root = Path(out)
        (root / "polls").mkdir(parents=True, exist_ok=True)
        pages = list(
            SearchDocument.objects.order_by("date", "pk").values(
                "title", "url", "kind", "date", "category", "stage", "result", "text"
            )
        )
        self._write(root / "pages.json", pages)
        # What anyone may see: approved polls of published, public proposals (or of none).
        sealed = Poll.objects.visible_to(None).filter(sealed_at__isnull=False).order_by("pk")
        for poll in sealed:
            data = poll_export(poll)
            data["result_in_words"] = outcome_in_words(poll.result)
            self._write(root / "polls" / f"{poll.pk}.json", data)
        (root / "README.txt").write_text(RECIPE, encoding="utf-8")
        self.stdout.write(
            _("%(pages)s pages and %(polls)s sealed polls written to %(out)s")
            % {"pages": len(pages), "polls": sealed.count(), "out": root}
        )

    def _write(self, path: Path, data) -> None:
        path.write_text(
            json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder), encoding="utf-8"
        )
