"""The site's URLs: accounts, the admin, search, each feature's own addresses, then every page
Wagtail serves."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from drf_spectacular.views import SpectacularAPIView

from community import views as community_views
from core import media as core_media
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
    path("calendar/activity-<id:pk>.ics", news_views.activity_ics, name="activity_ics"),
    # The language switch sets a preference cookie and changes nothing on the server, so it
    # carries no CSRF token: pages for anonymous visitors then hold nothing personal and can be
    # cached (core.page_cache).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("api/deliberation/", include("deliberation.api_urls")),
    path("", include("deliberation.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("healthz", home_views.healthz, name="healthz"),
]

if settings.SERVE_MEDIA:
    # One-machine deployments serve uploads themselves; at scale media lives on object storage.
    # Only images and their renditions: documents go through Wagtail's document view, which
    # checks their collection's restrictions (core.media).
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", core_media.serve_image, name="media"),
    ]

urlpatterns += [path("", include(wagtail_urls))]
