"""The site's base models: the user, the home page, standard pages and site-wide settings."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.page_cache import remembered
from core.pages import RestrictionsMixin
from deliberation.blocks import BodyBlock
from search.models import Kind

phone_validator = RegexValidator(
    r"^[0-9+\-() ]{5,20}$", _("Enter a phone number of digits, spaces, +, - or brackets.")
)


class User(AbstractUser):
    """Everyone who signs in: residents, staff and auditors.

    Personal data (real name, phone) is kept here for the staff who verify residents and must
    never reach a public page: public pages use ``public_name``.
    """

    display_name = models.CharField(
        _("display name"),
        max_length=40,
        blank=True,
        help_text=_("Shown beside comments instead of the real name, e.g. “3号楼 王阿姨”."),
    )
    real_name = models.CharField(_("real name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def is_verified_resident(self) -> bool:
        """Whether a moderator has verified at least one of this user's household claims."""
        from community.models import ResidencyStatus

        return self.residencies.filter(status=ResidencyStatus.VERIFIED).exists()

    @property
    def public_name(self) -> str:
        """The name other residents see: the display name, never the real name or phone."""
        return self.display_name or self.username


class HomePage(RestrictionsMixin, Page):
    """The community's front page: a welcome, then the latest notices, open deliberations and
    upcoming activities, each filled from its own app."""

    hero_heading = models.CharField(
        _("welcome heading"),
        max_length=80,
        blank=True,
        help_text=_("The large line at the top, e.g. “欢迎来到幸福里社区”."),
    )
    hero_text = models.TextField(
        _("welcome text"),
        blank=True,
        help_text=_("One or two sentences about what residents can do on this site."),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("welcome image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(
        BodyBlock(),
        verbose_name=_("more content"),
        blank=True,
        help_text=_("Optional blocks shown below the lists, e.g. office hours."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("hero_heading"), FieldPanel("hero_text"), FieldPanel("hero_image")],
            heading=_("Welcome"),
        ),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "news.NewsIndexPage",
        "news.ActivityIndexPage",
        "deliberation.DeliberationIndexPage",
        "home.StandardPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Find a page below by its address instead of one query per level of the tree
        (Wagtail's walk): which page an address names is remembered until the next change of
        the site, so serving it is one query, for the page itself. What is not a whole page —
        a sub-address of a routable page, like an activity's poster — goes the usual way."""
        if path_components:
            url_path = self.url_path + "/".join(path_components) + "/"
            digest = hashlib.sha256(url_path.encode()).hexdigest()[:32]
            found = remembered(
                request,
                f"route:{digest}",
                lambda: (
                    Page.objects.filter(url_path=url_path)
                    .values_list("id", "content_type_id")
                    .first()
                ),
            )
            model = ContentType.objects.get_for_id(found[1]).model_class() if found else None
            if model is not None:
                page = model._default_manager.filter(pk=found[0]).first()
                if page is not None:
                    return page.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from deliberation.models import ProposalPage
        from news.models import ActivityPage, NewsPage

        context = super().get_context(request, *args, **kwargs)
        context["notices"] = NewsPage.objects.for_home_page(limit=6)
        context["deliberations"] = ProposalPage.objects.cards().open_for_participation(limit=4)
        context["activities"] = ActivityPage.objects.cards().upcoming(limit=4)
        return context


class StandardPage(RestrictionsMixin, Page):
    """A page of content blocks: 办事指南, office hours, how the 议事厅 works."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    subpage_types = ["home.StandardPage"]
    archive_kind = Kind.PAGE

    class Meta:
        verbose_name = _("standard page")


class RememberedSetting:
    """Site settings read from the cache until the site changes (``core.page_cache``), instead of
    a query per page and setting."""

    @classmethod
    def for_request(cls, request):
        from wagtail.models import Site

        attr = cls.get_cache_attr_name()
        if hasattr(request, attr):
            return getattr(request, attr)
        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)
        value = remembered(request, f"setting:{cls._meta.label_lower}:{site.pk}",
                           lambda: cls.for_site(site))  # fmt: skip
        value._request = request
        setattr(request, attr, value)
        return value


@register_setting(icon="home")
class CommunitySettings(RememberedSetting, BaseSiteSetting):
    """Who runs this site: shown in the header, the footer and on printed posters."""

    name = models.CharField(
        _("community name"),
        max_length=60,
        blank=True,
        help_text=_("e.g. 幸福里社区. Empty: the site name from the deployment settings."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(
        _("office phone"), max_length=40, blank=True, validators=[phone_validator]
    )
    office_hours = models.CharField(_("office hours"), max_length=100, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    footer_text = models.TextField(_("footer text"), blank=True)
    icp_number = models.CharField(
        _("ICP licence number"),
        max_length=60,
        blank=True,
        help_text=_("The 备案号 shown at the bottom of every page, e.g. 京ICP备12345678号."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("logo"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("office_hours"),
        FieldPanel("footer_text"),
        FieldPanel("icp_number"),
    ]

    class Meta:
        verbose_name = _("community profile")


class NavigationLinkBlock(blocks.StructBlock):
    """One entry of the main menu: a page of this site, or an outside address."""

    label = blocks.CharBlock(
        label=_("Label"), max_length=20, required=False, help_text=_("Empty: the page's title.")
    )
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Web address"), required=False)

    class Meta:
        icon = "link"
        label = _("Menu entry")

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": [_("Choose a page or enter a web address.")]}
            )
        if value.get("url") and not value.get("label"):
            raise blocks.StructBlockValidationError(
                block_errors={"label": [_("A web address needs a label.")]}
            )
        return value


@register_setting(icon="list-ul")
class NavigationSettings(RememberedSetting, BaseSiteSetting):
    """The main menu, in the order editors put it."""

    items = StreamField(
        [("link", NavigationLinkBlock())],
        verbose_name=_("menu entries"),
        blank=True,
        max_num=8,
        help_text=_("At most eight entries, so the menu fits on a phone."),
    )

    panels = [FieldPanel("items")]

    class Meta:
        verbose_name = _("main menu")
