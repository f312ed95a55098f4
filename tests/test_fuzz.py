"""No input makes a 500 (issue 15): every public GET parameter, form field and API field is
driven with arbitrary text — and with the values that broke it once: "²" and full-width digits
(which ``str.isdigit`` takes), 10^30 and ids past 2^63 (which the database cannot store), -1,
lone surrogates, null bytes, 4,000 characters, JSON nested thousands deep — as an anonymous
visitor, a newcomer and a verified resident. Whatever the answer, it is below 500, and a
refused request saved nothing.

The tools: ``core.numbers.request_int`` (integers from requests), the ``<id:...>`` URL
converter, ``core.parsers.SafeJSONParser`` (the API's JSON), ``site/templates/400.html``."""

from urllib.parse import quote

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community.models import Residency
from core.numbers import MAX_DB_INT, IdConverter, request_int
from core.parsers import json_depth
from deliberation.models import (
    Ballot,
    ProposalStage,
    SatisfactionRating,
    StanceComment,
    TopicSuggestion,
)
from home.models import User
from tests.factories.deliberation import CommentFactory, PollFactory, ProposalPageFactory
from tests.factories.pages import ActivityPageFactory
from tests.factories.people import NewcomerFactory, ResidentFactory
from tests.factories.register import HouseholdFactory

pytestmark = [
    pytest.mark.django_db,
    # Long query strings make long page-cache keys: memcached's limit, not Redis's (production).
    pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning"),
]

NASTY = [
    "²",
    "１２",
    "1" + "0" * 30,
    "99999999999999999999",
    str(2**63),
    str(2**63 - 1),
    "-1",
    "0",
    "",
    " 1",
    "1_000",
    "1e400",
    "١٢",  # Arabic-Indic digits
    "\ud800",
    "a\udfffb",
    "\x00",
    "1\x00",
    "x" * 4000,
    "１" * 4000,
    "' OR 1=1 --",
    "<script>",
    "%00",
    "..\\..",
]

# Arbitrary text, with the known troublemakers drawn often.
values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(alphabet=st.characters(categories=["Cs", "Cc", "Nd", "No", "Zs"]), max_size=10),
    st.integers().map(str),
)

FUZZ = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def _q(text: str) -> str:
    # A lone surrogate cannot be UTF-8: it goes out as the bytes a careless client would send.
    return quote(text, safe="", errors="surrogatepass")


def _form(fields: dict) -> str:
    return "&".join(
        f"{_q(name)}={_q(value)}"
        for name, value in fields.items()
        for value in (value if isinstance(value, list) else [value])
    )


def get(client: Client, path: str, params: dict):
    return client.get(f"{path}?{_form(params)}")


def post(client: Client, path: str, fields: dict):
    return client.post(path, _form(fields), content_type="application/x-www-form-urlencoded")


@pytest.fixture
def world(db):
    """A proposal under discussion with an open poll and a thread, one under review (ratings),
    an activity, a newcomer and a verified resident."""
    proposal = ProposalPageFactory(title="讨论中的议题")
    reviewed = ProposalPageFactory(title="评议中的议题", stage=ProposalStage.REVIEWED)
    poll = PollFactory(proposal=proposal)
    comment = CommentFactory(proposal=proposal, text="第一条意见")
    reply = CommentFactory(reply_to=comment, text="第一条回复")
    HouseholdFactory(building="3号楼", unit="1单元", room="101")
    return {
        "proposal": proposal,
        "reviewed": reviewed,
        "poll": poll,
        "comment": comment,
        "reply": reply,
        "activity": ActivityPageFactory(),
        "resident": ResidentFactory(),
        "newcomer": NewcomerFactory(),
    }


def visitor(world, who: str, client_for) -> Client:
    return Client() if who == "anonymous" else client_for(world[who])


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            Ballot,
            StanceComment,
            SatisfactionRating,
            TopicSuggestion,
            Residency,
            User,
        )
    }


def assert_no_5xx(response):
    assert response.status_code < 500, response.content[:500]


# GET parameters --------------------------------------------------------------------------------


