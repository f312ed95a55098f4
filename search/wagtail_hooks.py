"""Editors teach the segmenter the community's own words."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from search.models import SearchTerm


class SearchTermViewSet(SnippetViewSet):
    model = SearchTerm
    icon = "search"
    menu_label = _("Search terms")
    menu_order = 900
    add_to_settings_menu = True
    list_display = ["word", "created_at"]
    search_fields = ["word"]


register_snippet(SearchTermViewSet)
