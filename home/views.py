"""Account views that Django's auth app does not provide."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.models import Group
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView

from home.forms import SignupForm
from home.roles import RESIDENTS


class SignupView(CreateView):
    """Resident sign-up; signed-in users are sent to the home page instead."""

    form_class = SignupForm
    template_name = "registration/signup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("/")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        self.object.groups.add(Group.objects.get(name=RESIDENTS))
        login(self.request, self.object, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            self.request,
            _("Welcome! Your account is ready. Claim your household so staff can verify you."),
        )
        return response

    def get_success_url(self):
        return reverse("household_claim")
