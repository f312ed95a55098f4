"""iCalendar (RFC 5545) files for activities, so residents can add them to their phone's calendar.

The files are written by the ``icalendar`` library, which escapes text and folds long lines.
Times are written in Asia/Shanghai with its VTIMEZONE, so every calendar shows the time printed
on the poster.
"""

import datetime
from collections.abc import Iterable
from functools import cache
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone

from icalendar import Calendar, Event, Timezone, vText

from news.models import ActivityPage

SHANGHAI = ZoneInfo("Asia/Shanghai")


@cache
def shanghai_vtimezone() -> Timezone:
    """Asia/Shanghai as a VTIMEZONE: +08:00 all year. China last kept daylight saving time in 1991,
    so the component starts in 1992 with one STANDARD rule instead of listing those summers."""
    return Timezone.from_tzinfo(
        SHANGHAI, first_date=datetime.date(1992, 1, 1), last_date=datetime.date(2100, 1, 1)
    )


def activity_event(request, activity: ActivityPage, stamp: datetime.datetime) -> Event:
    """One activity as a VEVENT; its description carries the summary, organiser and address."""
    url = request.build_absolute_uri(activity.url)
    description = "\n".join(filter(None, [activity.summary, activity.organiser, url]))
    return Event.new(
        uid=f"activity-{activity.pk}@{request.get_host()}",
        stamp=stamp,
        start=activity.start.astimezone(SHANGHAI),
        end=activity.end.astimezone(SHANGHAI),
        summary=activity.title,
        location=activity.place,
        url=url,
        description=description,
    )


def calendar_response(
    request, activities: Iterable[ActivityPage], filename: str, name: str = ""
) -> HttpResponse:
    """A ``text/calendar`` response with one VEVENT per activity, named ``name`` if given."""
    calendar = Calendar()
    calendar.version = "2.0"
    calendar.prodid = "-//Yishiting//Activities//ZH"
    calendar.calscale = "GREGORIAN"
    if name:
        # Apple's and Google's calendars read X-WR-CALNAME; icalendar leaves unknown
        # properties unescaped unless told they are text.
        calendar.add("X-WR-CALNAME", vText(name))
    calendar.add_component(shanghai_vtimezone())
    stamp = timezone.now().astimezone(datetime.UTC)
    for activity in activities:
        calendar.add_component(activity_event(request, activity, stamp))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
