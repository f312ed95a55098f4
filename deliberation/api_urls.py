"""/api/deliberation/: the 议事厅's JSON API (its public pages and forms are in ``urls``)."""

from django.urls import path

from rest_framework.routers import SimpleRouter

from deliberation import api

router = SimpleRouter(trailing_slash=True)
router.register("polls", api.PollViewSet, basename="poll")

urlpatterns = [
    path("receipts/<str:code>/", api.receipt, name="receipt"),
    path("me/ballots/", api.my_ballots_list, name="my_ballots_api"),
    path("me/", api.me, name="me"),
    *router.urls,
]
