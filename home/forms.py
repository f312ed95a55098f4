"""Account forms for residents."""

from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from home.auth import LockoutMixin
from home.exceptions import Refused
from home.models import User


class SignupForm(UserCreationForm):
    """Resident sign-up: a user name, a public display name and a password.

    The account starts unverified; a moderator verifies it once the resident claims a household.
    """

    class Meta:
        model = User
        fields = ("username", "display_name", "phone")
        help_texts = {
            "username": _("Letters, digits and @ . + - _ only; you sign in with it."),
            "phone": _("Optional. Only staff who verify residents can see it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        autocomplete = {"username": "username", "display_name": "nickname", "phone": "tel"}
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["phone"].widget.input_type = "tel"


class LoginForm(LockoutMixin, AuthenticationForm):
    """The residents' sign-in, locked after repeated wrong passwords."""


class AdminLoginForm(LockoutMixin, WagtailLoginForm):
    """The admin's sign-in, under the same lock."""


def submit(form, action):
    """Run ``action(form.cleaned_data)`` for a valid form. Returns ``(result, None)``, or
    ``(None, status)`` when the form is invalid (400) or the action is refused, the refusal's
    reason then added to the form — for every view that sends a form to a service."""
    if not form.is_valid():
        return None, 400
    try:
        return action(form.cleaned_data), None
    except Refused as refusal:
        form.add_error(None, refusal.message)
        return None, refusal.status
