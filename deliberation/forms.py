"""Forms of the discussion: a comment or reply, and a moderator hiding one."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.numbers import MAX_DB_INT
from deliberation.models import CommentModeration, HidingReason, Stance, StanceComment

# Shorter than django-comments' column (3000): long enough for an argued view, short enough to
# read on a phone. (Its own COMMENT_MAX_LENGTH setting would alter django_comments' table.)
MAX_COMMENT_LENGTH = 2000


class CommentForm(forms.Form):
    """A top-level comment (with a stance) or a reply (without one).

    ``reply_to`` is checked here — it must be a shown comment on the same proposal with room for
    a reply — so a forged or stale reply is a 400 with a message and nothing is saved
    (django-comments-xtd would raise from a signal handler after saving at level 0).
    """

    stance = forms.ChoiceField(
        label=_("Your stance"),
        choices=Stance.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    comment = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write something first."),
            "max_length": _("Keep it under %(limit_value)d characters (this has %(show_value)d)."),
        },
    )
    followup = forms.BooleanField(
        label=_("Email me when someone comments on this proposal"), required=False
    )
    reply_to = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_DB_INT
    )

    def __init__(self, proposal, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.parent: StanceComment | None = None
        self.fields["comment"].widget.attrs["maxlength"] = MAX_COMMENT_LENGTH

    def clean_reply_to(self):
        pk = self.cleaned_data.get("reply_to")
        if not pk:
            return None
        parent = StanceComment.objects.shown().filter(pk=pk, proposal=self.proposal).first()
        if parent is None:
            raise forms.ValidationError(
                _("The comment you are replying to is not available."), code="missing"
            )
        if parent.level >= settings.COMMENTS_XTD_MAX_THREAD_LEVEL:
            raise forms.ValidationError(
                _("This thread is as deep as it goes; reply to the comment above."), code="deep"
            )
        self.parent = parent
        return pk

    def clean(self):
        cleaned = super().clean()
        if "reply_to" in cleaned and self.parent is None and not cleaned.get("stance"):
            self.add_error("stance", _("Choose whether you support, oppose or are neutral."))
        if self.parent is not None:
            cleaned["stance"] = ""
        return cleaned


class HideCommentForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason shown to residents"), choices=HidingReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=CommentModeration._meta.get_field("note").verbose_name,
        help_text=CommentModeration._meta.get_field("note").help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
