"""Activity sign-ups, the waiting list, calendar files, the printable poster and the organisers'
sign-up list."""

import csv
import datetime
import io
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from home.models import User
from news.models import ActivityPage, SignUp, SignUpStatus
from news.services import SignUpRefused, cancel_sign_up, sign_up
from tests.concurrency import at_the_same_instant
from tests.factories import (
    ActivityPageFactory,
    AuditorFactory,
    EditorFactory,
    ModeratorFactory,
    ResidentFactory,
    configured_site,
    site_tree,
)

pytestmark = pytest.mark.django_db


def new_activity(capacity: int | None = 2, **fields) -> ActivityPage:
    return ActivityPageFactory(title="插花体验课", capacity=capacity, **fields)


def residents(count: int) -> list[User]:
    """Verified residents resident1 … resident<count>, named 居民1号 … as in the demo."""
    return [
        ResidentFactory(username=f"resident{n}", display_name=f"居民{n}号")
        for n in range(1, count + 1)
    ]


@pytest.fixture
def choir() -> ActivityPage:
    """A full activity: six places, eight residents signed up, two of them waiting."""
    activity = ActivityPageFactory(title="社区合唱团新春排练", slug="choir-rehearsal", capacity=6)
    for resident in residents(8):
        sign_up(activity, resident)
    return activity


@pytest.fixture
def phone_class() -> ActivityPage:
    return ActivityPageFactory(title="老年人智能手机课堂", slug="phone-class", capacity=20)


def test_sign_ups_beyond_capacity_join_the_waiting_list():
    activity = new_activity(capacity=2)
    first, second, third = (sign_up(activity, resident) for resident in residents(3))
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waiting"]
    assert {first.seat, second.seat} == {1, 2} and third.seat is None


def test_cancelling_moves_the_first_waiting_person_up():
    activity = new_activity(capacity=1)
    first, second, third = residents(3)
    sign_up(activity, first)
    sign_up(activity, second)
    sign_up(activity, third)
    cancel_sign_up(activity, first)
    statuses = dict(
        SignUp.objects.filter(activity=activity).values_list("user__username", "status")
    )
    assert statuses == {"resident1": "cancelled", "resident2": "confirmed", "resident3": "waiting"}


def test_signing_up_twice_is_refused_and_cancelled_users_may_sign_up_again():
    activity = new_activity()
    resident = ResidentFactory()
    sign_up(activity, resident)
    with pytest.raises(SignUpRefused, match="已经报名"):
        sign_up(activity, resident)
    cancel_sign_up(activity, resident)
    assert sign_up(activity, resident).status == SignUpStatus.CONFIRMED


def test_unlimited_activities_confirm_everyone():
    activity = new_activity(capacity=None)
    assert all(sign_up(activity, resident).status == "confirmed" for resident in residents(7))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"signup_opens": timezone.now() + datetime.timedelta(days=1)}, "报名将于"),
        ({"signup_closes": timezone.now() - datetime.timedelta(minutes=1)}, "已经截止"),
        ({"signup_enabled": False}, "不需要报名"),
    ],
)
def test_sign_ups_outside_the_window_are_refused(fields, message):
    activity = new_activity(**fields)
    with pytest.raises(SignUpRefused, match=message):
        sign_up(activity, ResidentFactory())
    assert not activity.signups.exists()


def test_a_resident_signs_up_and_cancels_on_the_page(client_for):
    activity = new_activity(capacity=1)
    client = client_for(ResidentFactory())
    response = client.post(f"{activity.url}signup/", follow=True)
    assert "报名成功" in response.content.decode()
    assert "取消报名" in response.content.decode()
    response = client.post(f"{activity.url}cancel/", follow=True)
    assert "已取消报名" in response.content.decode()


def test_a_double_click_gets_a_clear_409_and_one_sign_up(client_for):
    activity = new_activity()
    client = client_for(ResidentFactory())
    assert client.post(f"{activity.url}signup/").status_code == 302
    response = client.post(f"{activity.url}signup/")
    assert response.status_code == 409
    assert "您已经报名了这个活动" in response.content.decode()
    assert activity.signups.active().count() == 1


def test_a_full_activity_offers_the_waiting_list(client_for):
    activity = new_activity(capacity=1)
    client_for(ResidentFactory()).post(f"{activity.url}signup/")
    html = client_for(ResidentFactory()).get(activity.url).content.decode()
    assert "名额已满" in html and "排队候补" in html


