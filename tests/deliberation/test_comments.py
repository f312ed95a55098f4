"""The discussion under a proposal: stances, threads, moderation, flags, follow-up emails."""

from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.signal_handlers import disable_reference_index_auto_update

import pytest
from django_comments.models import CommentFlag

from deliberation.models import (
    CommentModeration,
    HidingReason,
    Poll,
    ProposalPage,
    ProposalStage,
    SensitiveWord,
    Stance,
    StanceComment,
)
from deliberation.services import post_comment
from tests.concurrency import at_the_same_instant
from tests.factories import (
    AuditorFactory,
    CommentFactory,
    EditorFactory,
    ModeratorFactory,
    NewcomerFactory,
    PollFactory,
    ProposalPageFactory,
    ResidentFactory,
    configured_site,
)
from tests.html import PageReader

pytestmark = pytest.mark.django_db

BIKES = "/yishiting/bike-shed-charging/"


def bikes() -> ProposalPage:
    return ProposalPage.objects.get(slug="bike-shed-charging")


def bike_shed_proposal() -> ProposalPage:
    return ProposalPageFactory(
        slug="bike-shed-charging", title="非机动车棚加装充电桩", stage=ProposalStage.DISCUSSING
    )


@pytest.fixture
def bike_shed() -> ProposalPage:
    """The proposal under discussion, with nothing said yet."""
    return bike_shed_proposal()


@pytest.fixture
def threads(bike_shed) -> dict[str, StanceComment]:
    """One thread for each stance: the supporter's with two replies, one of them answered (two
    levels deep); the opponent's with one reply; the neutral question alone."""
    support = CommentFactory(
        proposal=bike_shed,
        stance=Stance.SUPPORT,
        text="支持！我家电动车一直推上楼充电，楼梯窄，老人孩子经过很不安全。",
    )
    CommentFactory(reply_to=support, text="同感，装好以后希望能按小时计费，别按次收。")
    explained = CommentFactory(
        reply_to=support, text="计费方式会在协商会上定，目前方案是每度电 0.6 元、充满自动断电。"
    )
    CommentFactory(reply_to=explained, author=support.user, text="这个价格可以接受，谢谢说明。")
    oppose = CommentFactory(
        proposal=bike_shed,
        stance=Stance.OPPOSE,
        text="车棚就在我家窗下，充电桩晚上会不会有噪音？也担心电池起火离住户太近。",
    )
    CommentFactory(reply_to=oppose, text="智能充电口一般没有噪音，可以请施工方讲讲防火措施。")
    neutral = CommentFactory(
        proposal=bike_shed, stance=Stance.NEUTRAL, text="想知道 3.6 万元从哪里出？"
    )
    return {"support": support, "oppose": oppose, "neutral": neutral}


@pytest.fixture
def elsewhere() -> StanceComment:
    """A comment under another proposal."""
    parking = ProposalPageFactory(slug="parking-rules", title="小区停车位管理办法")
    return CommentFactory(proposal=parking, text="晚上消防通道经常被占，早该管一管了。")


def send(client: Client, text: str, stance: str = "support", **extra):
    return client.post(
        f"/proposals/{bikes().pk}/comments/", {"comment": text, "stance": stance, **extra}
    )


def text_of(response) -> str:
    return response.content.decode()


# Posting --------------------------------------------------------------------------------------


def test_a_resident_comments_with_a_stance_and_the_counts_follow(client_for, bike_shed):
    resident = ResidentFactory()
    before = PageReader(text_of(Client().get(BIKES)))
    client = client_for(resident)
    response = send(client, "建议在车棚加装监控，防止电池被盗。", "support", followup="on")
    comment = StanceComment.objects.get(comment="建议在车棚加装监控，防止电池被盗。")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert comment.stance == Stance.SUPPORT and comment.level == 0 and comment.is_public
    html = text_of(Client().get(BIKES))
    assert "建议在车棚加装监控" in html
    assert comment.user_name == resident.public_name
    supports_before = stance_count(before, "support")
    assert stance_count(PageReader(html), "support") == supports_before + 1


def stance_count(page: PageReader, stance: str) -> int:
    text = page.text_of(f"stances__row--{stance}")
    return int("".join(ch for ch in text.split("条")[0] if ch.isdigit()))


def test_comments_never_show_a_real_name_or_phone(client_for, bike_shed):
    author = ResidentFactory()
    author.real_name, author.phone = "王秀英", "13800001111"
    author.email = "wang.xiuying@example.org"
    author.save()
    send(client_for(author), "公共部分的电费怎么分摊？", "neutral")
    html = text_of(Client().get(BIKES))
    assert "公共部分的电费怎么分摊" in html
    assert "王秀英" not in html and "13800001111" not in html
    assert author.email not in html


