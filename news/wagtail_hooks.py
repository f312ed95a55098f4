"""Admin screens of the news app: categories, and each activity's sign-up list."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from news import admin_views
from news.models import ActivityPage, NewsCategory


class NewsCategoryViewSet(SnippetViewSet):
    model = NewsCategory
    icon = "tag"
    menu_label = _("News categories")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "slug", "sort_order"]
    ordering = ["sort_order", "name"]


register_snippet(NewsCategoryViewSet)


@hooks.register("register_admin_urls")
def activity_signup_urls():
    return [
        path(
            "activities/<id:page_id>/signups/",
            admin_views.signup_list,
            name="news_activity_signups",
        ),
        path(
            "activities/<id:page_id>/signups.csv",
            admin_views.signup_csv,
            name="news_activity_signups_csv",
        ),
    ]


def _signups_button(page, user, priority: int):
    if page.specific_class is ActivityPage and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Sign-ups"),
            reverse("news_activity_signups", args=[page.pk]),
            icon_name="group",
            priority=priority,
        )


@hooks.register("register_page_listing_more_buttons")
def activity_signups_listing_button(page, user, next_url=None):
    yield from _signups_button(page, user, priority=5)


@hooks.register("register_page_header_buttons")
def activity_signups_header_button(page, user, view_name, next_url=None):
    yield from _signups_button(page, user, priority=12)
