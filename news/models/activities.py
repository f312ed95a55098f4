"""Activity posters (活动海报) and the residents who sign up for them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.search import index

from core.pages import RestrictionsMixin, SharingMixin, SitePageQuerySet
from core.pagination import paginate
from deliberation.blocks import BodyBlock
from search.models import Kind


class ActivityPageQuerySet(SitePageQuerySet):
    def for_listing(self) -> "ActivityPageQuerySet":
        return self.live().public()

    def upcoming(self, limit: int | None = None):
        """Activities that have not ended yet, soonest first."""
        items = self.for_listing().filter(end__gte=timezone.now()).order_by("start", "pk")
        return list(items[:limit]) if limit else items

    def past(self):
        return self.for_listing().filter(end__lt=timezone.now()).order_by("-start", "-pk")


ActivityPageManager = PageManager.from_queryset(ActivityPageQuerySet)


class ActivityIndexPage(RestrictionsMixin, RoutablePageMixin, Page):
    """Activity posters: upcoming ones first, then past ones."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    subpage_types = ["news.ActivityPage"]
    parent_page_types = ["home.HomePage"]

    class Meta:
        verbose_name = _("activity index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        activities = ActivityPage.objects.child_of(self).cards()
        context["upcoming"] = activities.upcoming()
        context["past"] = paginate(request, activities.past(), per_page=12)
        return context

    @path("")
    def index(self, request):
        return self.render(request)


class ActivityPage(RestrictionsMixin, SharingMixin, RoutablePageMixin, Page):
    """An activity poster (活动海报): what, when, where, who organises it, and sign-ups.

    Sign-ups open when the page says (or at once) and close when it says (or when the activity
    starts). With a capacity, sign-ups beyond it join a waiting list that moves up when someone
    cancels; see ``news.services``.
    """

    share_image_field = "poster"
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=120)
    organiser = models.CharField(_("organiser"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("How many people can take part. Empty: no limit."),
    )
    signup_enabled = models.BooleanField(
        _("residents sign up on the site"),
        default=True,
        help_text=_("Untick for activities anyone can simply walk into."),
    )
    signup_opens = models.DateTimeField(
        _("sign-up opens"), null=True, blank=True, help_text=_("Empty: as soon as it is published.")
    )
    signup_closes = models.DateTimeField(
        _("sign-up closes"), null=True, blank=True, help_text=_("Empty: when the activity starts.")
    )
    summary = models.TextField(_("summary"), blank=True, max_length=300)
    poster = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("poster"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("details"), blank=True)

    objects = ActivityPageManager()
    card_fields = ("start", "end", "place", "summary")

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("organiser")]),
        FieldPanel("summary"),
        FieldPanel("poster"),
        MultiFieldPanel(
            [
                FieldPanel("signup_enabled"),
                FieldPanel("capacity"),
                FieldRowPanel([FieldPanel("signup_opens"), FieldPanel("signup_closes")]),
            ],
            heading=_("Sign-up"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("place"),
        index.SearchField("body"),
        index.FilterField("start"),
    ]
    archive_kind = Kind.ACTIVITY
    parent_page_types = ["news.ActivityIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="activity_ends_after_start"
            )
        ]

    def archive_facts(self) -> dict:
        return {"date": self.start.date()}

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("An activity cannot end before it starts.")})
        if self.signup_opens and self.signup_closes and self.signup_closes < self.signup_opens:
            raise ValidationError({"signup_closes": _("Sign-up cannot close before it opens.")})

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    @property
    def signup_closes_at(self):
        return self.signup_closes or self.start

    def signup_window_state(self, now=None) -> str:
        """``disabled``, ``not_yet``, ``open`` or ``closed``."""
        now = now or timezone.now()
        if not self.signup_enabled:
            return "disabled"
        if self.signup_opens and now < self.signup_opens:
            return "not_yet"
        if now >= self.signup_closes_at:
            return "closed"
        return "open"

    def signup_counts(self) -> dict[str, int]:
        """Confirmed and waiting sign-ups, in one query."""
        counts = self.signups.aggregate(
            confirmed=models.Count("pk", filter=models.Q(status=SignUpStatus.CONFIRMED)),
            waiting=models.Count("pk", filter=models.Q(status=SignUpStatus.WAITING)),
        )
        return {"confirmed": counts["confirmed"], "waiting": counts["waiting"]}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        counts = self.signup_counts()
        context["signup_counts"] = counts
        context["places_left"] = (
            max(self.capacity - counts["confirmed"], 0) if self.capacity is not None else None
        )
        context["signup_state"] = self.signup_window_state()
        context["my_signup"] = (
            self.signups.active().filter(user=request.user).first()
            if request.user.is_authenticated
            else None
        )
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("signup/")
    def signup(self, request):
        from news.views import activity_signup

        return activity_signup(request, self)

    @path("cancel/")
    def cancel(self, request):
        from news.views import activity_cancel

        return activity_cancel(request, self)

    @path("poster/")
    def print_poster(self, request):
        return self.render(request, template="news/activity_poster.html")


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class SignUpQuerySet(models.QuerySet):
    def active(self) -> "SignUpQuerySet":
        return self.exclude(status=SignUpStatus.CANCELLED)

    def waiting_in_order(self) -> "SignUpQuerySet":
        return self.filter(status=SignUpStatus.WAITING).order_by("created_at", "pk")


class SignUp(models.Model):
    """One person's sign-up for an activity.

    Capacity is kept by the database: a confirmed sign-up holds a numbered seat, seats are unique
    per activity and numbered from 1 to the capacity, so two people signing up at the same
    instant can never both get the last place. A user has at most one active sign-up per
    activity (a partial unique constraint), so a double click cannot sign up twice.
    """

    activity = models.ForeignKey(
        ActivityPage, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="signups"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="activity_signups",
    )
    status = models.CharField(_("status"), max_length=10, choices=SignUpStatus.choices)
    seat = models.PositiveIntegerField(_("place number"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = SignUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "seat"], name="signup_unique_seat"),
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=~models.Q(status="cancelled"),
                name="signup_one_active_per_user",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="confirmed", seat__gte=1)
                    | (~models.Q(status="confirmed") & models.Q(seat__isnull=True))
                ),
                name="signup_seat_only_when_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.user}"