def test_a_top_level_comment_needs_a_stance_and_keeps_what_was_typed(client_for, bike_shed):
    count = StanceComment.objects.count()
    response = send(client_for(ResidentFactory()), "我还没想好，先问问细节。", stance="")
    assert response.status_code == 400
    html = text_of(response)
    assert "请选择支持、反对或中立" in html
    assert "我还没想好，先问问细节。" in html  # the text is in the form again
    assert StanceComment.objects.count() == count


def test_an_empty_or_oversized_comment_is_refused_with_a_message(client_for, bike_shed):
    client = client_for(ResidentFactory())
    assert send(client, "   ").status_code == 400
    response = send(client, "长" * 2001)
    assert response.status_code == 400 and "字以内" in text_of(response)


def test_newcomers_and_visitors_cannot_comment(client_for, bike_shed):
    newcomer = NewcomerFactory()
    count = StanceComment.objects.count()
    response = send(client_for(newcomer), "我也想说两句")
    assert response.status_code == 403 and "认证" in text_of(response)
    response = send(Client(), "我也想说两句")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert StanceComment.objects.count() == count
    page = text_of(client_for(newcomer).get(BIKES))
    assert 'id="comment-form"' not in page and "/accounts/household/" in page
    assert "登录后发表评论" in text_of(Client().get(BIKES))


def test_a_double_click_posts_one_comment(client_for, bike_shed):
    client = client_for(ResidentFactory())
    first, second = send(client, "两次点击只算一条。"), send(client, "两次点击只算一条。")
    assert first.status_code == second.status_code == 302
    assert StanceComment.objects.filter(comment="两次点击只算一条。").count() == 1


def test_comments_close_when_the_proposal_is_archived(client_for, bike_shed):
    proposal = bikes()
    proposal.stage = ProposalStage.ARCHIVED
    proposal.save_revision().publish()
    client = client_for(ResidentFactory())
    page = text_of(client.get(BIKES))
    assert 'id="comment-form"' not in page and "评论已关闭" in page
    response = send(client, "归档以后还能说吗？")
    assert response.status_code == 409 and "评论已关闭" in text_of(response)
    assert not StanceComment.objects.filter(comment="归档以后还能说吗？").exists()


# Replies --------------------------------------------------------------------------------------


def test_replies_nest_two_levels_and_carry_no_stance(client_for, threads):
    top = StanceComment.objects.get(proposal__slug="bike-shed-charging", stance=Stance.OPPOSE)
    client = client_for(ResidentFactory())
    reply_page = client.get(f"/comments/{top.pk}/reply/")
    assert reply_page.status_code == 200 and top.comment in text_of(reply_page)
    response = send(client, "可以装防火隔板。", stance="oppose", reply_to=top.pk)
    assert response.status_code == 302
    reply = StanceComment.objects.get(comment="可以装防火隔板。")
    assert (reply.level, reply.thread_id, reply.stance) == (1, top.pk, "")
    send(client_for(top.user), "隔板好，谢谢。", reply_to=reply.pk)
    answer = StanceComment.objects.get(comment="隔板好，谢谢。")
    assert answer.level == 2
    html = text_of(Client().get(BIKES))
    assert html.index(top.comment) < html.index("可以装防火隔板。") < html.index("隔板好，谢谢。")


def test_a_forged_reply_deeper_than_allowed_is_a_400_and_saves_nothing(client_for, threads):
    resident = ResidentFactory()
    deepest = StanceComment.objects.filter(proposal__slug="bike-shed-charging", level=2).first()
    count = StanceComment.objects.count()
    response = send(client_for(resident), "再往下一层", reply_to=deepest.pk)
    assert response.status_code == 400
    assert "回复上一层" in text_of(response)
    assert StanceComment.objects.count() == count  # django-comments-xtd would save it at level 0
    assert client_for(resident).get(f"/comments/{deepest.pk}/reply/").status_code == 404


def test_a_reply_to_a_comment_elsewhere_or_gone_is_refused(client_for, bike_shed, elsewhere):
    elsewhere = StanceComment.objects.filter(proposal__slug="parking-rules").first()
    count = StanceComment.objects.count()
    client = client_for(ResidentFactory())
    for reply_to in (elsewhere.pk, 999999, "abc"):
        response = send(client, "串楼了", reply_to=reply_to)
        assert response.status_code == 400, reply_to
    assert StanceComment.objects.count() == count