def _get_targets(world):
    proposal = world["proposal"]
    return {
        "search": (
            "/search/",
            ["q", "page", "year", "kind", "sort", "category", "stage", "format"],
        ),
        "archive": ("/archive/", ["year", "kind", "page"]),
        "yishiting": ("/yishiting/", ["stage", "year", "page"]),
        "proposal": (proposal.url, ["comments"]),
        "news": ("/news/", ["category", "tag", "page"]),
        "receipts": ("/receipts/", ["code"]),
        "api_polls": ("/api/deliberation/polls/", ["status", "page", "format"]),
    }


GET_TARGETS = ["search", "archive", "yishiting", "proposal", "news", "receipts", "api_polls"]


@pytest.mark.parametrize("who", ["anonymous", "resident"])
@pytest.mark.parametrize("target", GET_TARGETS)
@FUZZ
@given(data=st.data())
def test_get_parameters_never_500(world, client_for, who, target, data):
    path, names = _get_targets(world)[target]
    client = visitor(world, who, client_for)
    params = {name: data.draw(values, label=name) for name in names}
    params.update(year=data.draw(st.sampled_from(["2026", params.get("year", "")])))
    assert_no_5xx(get(client, path, params))
    for name in names:  # each parameter alone, the others absent
        assert_no_5xx(get(client, path, {name: params[name]}))


ID_ROUTES = [
    ("GET", "/comments/{}/reply/"),
    ("POST", "/comments/{}/flag/"),
    ("POST", "/polls/{}/vote/"),
    ("POST", "/proposals/{}/rate/"),
    ("POST", "/proposals/{}/comments/"),
    ("GET", "/calendar/activity-{}.ics"),
    ("GET", "/api/deliberation/polls/{}/"),
    ("POST", "/api/deliberation/polls/{}/ballots/"),
    ("GET", "/api/deliberation/polls/{}/ledger/"),
    ("GET", "/api/deliberation/receipts/{}/"),
]


@pytest.mark.parametrize("who", ["anonymous", "resident"])
@FUZZ
@given(
    route=st.sampled_from(ID_ROUTES),
    ident=st.one_of(
        st.sampled_from(NASTY),
        st.integers(min_value=2**63 - 2, max_value=10**30).map(str),
        st.integers(min_value=-5, max_value=10**6).map(str),
    ),
)
def test_ids_in_addresses_never_500(world, client_for, who, route, ident):
    method, template = route
    client = visitor(world, who, client_for)
    before = counts()
    path = template.format(_q(ident))
    response = client.get(path) if method == "GET" else client.post(path, {"score": "3"})
    assert_no_5xx(response)
    if response.status_code >= 400:
        assert counts() == before


@pytest.mark.parametrize(
    "path",
    [
        "/comments/99999999999999999999/reply/",
        "/comments/99999999999999999999/flag/",
        "/polls/99999999999999999999/vote/",
        "/proposals/99999999999999999999/rate/",
        "/proposals/99999999999999999999/comments/",
        "/calendar/activity-99999999999999999999.ics",
        f"/calendar/activity-{2**63}.ics",
        "/api/deliberation/polls/99999999999999999999/",
        "/api/deliberation/polls/99999999999999999999/ballots/",
    ],
)
def test_an_id_too_large_for_the_database_is_not_found(world, client_for, path):
    client = client_for(world["resident"])
    posted = any(part in path for part in ("/flag/", "/vote/", "/rate/", "/comments/", "/ballots/"))
    response = client.post(path) if posted else client.get(path)
    assert response.status_code == 404


# Forms -----------------------------------------------------------------------------------------


