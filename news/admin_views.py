"""Admin screens for organisers: who signed up for an activity, and the same list as CSV.

Only staff who may edit the activity see the list; it holds phone numbers, which organisers need
to reach participants and nobody else does.
"""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import safe_cell
from news.models import ActivityPage, SignUpStatus


def _activity_for(request, page_id: int) -> ActivityPage:
    activity = get_object_or_404(ActivityPage, pk=page_id)
    if not activity.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return activity


def _rows(activity: ActivityPage):
    signups = (
        activity.signups.active().select_related("user").order_by("status", "seat", "created_at")
    )
    for position, signup in enumerate(signups, start=1):
        yield {
            "position": position,
            "status": signup.get_status_display(),
            "seat": signup.seat or "",
            "name": signup.user.public_name,
            "username": signup.user.username,
            "phone": signup.user.phone,
            "signed_up": timezone.localtime(signup.created_at).strftime("%Y-%m-%d %H:%M"),
            "confirmed": signup.status == SignUpStatus.CONFIRMED,
        }


def signup_list(request, page_id: int):
    activity = _activity_for(request, page_id)
    rows = list(_rows(activity))
    return TemplateResponse(
        request,
        "news/admin/signup_list.html",
        {
            "activity": activity,
            "rows": rows,
            "confirmed": sum(1 for row in rows if row["confirmed"]),
            "waiting": sum(1 for row in rows if not row["confirmed"]),
        },
    )


def signup_csv(request, page_id: int):
    activity = _activity_for(request, page_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="signups-{activity.pk}.csv"'
    response.write("\ufeff")  # so spreadsheet programs in China open the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("No."),
            _("Status"),
            _("Place number"),
            _("Display name"),
            _("User name"),
            _("Mobile phone"),
            _("Signed up"),
        ]
    )
    for row in _rows(activity):
        writer.writerow(
            safe_cell(row[key])
            for key in ("position", "status", "seat", "name", "username", "phone", "signed_up")
        )
    return response
