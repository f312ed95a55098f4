"""Account forms for residents."""

from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

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