def _forms(world):
    """Each public form: its address, who sends it, and a valid submission."""
    poll, proposal, comment = world["poll"], world["proposal"], world["comment"]
    choice = str(poll.choices.first().pk)
    return {
        "signup": (
            "/accounts/signup/",
            "anonymous",
            {
                "username": "fuzzer",
                "display_name": "小试",
                "phone": "",
                "password1": "correct-horse-9",
                "password2": "correct-horse-9",
            },
        ),
        "login": ("/accounts/login/", "anonymous", {"username": "nobody", "password": "x"}),
        "household": (
            "/accounts/household/",
            "newcomer",
            {"building": "3号楼", "unit": "1单元", "room": "101", "relation": "owner"},
        ),
        "vote": (
            f"/polls/{poll.pk}/vote/",
            "resident",
            {"choices": choice, "confirm": "1", "next": proposal.url},
        ),
        "comment": (
            f"/proposals/{proposal.pk}/comments/",
            "resident",
            {"comment": "我同意", "stance": "support", "followup": "", "reply_to": ""},
        ),
        "reply": (
            f"/proposals/{proposal.pk}/comments/",
            "resident",
            {"comment": "我也同意", "reply_to": str(comment.pk)},
        ),
        "rate": (f"/proposals/{world['reviewed'].pk}/rate/", "resident", {"score": "4"}),
        "suggestion": (
            "/suggestions/",
            "resident",
            {"title": "加装电梯", "description": "老人上下楼不便。"},
        ),
        "flag": (f"/comments/{world['reply'].pk}/flag/", "resident", {"reason": "spam"}),
    }


FORMS = ["signup", "login", "household", "vote", "comment", "reply", "rate", "suggestion", "flag"]


@pytest.mark.parametrize("form", FORMS)
@FUZZ
@given(data=st.data())
def test_form_fields_never_500_and_a_refusal_saves_nothing(world, client_for, form, data):
    path, who, valid = _forms(world)[form]
    field = data.draw(st.sampled_from(sorted(valid)), label="field")
    sent = dict(valid, **{field: data.draw(values, label=field)})
    if data.draw(st.booleans(), label="as a list"):
        sent[field] = [sent[field], data.draw(values, label="second")]
    client = visitor(world, who, client_for)
    before = counts()
    response = post(client, path, sent)
    assert_no_5xx(response)
    if response.status_code >= 400:
        assert counts() == before
    # The same field as a resident too, where the form is not for anonymous visitors only.
    if who != "anonymous":
        other = visitor(world, "anonymous", client_for)
        before = counts()
        response = post(other, path, sent)
        assert_no_5xx(response)
        assert counts() == before  # an anonymous visitor is sent to sign in


@FUZZ
@given(code=values)
def test_receipt_lookup_never_500(world, client_for, code):
    for client in (Client(), client_for(world["resident"])):
        assert_no_5xx(get(client, "/receipts/", {"code": code}))
        assert_no_5xx(client.get(f"/api/deliberation/receipts/{_q(code)}/"))


# API -------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=False, allow_infinity=False),
        values,
    ),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)

RAW_BODIES = [
    "[" * 5000 + "]" * 5000,
    '{"choices": ' + "[" * 5000 + "]" * 5000 + "}",
    '{"choices": ' + "{" * 40 + "}" * 40 + "}",
    '{"choices": [1e400]}',
    '{"choices": [NaN]}',
    '{"choices": [' + "1" * 5000 + "]}",
    '{"choices": ["\\ud800"], "household": "\\udfff"}',
    '{"choices": [1], "household": 99999999999999999999}',
    '{"choices": ["１２"]}',
    '{"choices": ["²"]}',
    "\x00",
    "\xff\xfe",
    '"[[[["',
    "",
]


def _ballot_bodies(world):
    choice = world["poll"].choices.first().pk
    return st.one_of(
        st.sampled_from(RAW_BODIES),
        st.builds(lambda v: {"choices": [v]}, json_values),
        st.builds(lambda v: {"choices": v}, json_values),
        st.builds(lambda v: {"choices": [choice], "household": v}, json_values),
        json_values,
    )


@pytest.mark.parametrize("who", ["anonymous", "newcomer", "resident"])
@FUZZ
@given(data=st.data())
def test_ballot_api_fields_never_500_and_a_refusal_saves_nothing(world, client_for, who, data):
    import json

    body = data.draw(_ballot_bodies(world), label="body")
    raw = body if isinstance(body, str) else json.dumps(body)
    client = visitor(world, who, client_for)
    before = counts()
    response = client.post(
        f"/api/deliberation/polls/{world['poll'].pk}/ballots/",
        raw.encode("utf-8", "surrogatepass"),
        content_type="application/json",
    )
    assert_no_5xx(response)
    if response.status_code >= 400:
        assert counts() == before