def test_visitors_are_sent_to_sign_in_and_get_requests_are_not_sign_ups():
    activity = new_activity()
    response = Client().post(f"{activity.url}signup/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Client().get(f"{activity.url}signup/").status_code == 405
    assert not activity.signups.exists()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_activity_page_queries_do_not_grow_with_sign_ups(client_for, settings):
    settings.PAGE_CACHE_SECONDS = 0  # measure the page's rendering, not the anonymous cache
    activity = new_activity(capacity=10)
    configured_site()
    people = residents(30)
    resident, visitor = client_for(people[0]), Client()
    sign_up(activity, people[0])
    count_queries(resident, activity.url)  # warm per-process caches
    few = count_queries(resident, activity.url), count_queries(visitor, activity.url)
    for person in people[1:]:
        sign_up(activity, person)
    count_queries(visitor, activity.url)  # the site's fragments, cached again after the change
    many = count_queries(resident, activity.url), count_queries(visitor, activity.url)
    assert many == few
    assert many[1] <= 14


def test_activity_ics_is_a_calendar_in_shanghai_time(phone_class):
    activity = phone_class
    response = Client().get(f"/calendar/activity-{activity.pk}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    start = timezone.localtime(activity.start).strftime("%Y%m%dT%H%M%S")
    assert f"DTSTART;TZID=Asia/Shanghai:{start}" in body
    assert "BEGIN:VTIMEZONE" in body and "SUMMARY:老年人智能手机课堂" in body
    assert body.count("BEGIN:VEVENT") == 1
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert (
        f'href="/calendar/activity-{activity.pk}.ics"'
        in Client().get(activity.url).content.decode()
    )


def test_calendar_text_is_escaped_and_folded():
    activity = new_activity(place="活动室, 二楼; 东侧" + "很长的地点说明" * 10)
    body = Client().get(f"/calendar/activity-{activity.pk}.ics").content.decode()
    unfolded = body.replace("\r\n ", "")
    assert "LOCATION:活动室\\, 二楼\\; 东侧" in unfolded


def test_calendar_feed_lists_upcoming_activities_only(phone_class):
    past = timezone.now() - datetime.timedelta(days=20)
    ActivityPageFactory(
        title="中秋邻里联欢会", start=past, end=past + datetime.timedelta(hours=2), capacity=100
    )
    body = Client().get("/calendar/activities.ics").content.decode()
    assert "老年人智能手机课堂" in body
    assert "中秋邻里联欢会" not in body  # in the past


def test_print_poster_carries_a_qr_code_to_the_page(phone_class):
    response = Client().get("/activities/phone-class/poster/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "http://testserver/activities/phone-class/" in html
    assert "poster.css" in html


# Concurrency: the database keeps the capacity, whatever arrives at the same instant --------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_many_sign_ups_at_the_same_instant_never_exceed_capacity():
    activity = new_activity(capacity=5)
    users = ResidentFactory.create_batch(20)
    outcomes = at_the_same_instant([lambda u=u: sign_up(activity, u) for u in users])
    assert not [o for o in outcomes if isinstance(o, BaseException)]
    confirmed = SignUp.objects.filter(activity=activity, status="confirmed")
    assert confirmed.count() == 5
    assert sorted(confirmed.values_list("seat", flat=True)) == [1, 2, 3, 4, 5]
    assert SignUp.objects.filter(activity=activity, status="waiting").count() == 15


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_user_clicking_many_times_at_once_gets_one_sign_up():
    activity = new_activity(capacity=5)
    user = ResidentFactory()
    outcomes = at_the_same_instant([lambda: sign_up(activity, user) for _ in range(8)])
    refused = [o for o in outcomes if isinstance(o, SignUpRefused)]
    assert len(refused) == 7
    assert not [o for o in outcomes if isinstance(o, BaseException) and o not in refused]
    assert SignUp.objects.filter(activity=activity).count() == 1


# Organisers' list ------------------------------------------------------------------------------


def test_organisers_see_the_sign_up_list_with_phone_numbers(client_for, choir):
    resident = User.objects.get(username="resident1")
    resident.phone = "13900000001"
    resident.save()
    html = (
        client_for(EditorFactory()).get(f"/admin/activities/{choir.pk}/signups/").content.decode()
    )
    assert "13900000001" in html and "居民1号" in html
    assert "已报名 6 人，候补 2 人" in html


@pytest.mark.parametrize("account", [ResidentFactory, AuditorFactory], ids=["resident", "auditor"])
def test_others_cannot_see_the_sign_up_list(client_for, choir, account):
    for url in (
        f"/admin/activities/{choir.pk}/signups/",
        f"/admin/activities/{choir.pk}/signups.csv",
    ):
        assert client_for(account()).get(url).status_code in {302, 403}


def test_sign_up_list_exports_as_csv_that_spreadsheets_open_safely(client_for, choir):
    resident = User.objects.get(username="resident2")
    resident.display_name = '=HYPERLINK("http://evil")'
    resident.save()
    response = client_for(ModeratorFactory()).get(f"/admin/activities/{choir.pk}/signups.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["序号", "状态", "名额序号", "昵称", "用户名", "手机号", "报名时间"]
    assert len(rows) == 1 + 8
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
    assert [row[1] for row in rows[1:]].count("候补中") == 2


def test_admin_page_listing_links_to_the_sign_up_list(client_for):
    index = site_tree().activities
    new_activity()
    html = client_for(EditorFactory()).get(f"/admin/pages/{index.pk}/").content.decode()
    assert re.search(r"/admin/activities/\d+/signups/", html)


def test_unpublished_activities_have_no_calendar_file():
    activity = new_activity()
    activity.unpublish()
    assert Client().get(f"/calendar/activity-{activity.pk}.ics").status_code == 404