# Escaping -------------------------------------------------------------------------------------

PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">点我</a>',
    "**粗体** [链接](http://example.com)",
]


def test_comment_bodies_and_names_are_shown_as_text(client_for, bike_shed):
    author = ResidentFactory()
    author.display_name = "<b>老王</b>"
    author.save()
    client = client_for(author)
    for payload in PAYLOADS:
        assert send(client, payload, "neutral").status_code == 302
    html = text_of(Client().get(BIKES))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert 'href="javascript' not in html and "<b>老王</b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;老王&lt;/b&gt;" in html
    assert "**粗体**" in html  # no markup language either


# Moderation -----------------------------------------------------------------------------------


def premoderated() -> ProposalPage:
    proposal = bikes()
    proposal.comments_premoderated = True
    proposal.save_revision().publish()
    return proposal


def test_premoderated_comments_wait_for_a_moderator(client_for, bike_shed):
    premoderated()
    author = client_for(ResidentFactory())
    response = send(author, "先审后发的评论。")
    assert response.status_code == 302
    comment = StanceComment.objects.get(comment="先审后发的评论。")
    assert comment.status == "pending"
    assert "先审后发的评论。" not in text_of(Client().get(BIKES))
    own_view = text_of(author.get(BIKES))
    assert "先审后发的评论。" in own_view and "等待审核" in own_view

    moderator = client_for(ModeratorFactory(username="moderator"))
    queue = moderator.get("/admin/snippets/deliberation/stancecomment/?state=pending")
    assert queue.status_code == 200 and "先审后发的评论。" in text_of(queue)
    response = moderator.post(f"/admin/deliberation/comments/{comment.pk}/approve/")
    assert response.status_code == 302
    assert "先审后发的评论。" in text_of(Client().get(BIKES))
    entry = CommentModeration.objects.get(comment=comment)
    assert entry.action == "approve" and entry.moderator.username == "moderator"


def test_moderators_hide_with_a_published_reason_and_can_restore(client_for, threads):
    comment = StanceComment.objects.get(proposal__slug="bike-shed-charging", stance=Stance.NEUTRAL)
    moderator = client_for(ModeratorFactory())
    form = moderator.get(f"/admin/deliberation/comments/{comment.pk}/hide/")
    assert form.status_code == 200 and comment.comment in text_of(form)
    missing_reason = moderator.post(f"/admin/deliberation/comments/{comment.pk}/hide/", {})
    assert missing_reason.status_code == 400
    assert StanceComment.objects.get(pk=comment.pk).status == "shown"
    moderator.post(
        f"/admin/deliberation/comments/{comment.pk}/hide/",
        {"reason": HidingReason.OFF_TOPIC, "note": "与充电桩无关"},
    )
    html = text_of(Client().get(BIKES))
    assert comment.comment not in html
    assert "此评论已被管理员隐藏：与本议题无关" in html
    assert "1 条评论被管理员隐藏" in html
    assert "与充电桩无关" not in html  # the internal note stays internal
    assert comment.user_name not in PageReader(html).text_of(f"comment-{comment.pk}")

    moderator.post(f"/admin/deliberation/comments/{comment.pk}/restore/")
    assert comment.comment in text_of(Client().get(BIKES))
    actions = list(
        CommentModeration.objects.filter(comment=comment).order_by("pk").values_list("action")
    )
    assert actions == [("hide",), ("restore",)]


def test_hiding_a_comment_leaves_its_replies_to_their_own_judgement(client_for, threads):
    top = StanceComment.objects.get(proposal__slug="bike-shed-charging", stance=Stance.SUPPORT)
    client_for(ModeratorFactory()).post(
        f"/admin/deliberation/comments/{top.pk}/hide/", {"reason": HidingReason.ADVERTISING}
    )
    replies = StanceComment.objects.filter(thread_id=top.pk, level__gt=0)
    assert replies and all(reply.status == "shown" for reply in replies)
    html = text_of(Client().get(BIKES))
    assert all(reply.comment in html for reply in replies)


def test_only_moderators_moderate(client_for, bike_shed):
    CommentFactory(proposal=bike_shed)
    comment = StanceComment.objects.filter(proposal__slug="bike-shed-charging").first()
    auditor = AuditorFactory()
    for username, account in (("editor", EditorFactory()), ("auditor", auditor)):
        response = client_for(account).post(
            f"/admin/deliberation/comments/{comment.pk}/hide/", {"reason": "attack"}
        )
        assert response.status_code in (302, 403), username
    assert StanceComment.objects.get(pk=comment.pk).status == "shown"
    assert (
        client_for(ResidentFactory()).get("/admin/snippets/deliberation/stancecomment/").status_code
        == 302
    )
    assert client_for(auditor).get("/admin/snippets/deliberation/stancecomment/").status_code == 200


