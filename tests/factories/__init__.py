"""Factories for the data tests build themselves (factory_boy and wagtail-factories).

One module per area, all re-exported here: ``from tests.factories import ResidentFactory``.

- ``people``: accounts, staff of each role, residents with a verified claim on a flat;
- ``register``: grids, buildings, households (flats), residencies (claims);
- ``pages``: the site's page tree (home, index pages) and news, activities, standard pages;
- ``deliberation``: proposals, polls with choices, ballots, comments.

Factories create rows with the same services the site uses where a row has rules (a ballot is
cast with ``cast_ballot``, so the ledger and the participation are right), and plainly where it
has none.
"""

from tests.factories.deliberation import *  # noqa: F403
from tests.factories.pages import *  # noqa: F403
from tests.factories.people import *  # noqa: F403
from tests.factories.register import *  # noqa: F403
