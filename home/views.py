"""Account views that Django's auth app does not provide."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView

from core import throttle
from core.exceptions import Refused
from home.forms import LoginForm, SignupForm
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
        try:
            throttle.check("account", throttle.client_address(self.request))
        except Refused as refusal:
            form.add_error(None, refusal.message)
            return self.render_to_response(self.get_context_data(form=form), status=refusal.status)
        response = super().form_valid(form)
        self.object.groups.add(Group.objects.get(name=RESIDENTS))
        login(self.request, self.object, backend="core.auth.LockoutBackend")
        messages.success(
            self.request,
            _("Welcome! Your account is ready. Claim your household so staff can verify you."),
        )
        return response

    def get_success_url(self):
        return reverse("household_claim")


class LoginView(auth_views.LoginView):
    """Django's sign-in under the lock of ``core.auth``: a wrong password answers 400, a locked
    account or address 429, each with its message in the form."""

    form_class = LoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 429 if form.locked else 400
        return response


def healthz(request):
    """For load balancers and monitoring: the application answers (no database involved). Also
    the benchmarks' "minimal Django view": the whole middleware stack and nothing else."""
    return HttpResponse("ok", content_type="text/plain")