def test_residents_report_a_comment_once_and_moderators_see_it(client_for, threads, elsewhere):
    comment = StanceComment.objects.get(proposal__slug="bike-shed-charging", stance=Stance.OPPOSE)
    reporter = client_for(ResidentFactory())
    for _ in range(2):
        response = reporter.post(f"/comments/{comment.pk}/flag/")
        assert response.status_code == 302
    assert CommentFlag.objects.filter(comment=comment).count() == 1
    assert client_for(NewcomerFactory()).post(f"/comments/{comment.pk}/flag/").status_code == 403
    queue = client_for(ModeratorFactory()).get(
        "/admin/snippets/deliberation/stancecomment/?state=flagged"
    )
    assert comment.excerpt in text_of(queue)
    others = StanceComment.objects.exclude(pk=comment.pk).filter(proposal__slug="parking-rules")
    assert all(other.excerpt not in text_of(queue) for other in others)


# Sensitive words ------------------------------------------------------------------------------


def test_a_refused_word_is_named_and_nothing_is_saved(client_for, bike_shed):
    SensitiveWord.objects.create(word="加微信", action=SensitiveWord.Action.REFUSE)
    response = send(client_for(ResidentFactory()), "想要充电桩优惠的 加 微 信 联系我")
    assert response.status_code == 400
    assert "加微信" in text_of(response) and "请修改" in text_of(response)
    assert not StanceComment.objects.filter(comment__contains="联系我").exists()


def test_a_held_word_sends_the_comment_to_the_queue(client_for, bike_shed):
    SensitiveWord.objects.create(word="ＶＸ", action=SensitiveWord.Action.HOLD)
    send(client_for(ResidentFactory()), "有需要的加vx聊")
    assert StanceComment.objects.get(comment="有需要的加vx聊").status == "pending"


def test_moderators_keep_the_word_list_in_the_admin(client_for, bike_shed):
    moderator = client_for(ModeratorFactory())
    response = moderator.post(
        "/admin/snippets/deliberation/sensitiveword/add/",
        {"word": "代开发票", "action": "refuse", "note": ""},
    )
    assert response.status_code == 302
    response = send(client_for(ResidentFactory()), "可以代开发票")
    assert response.status_code == 400
    assert client_for(EditorFactory()).get(
        "/admin/snippets/deliberation/sensitiveword/"
    ).status_code in (
        302,
        403,
    )


# Follow-up emails -----------------------------------------------------------------------------


def test_followers_are_emailed_about_new_comments_and_can_stop(
    client_for, bike_shed, django_capture_on_commit_callbacks
):
    follower = ResidentFactory()
    follower.email = "resident20@example.org"
    follower.save()
    send(client_for(follower), "有新评论请告诉我。", followup="on")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send(client_for(ResidentFactory()), "我来回应一下：同意加装。")
    assert [message.to for message in mail.outbox] == [["resident20@example.org"]]
    message = mail.outbox[0]
    assert "非机动车棚加装充电桩" in message.subject and "新评论" in message.subject
    assert "我来回应一下：同意加装。" in message.body
    stop_link = next(line for line in message.body.split() if "/comments/stop/" in line)
    stop_path = stop_link[stop_link.index("/comments/stop/") :]

    assert Client().get(stop_path).status_code == 200
    assert Client().post(stop_path).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send(client_for(ResidentFactory()), "又一条新评论。")
    assert mail.outbox == []
    assert Client().get("/comments/stop/forged-token/").status_code == 400


def test_a_pending_comment_emails_nobody_until_approved(
    client_for, bike_shed, django_capture_on_commit_callbacks
):
    follower = ResidentFactory()
    follower.email = "resident20@example.org"
    follower.save()
    send(client_for(follower), "请通知我。", followup="on")
    premoderated()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send(client_for(ResidentFactory()), "待审核的新评论。")
    assert mail.outbox == []
    comment = StanceComment.objects.get(comment="待审核的新评论。")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(ModeratorFactory()).post(f"/admin/deliberation/comments/{comment.pk}/approve/")
    assert len(mail.outbox) == 1


# Size -----------------------------------------------------------------------------------------


