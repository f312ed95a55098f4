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
from news.models import ActivityIndexPage, ActivityPage, SignUp, SignUpStatus
from news.services import SignUpRefused, cancel_sign_up, sign_up
from tests.concurrency import at_the_same_instant

pytestmark = pytest.mark.django_db


def new_activity(capacity: int | None = 2, **fields) -> ActivityPage:
    start = timezone.now() + datetime.timedelta(days=3)
    fields.setdefault("place", "社区活动室")
    activity = ActivityPage(
        title="插花体验课",
        slug=f"flowers-{ActivityPage.objects.count()}",
        start=start,
        end=start + datetime.timedelta(hours=2),
        capacity=capacity,
        **fields,
    )
    ActivityIndexPage.objects.get().add_child(instance=activity)
    activity.save_revision().publish()
    return ActivityPage.objects.get(pk=activity.pk)


def test_sign_ups_beyond_capacity_join_the_waiting_list(demo):
    activity = new_activity(capacity=2)
    first, second, third = (sign_up(activity, demo[f"resident{n}"]) for n in (1, 2, 3))
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waiting"]
    assert {first.seat, second.seat} == {1, 2} and third.seat is None


def test_cancelling_moves_the_first_waiting_person_up(demo):
    activity = new_activity(capacity=1)
    sign_up(activity, demo["resident1"])
    sign_up(activity, demo["resident2"])
    sign_up(activity, demo["resident3"])
    cancel_sign_up(activity, demo["resident1"])
    statuses = dict(
        SignUp.objects.filter(activity=activity).values_list("user__username", "status")
    )
    assert statuses == {"resident1": "cancelled", "resident2": "confirmed", "resident3": "waiting"}


def test_signing_up_twice_is_refused_and_cancelled_users_may_sign_up_again(demo):
    activity = new_activity()
    sign_up(activity, demo["resident1"])
    with pytest.raises(SignUpRefused, match="已经报名"):
        sign_up(activity, demo["resident1"])
    cancel_sign_up(activity, demo["resident1"])
    assert sign_up(activity, demo["resident1"]).status == SignUpStatus.CONFIRMED


def test_unlimited_activities_confirm_everyone(demo):
    activity = new_activity(capacity=None)
    assert all(sign_up(activity, demo[f"resident{n}"]).status == "confirmed" for n in range(1, 8))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"signup_opens": timezone.now() + datetime.timedelta(days=1)}, "报名将于"),
        ({"signup_closes": timezone.now() - datetime.timedelta(minutes=1)}, "已经截止"),
        ({"signup_enabled": False}, "不需要报名"),
    ],
)
def test_sign_ups_outside_the_window_are_refused(demo, fields, message):
    activity = new_activity(**fields)
    with pytest.raises(SignUpRefused, match=message):
        sign_up(activity, demo["resident1"])
    assert not activity.signups.exists()


def test_a_resident_signs_up_and_cancels_on_the_page(client_for):
    activity = new_activity(capacity=1)
    client = client_for("resident1")
    response = client.post(f"{activity.url}signup/", follow=True)
    assert "报名成功" in response.content.decode()
    assert "取消报名" in response.content.decode()
    response = client.post(f"{activity.url}cancel/", follow=True)
    assert "已取消报名" in response.content.decode()


def test_a_double_click_gets_a_clear_409_and_one_sign_up(client_for, demo):
    activity = new_activity()
    client = client_for("resident1")
    assert client.post(f"{activity.url}signup/").status_code == 302
    response = client.post(f"{activity.url}signup/")
    assert response.status_code == 409
    assert "您已经报名了这个活动" in response.content.decode()
    assert activity.signups.active().count() == 1


def test_a_full_activity_offers_the_waiting_list(client_for):
    activity = new_activity(capacity=1)
    client_for("resident1").post(f"{activity.url}signup/")
    html = client_for("resident2").get(activity.url).content.decode()
    assert "名额已满" in html and "排队候补" in html


