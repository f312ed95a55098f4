"""The 议事厅's public addresses besides its pages (which Wagtail serves): voting, rating,
topic suggestions, receipts and the discussion. Included at the site root by ``config.urls``;
the JSON API is in ``api_urls``, the admin's screens in ``wagtail_hooks``."""

from django.urls import path

from deliberation import views

urlpatterns = [
    path("polls/<id:poll_id>/vote/", views.vote, name="poll_vote"),
    path("accounts/ballots/", views.my_ballots_view, name="my_ballots"),
    path("proposals/<id:proposal_id>/rate/", views.rate, name="proposal_rate"),
    path("suggestions/", views.suggest_topic_view, name="suggest_topic"),
    path("receipts/", views.receipt_lookup, name="receipt_lookup"),
    path("proposals/<id:proposal_id>/comments/", views.comment_post, name="comment_post"),
    path("comments/<id:comment_id>/reply/", views.comment_reply, name="comment_reply"),
    path("comments/<id:comment_id>/flag/", views.comment_flag, name="comment_flag"),
    path(
        "comments/stop/<str:token>/",
        views.comment_followup_stop,
        name="comment_followup_stop",
    ),
]