def add_comments(proposal: ProposalPage, count: int) -> None:
    """Many comments, a third of them replies, written as the model writes them (the service's
    checks are tested above), by twenty residents."""
    users = ResidentFactory.create_batch(20)
    content_type = ContentType.objects.get_for_model(ProposalPage)
    tops = []
    # No reference index for test data (see tests.factories.pages.publish_child).
    with disable_reference_index_auto_update():
        for n in range(count):
            user = users[n % len(users)]
            comment = StanceComment(
                content_type=content_type,
                object_pk=str(proposal.pk),
                site_id=1,
                proposal=proposal,
                user=user,
                user_name=user.public_name,
                comment=f"第 {n} 条意见",
                stance="" if n % 3 == 2 else Stance.values[n % 2],
                parent_id=tops[-1].pk if n % 3 == 2 else 0,
                submit_date=timezone.now(),
                is_public=True,
            )
            comment.save()
            if n % 3 != 2:
                tops.append(comment)


def test_a_proposal_with_500_comments_and_a_poll_opens_in_constant_queries(
    client_for, bike_shed, threads
):
    PollFactory(proposal=bike_shed, household=True)
    configured_site()  # its profile and menu saved: a first visit would save them mid-count
    proposal = bikes()
    assert Poll.objects.filter(proposal=proposal).exists()
    resident = client_for(ResidentFactory())

    def queries(client) -> int:
        client.get(BIKES)  # warm the per-process caches (site root, content types)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(BIKES).status_code == 200
        return len(captured)

    few = queries(Client()), queries(resident)
    add_comments(proposal, 500)
    assert StanceComment.objects.filter(proposal=proposal).count() >= 500
    many = queries(Client()), queries(resident)
    assert many == few
    html = text_of(Client().get(BIKES))
    assert html.count('class="comment comment--level-0"') == 20  # one page of threads
    assert "第 1 页，共" in html
    assert Client().get(BIKES + "?comments=abc").status_code == 200
    assert Client().get(BIKES + "?comments=99999").status_code == 200


# At the same instant --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_comment_sent_twice_at_once_is_saved_once():
    user = ResidentFactory()
    bike_shed_proposal()
    proposal = bikes()
    outcomes = at_the_same_instant(
        [lambda: post_comment(proposal, user, "同时点了两下。", stance="support")] * 4
    )
    assert all(isinstance(outcome, StanceComment) for outcome in outcomes), outcomes
    assert StanceComment.objects.filter(comment="同时点了两下。").count() == 1


def test_the_moderators_admin_screens_open(client_for, bike_shed):
    CommentFactory(proposal=bike_shed, stance=Stance.SUPPORT)
    comment = StanceComment.objects.filter(proposal__slug="bike-shed-charging").first()
    account = ModeratorFactory(username="moderator")
    client_for(account).post(
        f"/admin/deliberation/comments/{comment.pk}/hide/", {"reason": HidingReason.DUPLICATE}
    )
    moderator = client_for(account)
    for url in (
        "/admin/snippets/deliberation/stancecomment/",
        "/admin/snippets/deliberation/stancecomment/?state=hidden&stance=support",
        f"/admin/snippets/deliberation/stancecomment/inspect/{comment.pk}/",
        "/admin/snippets/deliberation/commentmoderation/",
        "/admin/snippets/deliberation/sensitiveword/",
        "/admin/snippets/deliberation/sensitiveword/add/",
    ):
        response = moderator.get(url)
        assert response.status_code == 200, url
    log = text_of(moderator.get("/admin/snippets/deliberation/commentmoderation/"))
    assert "重复发布" in log and "moderator" in log and comment.excerpt in log


def test_each_page_of_the_discussion_shows_its_threads_newest_first_with_their_replies(
    bike_shed,
):
    proposal = bikes()
    add_comments(proposal, 60)  # 40 threads, 20 replies
    tops = list(
        StanceComment.objects.filter(proposal=proposal, level=0).order_by("-submit_date", "-pk")
    )
    for number, expected in ((1, tops[:20]), (2, tops[20:40])):
        html = text_of(Client().get(f"{BIKES}?comments={number}"))
        shown = [
            int(article.get("id").removeprefix("comment-"))
            for article in PageReader(html).find_all("article")
            if "comment--level-0" in article.get("class", "")
        ]
        assert shown == [thread.pk for thread in expected], number
        for thread in expected:
            for reply in StanceComment.objects.filter(thread_id=thread.pk, level__gt=0):
                # the reply follows its thread, before the next thread begins
                after_thread = html.split(f'id="comment-{thread.pk}"')[1]
                assert f'id="comment-{reply.pk}"' in after_thread.split("comment--level-0")[0]