def test_visitors_are_sent_to_sign_in_and_get_requests_are_not_sign_ups(demo):
    activity = new_activity()
    response = Client().post(f"{activity.url}signup/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Client().get(f"{activity.url}signup/").status_code == 405
    assert not activity.signups.exists()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_activity_page_queries_do_not_grow_with_sign_ups(client_for, demo, settings):
    settings.PAGE_CACHE_SECONDS = 0  # measure the page's rendering, not the anonymous cache
    activity = new_activity(capacity=10)
    resident, visitor = client_for("resident1"), Client()
    sign_up(activity, demo["resident1"])
    count_queries(resident, activity.url)  # warm per-process caches
    few = count_queries(resident, activity.url), count_queries(visitor, activity.url)
    for number in range(2, 31):
        sign_up(activity, demo[f"resident{number}"])
    count_queries(visitor, activity.url)  # the site's fragments, cached again after the change
    many = count_queries(resident, activity.url), count_queries(visitor, activity.url)
    assert many == few
    assert many[1] <= 14


def test_activity_ics_is_a_calendar_in_shanghai_time(demo):
    activity = ActivityPage.objects.get(slug="phone-class")
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


def test_calendar_text_is_escaped_and_folded(demo):
    activity = new_activity(place="活动室, 二楼; 东侧" + "很长的地点说明" * 10)
    body = Client().get(f"/calendar/activity-{activity.pk}.ics").content.decode()
    unfolded = body.replace("\r\n ", "")
    assert "LOCATION:活动室\\, 二楼\\; 东侧" in unfolded


def test_calendar_feed_lists_upcoming_activities_only(demo):
    body = Client().get("/calendar/activities.ics").content.decode()
    assert "老年人智能手机课堂" in body
    assert "中秋邻里联欢会" not in body  # in the past


def test_print_poster_carries_a_qr_code_to_the_page(demo):
    response = Client().get("/activities/phone-class/poster/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "http://testserver/activities/phone-class/" in html
    assert "poster.css" in html


def test_demo_has_a_full_activity_with_a_waiting_list(demo):
    choir = ActivityPage.objects.get(slug="choir-rehearsal")
    assert choir.signup_counts() == {"confirmed": 6, "waiting": 2}


# Concurrency: the database keeps the capacity, whatever arrives at the same instant --------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_many_sign_ups_at_the_same_instant_never_exceed_capacity():
    activity = new_activity(capacity=5)
    users = [User.objects.get(username=f"resident{n}") for n in range(1, 21)]
    outcomes = at_the_same_instant([lambda u=u: sign_up(activity, u) for u in users])
    assert not [o for o in outcomes if isinstance(o, BaseException)]
    confirmed = SignUp.objects.filter(activity=activity, status="confirmed")
    assert confirmed.count() == 5
    assert sorted(confirmed.values_list("seat", flat=True)) == [1, 2, 3, 4, 5]
    assert SignUp.objects.filter(activity=activity, status="waiting").count() == 15


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_user_clicking_many_times_at_once_gets_one_sign_up():
    activity = new_activity(capacity=5)
    user = User.objects.get(username="resident1")
    outcomes = at_the_same_instant([lambda: sign_up(activity, user) for _ in range(8)])
    refused = [o for o in outcomes if isinstance(o, SignUpRefused)]
    assert len(refused) == 7
    assert not [o for o in outcomes if isinstance(o, BaseException) and o not in refused]
    assert SignUp.objects.filter(activity=activity).count() == 1


# Organisers' list ------------------------------------------------------------------------------


def test_organisers_see_the_sign_up_list_with_phone_numbers(client_for, demo):
    resident = demo["resident1"]
    resident.phone = "13900000001"
    resident.save()
    choir = ActivityPage.objects.get(slug="choir-rehearsal")
    html = client_for("editor").get(f"/admin/activities/{choir.pk}/signups/").content.decode()
    assert "13900000001" in html and "居民1号" in html
    assert "已报名 6 人，候补 2 人" in html


@pytest.mark.parametrize("username", ["resident1", "auditor"])
def test_others_cannot_see_the_sign_up_list(client_for, username):
    choir = ActivityPage.objects.get(slug="choir-rehearsal")
    for url in (
        f"/admin/activities/{choir.pk}/signups/",
        f"/admin/activities/{choir.pk}/signups.csv",
    ):
        assert client_for(username).get(url).status_code in {302, 403}


def test_sign_up_list_exports_as_csv_that_spreadsheets_open_safely(client_for, demo):
    resident = demo["resident2"]
    resident.display_name = '=HYPERLINK("http://evil")'
    resident.save()
    choir = ActivityPage.objects.get(slug="choir-rehearsal")
    response = client_for("moderator").get(f"/admin/activities/{choir.pk}/signups.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["序号", "状态", "名额序号", "昵称", "用户名", "手机号", "报名时间"]
    assert len(rows) == 1 + 8
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
    assert [row[1] for row in rows[1:]].count("候补中") == 2


def test_admin_page_listing_links_to_the_sign_up_list(client_for):
    index = ActivityIndexPage.objects.get()
    html = client_for("editor").get(f"/admin/pages/{index.pk}/").content.decode()
    assert re.search(r"/admin/activities/\d+/signups/", html)


def test_unpublished_activities_have_no_calendar_file(demo):
    activity = new_activity()
    activity.unpublish()
    assert Client().get(f"/calendar/activity-{activity.pk}.ics").status_code == 404
