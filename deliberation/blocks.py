"""A poll placed in any page's body (the wagtail-polls feature, done over our own polls)."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.blocks import SnippetChooserBlock

from core.blocks import BaseStreamBlock


class PollBlock(SnippetChooserBlock):
    """Shows a poll with its voting form, turnout and results, wherever an editor puts it."""

    def __init__(self, **kwargs):
        super().__init__("deliberation.Poll", **kwargs)

    def get_context(self, value, parent_context=None):
        from deliberation.models import Poll
        from deliberation.presenters import polls_for_display

        context = super().get_context(value, parent_context)
        request = (parent_context or {}).get("request")
        views = []
        if value is not None and request is not None:
            # Only an approved poll, of a proposal this visitor may see (the one gate).
            views = polls_for_display(Poll.objects.visible_to(request).filter(pk=value.pk), request)
        context["view"] = views[0] if views else None
        context["request"] = request
        return context

    class Meta:
        icon = "tasks"
        label = _("Poll")
        template = "deliberation/blocks/poll_block.html"


class BodyBlock(BaseStreamBlock):
    """The body of the site's pages: the generic blocks and a poll, placed where polls live so
    that pages of any app may carry one."""

    poll = PollBlock()
