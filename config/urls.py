"""The site's URLs: accounts, the admin, search, then every page Wagtail serves."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from django.views.static import serve

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from drf_spectacular.views import SpectacularAPIView

from community import views as community_views
from deliberation import views as deliberation_views
from home import views as home_views
from news import views as news_views
from search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/household/", community_views.household_claim, name="household_claim"),
    path("accounts/", include("home.urls")),
    path("search/", search_views.search, name="search"),
    path("archive/", search_views.archive, name="archive"),
    path("calendar/activities.ics", news_views.upcoming_ics, name="activities_ics"),
    path("calendar/activity-<int:pk>.ics", news_views.activity_ics, name="activity_ics"),
    # The language switch sets a preference cookie and changes nothing on the server, so it
    # carries no CSRF token: pages for anonymous visitors then hold nothing personal and can be
    # cached (core.page_cache).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("api/deliberation/", include("deliberation.urls")),
    path("polls/<int:poll_id>/vote/", deliberation_views.vote, name="poll_vote"),
    path("proposals/<int:proposal_id>/rate/", deliberation_views.rate, name="proposal_rate"),
    path("suggestions/", deliberation_views.suggest_topic_view, name="suggest_topic"),
    path("receipts/", deliberation_views.receipt_lookup, name="receipt_lookup"),
    path(
        "proposals/<int:proposal_id>/comments/",
        deliberation_views.comment_post,
        name="comment_post",
    ),
    path(
        "comments/<int:comment_id>/reply/", deliberation_views.comment_reply, name="comment_reply"
    ),
    path("comments/<int:comment_id>/flag/", deliberation_views.comment_flag, name="comment_flag"),
    path(
        "comments/stop/<str:token>/",
        deliberation_views.comment_followup_stop,
        name="comment_followup_stop",
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("healthz", home_views.healthz, name="healthz"),
]

if settings.SERVE_MEDIA:
    # One-machine deployments serve uploads themselves; at scale media lives on object storage.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += [path("", include(wagtail_urls))]
