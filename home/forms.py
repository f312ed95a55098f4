"""Account forms for residents."""

from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from core.auth import LockoutMixin
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