def test_json_nested_too_deeply_is_refused_with_a_chinese_400(world, client_for):
    client = client_for(world["resident"])
    response = client.post(
        f"/api/deliberation/polls/{world['poll'].pk}/ballots/",
        '{"choices": ' + "[" * 5000 + "]" * 5000 + "}",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "嵌套" in response.json()["detail"]
    assert Ballot.objects.count() == 0


def test_brackets_in_strings_do_not_count_as_nesting():
    assert json_depth(b'{"choices": ["[[[[[[[[[[", "\\"[[[["]}') == 2
    assert json_depth(b"[" * 33 + b"]" * 33) == 33


# Requests too large, messages ------------------------------------------------------------------


def test_a_3_mb_comment_gets_a_chinese_400_page(world, client_for):
    client = client_for(world["resident"])
    before = counts()
    response = client.post(
        f"/proposals/{world['proposal'].pk}/comments/", {"comment": "长" * 1_000_000}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "无法处理这个请求" in page
    assert "Bad Request" not in page
    assert counts() == before


def test_password_messages_are_in_chinese(world):
    response = post(
        Client(),
        "/accounts/signup/",
        {
            "username": "xiaoming",
            "display_name": "小明",
            "password1": "12345",
            "password2": "12345",
        },
    )
    page = response.content.decode()
    assert "密码太短，至少需要 8 个字符。" in page
    assert "too short" not in page
    assert not User.objects.filter(username="xiaoming").exists()
    with pytest.raises(ValidationError) as refused:
        validate_password("abc")
    assert all("password" not in message for message in refused.value.messages)


# The helpers themselves ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12", 12),
        ("-1", -1),
        (str(MAX_DB_INT), MAX_DB_INT),
        (str(MAX_DB_INT + 1), None),
        ("1" + "0" * 30, None),
        ("²", None),
        ("１２", None),
        ("١٢", None),
        (" 1", None),
        ("1_000", None),
        ("", None),
        (None, None),
        ("\x00", None),
    ],
)
def test_request_int_takes_ascii_digits_in_the_database_range(text, expected):
    assert request_int(text) == expected


def test_request_int_bounds():
    assert request_int("0", minimum=1) is None
    assert request_int("2101", minimum=2000, maximum=2100) is None
    assert request_int("2026", minimum=2000, maximum=2100) == 2026


def test_the_id_converter_refuses_what_the_database_cannot_hold():
    converter = IdConverter()
    assert converter.to_python("42") == 42
    for text in ("0", str(2**63), "9" * 19):
        with pytest.raises(ValueError):
            converter.to_python(text)


def test_api_choices_are_ascii_integers(world, client_for):
    client = client_for(world["resident"])
    choice = world["poll"].choices.first().pk
    ballots = f"/api/deliberation/polls/{world['poll'].pk}/ballots/"
    full_width = str(choice).translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    for refused in ([full_width], [float(choice)], [True], [str(choice) + "²"]):
        response = client.post(ballots, {"choices": refused}, content_type="application/json")
        assert response.status_code == 400, refused
    assert Ballot.objects.count() == 0
    response = client.post(ballots, {"choices": [str(choice)]}, content_type="application/json")
    assert response.status_code == 201


@pytest.mark.parametrize(
    "path", ["/search/?q=a%00b", "/news/?tag=%00", "/receipts/?code=%00", "/archive/?year=%00"]
)
def test_a_null_character_in_the_query_is_as_if_not_given(world, path):
    assert Client().get(path).status_code == 200


def test_a_null_character_in_the_address_gets_the_400_page(world):
    response = Client().get("/api/deliberation/receipts/a%00/")
    assert response.status_code == 400
    assert "无法处理这个请求" in response.content.decode()


def test_a_form_with_a_null_character_saves_nothing(world):
    before = counts()
    response = post(Client(), "/accounts/login/", {"username": "resident\x00", "password": "x"})
    assert response.status_code == 400
    assert counts() == before
