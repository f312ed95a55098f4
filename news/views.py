"""Activity sign-up and cancellation (routed from ``ActivityPage``), and calendar files.

Calendar files have URLs of their own ending in ``.ics`` (calendar programs expect that), outside
Wagtail's page routing, whose paths end in a slash.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.exceptions import Refused
from news.calendar import calendar_response
from news.models import ActivityPage, SignUpStatus
from news.services import cancel_sign_up, sign_up


def _refused(request, activity, refusal: Refused):
    """Show the activity again with the reason, answered with a 4xx status."""
    messages.error(request, refusal.message)
    response = activity.render(request)
    response.status_code = refusal.status
    return response


def _signed_in_post(view):
    """Sign-up actions change data: POST only, and only for someone signed in."""

    def wrapper(request, activity):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.is_authenticated:
            return redirect_to_login(activity.url)
        try:
            return view(request, activity)
        except Refused as refusal:
            return _refused(request, activity, refusal)

    return wrapper


@_signed_in_post
def activity_signup(request, activity):
    signup = sign_up(activity, request.user)
    if signup.status == SignUpStatus.CONFIRMED:
        messages.success(request, _("You are signed up. See you there!"))
    else:
        messages.info(
            request,
            _("The activity is full: you are on the waiting list and move up when a place frees."),
        )
    return redirect(activity.url)


@_signed_in_post
def activity_cancel(request, activity):
    cancel_sign_up(activity, request.user)
    messages.success(request, _("Your sign-up is cancelled."))
    return redirect(activity.url)


def activity_ics(request, pk: int):
    """One activity as an iCalendar file."""
    activity = ActivityPage.objects.live().public().filter(pk=pk).first()
    if activity is None:
        raise Http404
    return calendar_response(request, [activity], filename=f"activity-{pk}.ics")


def upcoming_ics(request):
    """Every upcoming activity, for subscribing in a calendar program."""
    activities = ActivityPage.objects.upcoming()[:200]
    return calendar_response(request, activities, filename="activities.ics", name=_("Activities"))
