"""What every public page gives a person on a phone and a screen-reader user: Chinese by default,
landmarks, labels, a skip link, nothing loaded from outside the site, and sensible errors."""

import re

from django.test import Client

import pytest

from tests.factories import EditorFactory
from tests.html import PageReader

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/news/",
    "/news/?category=notices",
    "/news/water-outage-building-3/",
    "/activities/",
    "/activities/phone-class/",
    "/yishiting/",
    "/yishiting/garden-renewal/",
    "/guide/",
    "/search/?q=停水",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password_reset/",
]


@pytest.fixture(scope="module")
def pages(_community_for_the_module, django_db_blocker):
    """Every public page as an anonymous visitor gets it, fetched once for the module's checks."""
    with django_db_blocker.unblock():
        client = Client()
        return {url: client.get(url) for url in PUBLIC_PAGES}


def test_public_pages_answer(pages):
    assert {url: r.status_code for url, r in pages.items()} == dict.fromkeys(PUBLIC_PAGES, 200)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_page_is_chinese_and_phone_ready(pages, url):
    html = pages[url].content.decode()
    page = PageReader(html)
    assert page.first("html").get("lang") == "zh-Hans"
    viewport = [m for m in page.find_all("meta") if m.get("name") == "viewport"]
    assert viewport and "width=device-width" in viewport[0].get("content")
    assert page.first("title").text.strip()


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_page_has_landmarks_one_h1_and_a_skip_link(pages, url):
    page = PageReader(pages[url].content.decode())
    tags = {element.tag for element in page.elements}
    assert {"header", "nav", "main", "footer"} <= tags
    assert page.first("main").get("id") == "main"
    assert len(page.find_all("h1")) == 1
    skip = page.first("a")
    assert skip.get("href") == "#main" and skip.text.strip() == "跳到正文"


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_form_control_has_a_label(pages, url):
    page = PageReader(pages[url].content.decode())
    labelled = {label.get("for") for label in page.find_all("label")}
    for control in page.find_all("input") + page.find_all("select") + page.find_all("textarea"):
        if control.get("type") in {"hidden", "submit"}:
            continue
        assert control.get("id") in labelled or control.get("aria-label"), control.attrs


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_images_have_a_text_alternative(pages, url):
    page = PageReader(pages[url].content.decode())
    for image in page.find_all("img"):
        assert image.get("alt") is not None, image.attrs


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_nothing_is_loaded_from_outside_the_site(pages, url):
    page = PageReader(pages[url].content.decode())
    for element in page.elements:
        if element.tag in {"script", "img", "iframe", "source", "video", "audio"}:
            source = element.get("src") or ""
        elif element.tag == "link":
            source = element.get("href") or ""
        else:
            continue
        assert not re.match(r"^(https?:)?//", source), element.attrs


def test_home_page_shows_the_latest_notices_open_deliberations_and_activities(pages):
    html = pages["/"].content.decode()
    for heading in ("最新通知", "正在议事", "近期活动"):
        assert heading in html
    assert "3号楼二次供水设备检修停水通知" in html
    assert "小花园微改造方案" in html
    assert "老年人智能手机课堂" in html
    assert 'role="search"' in html


def test_empty_home_page_sections_say_none_yet(community):
    from wagtail.models import Page

    for page in Page.objects.filter(depth__gt=2):
        page.unpublish(log_action=False)
    html = Client().get("/").content.decode()
    assert html.count("暂无") == 3


def test_unknown_url_is_a_chinese_404(community):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert PageReader(html).first("html").get("lang") == "zh-Hans"


def test_an_english_browser_still_gets_chinese_until_the_visitor_chooses(community):
    html = Client(headers={"accept-language": "en-US,en;q=0.9"}).get("/").content.decode()
    assert "最新通知" in html


def test_english_is_available_once_chosen(community, settings):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/").content.decode()
    assert "Latest notices" in html
    assert PageReader(html).first("html").get("lang") == "en"


def test_an_unknown_language_cookie_falls_back_to_chinese(community, settings):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx-evil"
    assert "最新通知" in client.get("/").content.decode()


def test_language_switch_remembers_the_choice(community):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/news/"})
    assert response.status_code == 302
    assert "Categories" in client.get("/news/").content.decode()


def test_admin_is_in_chinese_by_default(db):
    html = Client().get("/admin/login/").content.decode()
    assert "登录" in html


def test_bad_page_numbers_give_a_page_not_an_error(community):
    for query in ("?page=abc", "?page=-1", "?page=99999", "?page=1e9", "?category=%00"):
        assert Client().get(f"/news/{query}").status_code == 200


def test_search_query_is_escaped(community):
    html = Client().get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_server_error_page_is_chinese_and_standalone():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "出错了" in html and 'lang="zh-Hans"' in html


def test_print_styles_hide_navigation():
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/site.css"), encoding="utf-8").read()
    assert "@media print" in css
    assert ":focus-visible" in css


def test_search_finds_a_published_page_by_its_title(community):
    html = Client().get("/search/", {"q": "电梯年度检验安排"}).content.decode()
    assert 'href="/news/elevator-annual-check/"' in html


def test_signed_in_staff_see_the_admin_in_chinese(client_for):
    client = client_for(EditorFactory())
    html = client.get("/admin/", headers={"accept-language": "en"}).content.decode()
    assert "控制面板" in html and "Dashboard" not in html


def test_the_admin_shows_avatars_without_asking_an_outside_host(client_for):
    html = client_for(EditorFactory()).get("/admin/").content.decode()
    assert "gravatar" not in html
    sources = re.findall(r'\bsrc="([^"]*)"', html)
    assert sources and all(src.startswith("/") and not src.startswith("//") for src in sources)


def test_public_pages_forbid_inline_scripts_and_the_admin_keeps_to_the_site(client_for, community):
    from django.test import Client

    public = Client().get("/")["Content-Security-Policy"]
    assert "script-src 'self';" in public and "unsafe-inline" not in public
    assert "frame-ancestors 'none'" in public
    admin = client_for(EditorFactory()).get("/admin/")["Content-Security-Policy"]
    assert "default-src 'self'" in admin and "object-src 'none'" in admin


def test_each_policy_is_one_header_with_its_directives_in_the_order_the_settings_list(
    client_for, community
):
    assert Client().get("/")["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    assert client_for(EditorFactory()).get("/admin/")["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
    )


def test_a_page_preview_gets_the_admin_policy_and_a_view_keeps_its_own():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from core.middleware import ContentSecurityPolicyMiddleware

    preview = RequestFactory().get("/news/")
    preview.is_preview = True
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())
    assert "'unsafe-inline'" in middleware(preview)["Content-Security-Policy"]

    def own_policy(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "sandbox"
        return response

    middleware = ContentSecurityPolicyMiddleware(own_policy)
    assert middleware(RequestFactory().get("/"))["Content-Security-Policy"] == "sandbox"
