"""``update_index``: rebuild the archive's documents from the pages, then every index.

Wagtail's own command (which this extends) then indexes every indexed model in the database,
the archive's documents included; when Elasticsearch is configured its archive index is rebuilt
from the same documents.
"""

import time

from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from search.backends import get_backend
from search.documents import rebuild_documents


class Command(WagtailUpdateIndex):
    help = "Rebuild the public archive's search documents and every search index."

    def handle(self, **options):
        started = time.monotonic()
        count = rebuild_documents()
        self.stdout.write(f"{count} archive documents in {time.monotonic() - started:.1f} s")
        super().handle(**options)
        backend = get_backend()
        if backend.name != "database":
            self.stdout.write(f"{backend.rebuild()} documents sent to {backend.name}")
