"""What the site's page models and their querysets share: private sections read once per
change of the site, and listings that read only what their cards show.

Private sections (Wagtail's page view restrictions): Wagtail looks for them with two queries on
every page it serves, and with one more in every listing that keeps to public pages
(``PageQuerySet.public()``). A community site usually has none, or one or two; the list is small
and changes only with a change that bumps the page cache generation (``core.page_cache``), so it
is remembered per generation. With none, serving and listing need no query for them; with some,
serving asks Wagtail as before.
"""

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from wagtail.models import PageQuerySet, PageViewRestriction

from core.page_cache import remembered


def view_restrictions() -> list[PageViewRestriction]:
    return remembered(
        None,
        "view-restrictions",
        lambda: list(PageViewRestriction.objects.select_related("page").order_by("pk")),
    )


def _as_request(request_or_user):
    """A request, or a stand-in for one for a user (None: an anonymous visitor) — who then has
    passed no page's password."""
    if request_or_user is not None and hasattr(request_or_user, "session"):
        return request_or_user
    user = request_or_user if request_or_user is not None else AnonymousUser()
    return SimpleNamespace(user=user, session={})


def sections_hidden_from(request_or_user=None) -> list:
    """The private sections (pages under a view restriction) this visitor does not pass:
    password not given in this session, sign-in, groups — as Wagtail checks them when serving."""
    request = _as_request(request_or_user)
    return [r.page for r in view_restrictions() if not r.accept_request(request)]


def may_see(page, request_or_user=None) -> bool:
    """The one gate for pages: may this visitor see this page? It must be live, and the visitor
    must pass its view restrictions and those of its ancestors. Every path that renders, lists
    or accepts anything belonging to a page (its polls, comments, ratings, receipts) asks this,
    or ``SitePageQuerySet.visible_to`` / ``visible_q`` for many pages at once."""
    if page is None or not page.live:
        return False
    return not any(page.path.startswith(s.path) for s in sections_hidden_from(request_or_user))


def visible_q(request_or_user=None, prefix: str = "") -> Q:
    """``may_see`` as a filter on pages, or (with ``prefix``, e.g. ``"proposal__"``) on rows
    that belong to a page."""
    q = Q(**{f"{prefix}live": True})
    for section in sections_hidden_from(request_or_user):
        q &= ~Q(**{f"{prefix}path__startswith": section.path})
    return q


# What every card in a listing reads of a page (components/*_card.html): its title and address.
CARD_FIELDS = ("title", "url_path")


class SitePageQuerySet(PageQuerySet):
    """Wagtail's page queryset with the private sections read from ``view_restrictions()``, and
    ``cards()`` for listings."""

    def cards(self):
        """Only the fields a card shows (the model's ``card_fields``): a page row has some forty
        columns, and reading them all costs more than the query itself."""
        return self.only(*CARD_FIELDS, *self.model.card_fields)

    def visible_to(self, request_or_user=None):
        """The pages this visitor may see (``may_see``)."""
        return self.filter(visible_q(request_or_user))

    def private_q(self) -> Q:
        q = Q()
        for restriction in view_restrictions():
            q |= self.descendant_of_q(restriction.page, inclusive=True)
        return q if q else Q(pk__in=[])


class RestrictionsMixin:
    """For page models: no query for view restrictions while the site has none."""

    def get_view_restrictions(self):
        if not view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class SharingMixin:
    """What a link to the page shows when pasted into WeChat (Open Graph): the page's summary and,
    where the page has one, its picture (named by ``share_image_field``)."""

    share_image_field = ""

    @property
    def share_image(self):
        return getattr(self, self.share_image_field) if self.share_image_field else None

    @property
    def share_description(self) -> str:
        return self.search_description or getattr(self, "summary", "")
