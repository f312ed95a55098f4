"""iCalendar (RFC 5545) files for activities, so residents can add them to their phone's calendar.

Times are written in Asia/Shanghai with its VTIMEZONE (China has no daylight saving time), so
every calendar shows the time printed on the poster.
"""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone

from news.models import ActivityPage

TZID = "Asia/Shanghai"
SHANGHAI = ZoneInfo(TZID)
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def escape(text: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line to at most 75 octets, never splitting a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def local(value) -> str:
    return value.astimezone(SHANGHAI).strftime("%Y%m%dT%H%M%S")


def event_lines(request, activity: ActivityPage, stamp: str) -> list[str]:
    url = request.build_absolute_uri(activity.url)
    lines = [
        "BEGIN:VEVENT",
        f"UID:activity-{activity.pk}@{request.get_host()}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;TZID={TZID}:{local(activity.start)}",
        f"DTEND;TZID={TZID}:{local(activity.end)}",
        f"SUMMARY:{escape(activity.title)}",
        f"LOCATION:{escape(activity.place)}",
        f"URL:{url}",
    ]
    description = "\n".join(filter(None, [activity.summary, activity.organiser, url]))
    lines.append(f"DESCRIPTION:{escape(description)}")
    lines.append("END:VEVENT")
    return lines


def calendar_response(
    request, activities: Iterable[ActivityPage], filename: str, name: str = ""
) -> HttpResponse:
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Yishiting//Activities//ZH"]
    lines.append("CALSCALE:GREGORIAN")
    if name:
        lines.append(f"X-WR-CALNAME:{escape(name)}")
    lines += VTIMEZONE
    for activity in activities:
        lines += event_lines(request, activity, stamp)
    lines.append("END:VCALENDAR")
    body = "\r\n".join(fold(line) for line in lines) + "\r\n"
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
