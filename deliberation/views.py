"""Public views of the 议事厅 besides its pages: voting (the same service the API uses, with a
confirmation step), a resident's ballots (我的投票), rating, topic suggestions, and commenting."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST, require_safe

from core.exceptions import Refused
from core.forms import submit
from core.numbers import request_int
from core.pages import may_see, visible_q
from deliberation.forms import CommentForm
from deliberation.models import (
    CommentStatus,
    Poll,
    ProposalPage,
    StanceComment,
    TopicSuggestion,
)
from deliberation.permissions import can_comment
from deliberation.queries import my_ballots, receipt_facts
from deliberation.services import (
    cast_ballot,
    check_ballot,
    flag_comment,
    post_comment,
    rate_proposal,
    stop_followups,
    suggest_topic,
)
from deliberation.tasks import read_followup_token


def _back_to(request, poll: Poll) -> str:
    if poll.proposal is not None:
        return f"{poll.proposal.get_url(request)}#poll-{poll.pk}"
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _action_refused(request, refusal: Refused, back: str):
    """A refused rating or report: a short page with the reason and the way back — nothing of
    the proposal (never its page served again: that would skip the gate for pages)."""
    return TemplateResponse(
        request,
        "deliberation/action_refused.html",
        {"message": refusal.message, "back": back},
        status=refusal.status if refusal.status != 401 else 403,
    )


def _refused(request, poll: Poll, refusal: Refused):
    """A refused vote: a short page with the poll's question, the reason and the way back —
    nothing else of the proposal (its page may not be the visitor's to see)."""
    return TemplateResponse(
        request,
        "deliberation/vote_refused.html",
        {"poll": poll, "message": refusal.message, "back": _back_to(request, poll)},
        status=refusal.status if refusal.status != 401 else 403,
    )


@require_POST
def vote(request, poll_id: int):
    """A ballot from the poll's form, in two steps: the first POST shows what was chosen and
    asks for confirmation (nothing is cast); the confirmed POST (``confirm=1``) casts it."""
    shown = Poll.objects.visible_to(request)  # a draft or a hidden proposal's poll: 404
    poll = get_object_or_404(shown.select_related("proposal"), pk=poll_id)
    if not request.user.is_authenticated:
        return redirect_to_login(_back_to(request, poll))
    choices = [request_int(value) for value in request.POST.getlist("choices")]
    choices = ["?" if choice is None else choice for choice in choices]
    if request.POST.get("confirm") != "1":
        try:
            checked = check_ballot(poll, request.user, choices)
        except Refused as refusal:
            return _refused(request, poll, refusal)
        labels = {c.pk: c.label for c in poll.choices.all()}
        return TemplateResponse(
            request,
            "deliberation/vote_confirm.html",
            {
                "poll": poll,
                "choices": checked,
                "chosen": _(", ").join(labels[pk] for pk in checked),
                "next": request.POST.get("next", ""),
                "back": _back_to(request, poll),
            },
        )
    try:
        ballot = cast_ballot(poll, request.user, choices)
    except Refused as refusal:
        return _refused(request, poll, refusal)
    messages.success(
        request,
        _("Your vote is recorded. Your receipt code is in the poll box: %(receipt)s")
        % {"receipt": ballot.receipt},
    )
    return redirect(_back_to(request, poll))


@require_safe
@login_required
def my_ballots_view(request):
    """我的投票: every ballot of the signed-in resident's voting units, with its receipt."""
    return TemplateResponse(
        request, "deliberation/my_ballots.html", {"ballots": my_ballots(request.user)}
    )


@require_POST
def rate(request, proposal_id: int):
    """A resident's satisfaction score (1–5) for a proposal under review."""
    proposal = _shown_proposal(request, proposal_id)
    if not request.user.is_authenticated:
        return redirect_to_login(proposal.url)
    score = request_int(request.POST.get("score"))
    try:
        rate_proposal(proposal, request.user, score)
    except Refused as refusal:
        return _action_refused(request, refusal, proposal.url)
    messages.success(request, _("Thank you: your rating is recorded."))
    return redirect(proposal.url)


class TopicSuggestionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Topic"), max_length=100)
    description = forms.CharField(
        label=gettext_lazy("What and why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("What should change, where, and why it matters to neighbours."),
    )


@login_required
def suggest_topic_view(request):
    """Residents propose a topic for the 议事厅 (自治议题征集)."""
    form = TopicSuggestionForm(request.POST or None)
    if request.method == "POST":
        _suggestion, status = submit(
            form, lambda data: suggest_topic(request.user, data["title"], data["description"])
        )
        if status is None:
            messages.success(
                request, _("Thank you. Community staff will read your suggestion and reply.")
            )
            return redirect("suggest_topic")
        return TemplateResponse(
            request, "deliberation/suggest_topic.html", {"form": form}, status=status
        )
    mine = TopicSuggestion.objects.filter(user=request.user).select_related("proposal")[:20]
    return TemplateResponse(
        request, "deliberation/suggest_topic.html", {"form": form, "mine": mine}
    )


# Comments -------------------------------------------------------------------------------------


def _shown_proposal(request, proposal_id: int) -> ProposalPage:
    """The proposal, if this visitor may see it (``core.pages.may_see``); else 404."""
    return get_object_or_404(ProposalPage.objects.visible_to(request).specific(), pk=proposal_id)


def _shown_comments(request):
    """Comments of proposals this visitor may see (the gate for pages, on comments)."""
    return StanceComment.objects.filter(visible_q(request, prefix="proposal__"))


def _comment_form_again(request, proposal: ProposalPage, form: CommentForm, status: int):
    """The page the form came from, with the form as it was sent (nothing typed is lost) and
    its errors."""
    if form.parent is not None or request.POST.get("reply_to"):
        reply_to = request_int(request.POST.get("reply_to"), minimum=1)
        parent = form.parent or (
            StanceComment.objects.shown().filter(proposal=proposal, pk=reply_to).first()
            if reply_to
            else None
        )
        return TemplateResponse(
            request,
            "deliberation/comment_reply.html",
            {"page": proposal, "parent": parent, "form": form},
            status=status,
        )
    context = proposal.get_context(request)
    context["discussion"].form = form
    return TemplateResponse(request, proposal.get_template(request), context, status=status)


@require_POST
def comment_post(request, proposal_id: int):
    """A comment or a reply sent from the proposal page or the reply page."""
    proposal = _shown_proposal(request, proposal_id)
    if not request.user.is_authenticated:
        return redirect_to_login(f"{proposal.url}#comments")
    form = CommentForm(proposal, request.POST)
    comment, status = submit(
        form,
        lambda data: post_comment(
            proposal,
            request.user,
            data["comment"],
            stance=data["stance"],
            reply_to=form.parent,
            followup=data["followup"],
        ),
    )
    if status is not None:
        return _comment_form_again(request, proposal, form, status)
    if comment.status == CommentStatus.SHOWN:
        messages.success(request, _("Your comment is published."))
    else:
        messages.info(
            request, _("Your comment is sent. It appears once a moderator has looked at it.")
        )
    return redirect(f"{proposal.url}#comment-{comment.pk}")


@require_GET
def comment_reply(request, comment_id: int):
    """The comment being answered and the reply form (a page of its own: easy on a phone)."""
    parent = get_object_or_404(
        _shown_comments(request).shown().select_related("proposal"), pk=comment_id
    )
    proposal = parent.proposal.specific
    if parent.level >= settings.COMMENTS_XTD_MAX_THREAD_LEVEL:
        raise Http404
    form = CommentForm(proposal, initial={"reply_to": parent.pk})
    return TemplateResponse(
        request,
        "deliberation/comment_reply.html",
        {
            "page": proposal,
            "parent": parent,
            "form": form,
            "may_comment": can_comment(request.user) and proposal.comments_open,
        },
    )


@require_POST
def comment_flag(request, comment_id: int):
    """A resident reports a comment to the moderators."""
    comment = get_object_or_404(_shown_comments(request).select_related("proposal"), pk=comment_id)
    back = f"{comment.proposal.url}#comment-{comment.pk}"
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        flag_comment(comment, request.user)
    except Refused as refusal:
        return _action_refused(request, refusal, back)
    messages.success(request, _("Thank you. A moderator will look at this comment."))
    return redirect(back)


def comment_followup_stop(request, token: str):
    """The link in a follow-up email: a confirmation page, then (POST) no more emails."""
    found = read_followup_token(token)
    if found is None:
        return TemplateResponse(
            request, "deliberation/comment_followup_stop.html", {"invalid": True}, status=400
        )
    user_id, proposal_id = found
    proposal = ProposalPage.objects.filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404
    done = False
    if request.method == "POST":
        stop_followups(user_id, proposal_id)
        done = True
    return TemplateResponse(
        request,
        "deliberation/comment_followup_stop.html",
        # The link works even when the proposal is no longer the visitor's to see; then it does
        # not name it.
        {"proposal": proposal if may_see(proposal, request) else None, "done": done},
    )


# Receipts -------------------------------------------------------------------------------------


def receipt_lookup(request):
    """Anyone with a receipt code sees that the ballot is in the ledger: the poll, when, how and
    its place in the chain — never the choice."""
    code = request.GET.get("code", "").strip()[:30]
    facts, status = None, 200
    if code:
        facts = receipt_facts(code, request)
        if facts is None:
            status = 404
    return TemplateResponse(
        request,
        "deliberation/receipt.html",
        {"code": code, "facts": facts},
        status=status,
    )
