"""Account forms for residents."""

import unicodedata

from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from core.auth import LockoutMixin
from core.encoding import ZERO_WIDTH
from home.models import User
from home.roles import AUDITORS, EDITORS, GRID_WORKERS, MODERATORS

# Titles only staff carry: a resident's chosen name may not contain them (a moderator may still
# set such a name in the admin, where residents' own forms do not reach).
STAFF_TITLES = ("书记", "主任", "社区", "居委会", "管理员", "网格员")
STAFF_GROUPS = (EDITORS, MODERATORS, AUDITORS, GRID_WORKERS)


def _folded(name: str) -> str:
    """The name as a reader sees it: full-width, case, spaces and invisible characters aside."""
    name = unicodedata.normalize("NFKC", name).translate(ZERO_WIDTH)
    return "".join(ch for ch in name if not ch.isspace() and ch.isprintable()).casefold()


def staff_name_problem(name: str) -> str | None:
    """Why ``name`` would pass for a staff member's (a message), or None when it would not."""
    folded = _folded(name)
    if not folded:
        return None
    found = sorted((folded.find(t), t) for t in STAFF_TITLES if t in folded)
    if found:
        return _(
            "Names may not contain “%(title)s”: it is a staff title, set only by the "
            "moderators. Please choose another name."
        ) % {"title": found[0][1]}  # the first in the name
    staff = User.objects.filter(
        Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=STAFF_GROUPS)
    ).values_list("username", "display_name")
    taken = {_folded(n) for pair in staff for n in pair if n}
    if folded in taken:
        return _("This is the name of a community staff member. Please choose another name.")
    return None


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

    def _not_staff_like(self, field: str) -> str:
        value = self.cleaned_data.get(field) or ""
        problem = staff_name_problem(value)
        if problem:
            raise ValidationError(problem, code="staff_name")
        return value

    # The name others see is the display name, or the user name when there is none: neither may
    # pass for a staff member's.
    def clean_display_name(self):
        return self._not_staff_like("display_name")

    def clean_username(self):
        self.cleaned_data["username"] = super().clean_username()
        return self._not_staff_like("username")


class LoginForm(LockoutMixin, AuthenticationForm):
    """The residents' sign-in, locked after repeated wrong passwords."""


class AdminLoginForm(LockoutMixin, WagtailLoginForm):
    """The admin's sign-in, under the same lock."""
