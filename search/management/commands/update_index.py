"""``update_index``: rebuild the archive's documents from the pages, then every index.

Wagtail's own command (which this extends) then rebuilds its index of pages (the admin's
search); the archive's full-text index is rebuilt from the documents, in the database or, when
configured, in Elasticsearch.
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
        self.stdout.write(f"{backend.rebuild()} documents in the {backend.name} index")
